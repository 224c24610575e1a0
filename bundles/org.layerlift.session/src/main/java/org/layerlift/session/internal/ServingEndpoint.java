package org.layerlift.session.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.transport.InboundMessage;
import org.layerlift.api.transport.MessageHandler;
import org.layerlift.api.transport.MessageTransport;
import org.layerlift.api.transport.OutboundMessage;
import org.layerlift.protocol.Envelope;
import org.layerlift.protocol.ErrorCode;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolException;
import org.layerlift.protocol.ProtocolTopics;
import org.layerlift.protocol.TensorCodec;

/**
 * The gateway's side of the protocol: decodes each request with the protocol codecs, hands it to the
 * {@link SessionManager}, and publishes the answer (or an error with its reason code) to the request's response
 * topic with its correlation data. Replies go only into the requesting client's own namespace. Every problem is
 * logged through a {@link ProblemLog}, so a flood of bad messages is one line a minute per client and kind.
 */
final class ServingEndpoint implements MessageHandler, EventSink {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final SessionManager manager;
    private final Supplier<MessageTransport> transport;
    private final ProblemLog problems;

    ServingEndpoint(SessionManager manager, Supplier<MessageTransport> transport, ProblemLog problems) {
        this.manager = manager;
        this.transport = transport;
        this.problems = problems;
    }

    @Override
    public CompletionStage<?> handle(InboundMessage m) {
        String client = m.clientId();
        String kind = ProtocolTopics.kind(m.topic());
        if (client == null || kind == null) {
            problems.note(String.valueOf(client), "malformed", "message on unexpected topic " + m.topic());
            return DONE;
        }
        try {
            return switch (kind) {
                case ProtocolTopics.MANIFEST -> manifest(client, m);
                case ProtocolTopics.CHUNK -> chunk(client, m);
                case ProtocolTopics.HAVE -> json(m, manager.have(client,
                        Json.read(Envelope.decode(m.payload()).header(), Messages.HaveRequest.class, "have request")),
                        1);
                case ProtocolTopics.QUERY -> query(client, m);
                case ProtocolTopics.BANDWIDTH -> json(m, manager.bandwidth(client, Json.read(
                        Envelope.decode(m.payload()).header(), Messages.BandwidthReport.class, "bandwidth report")), 1);
                case ProtocolTopics.CLOSE -> json(m, manager.close(client,
                        Json.read(Envelope.decode(m.payload()).header(), Messages.CloseRequest.class, "close request")),
                        1);
                default -> throw new ProtocolException(ErrorCode.MALFORMED, "no request kind '" + kind + "' in "
                        + "protocol v1 (kinds: " + ProtocolTopics.REQUESTS + ")");
            };
        } catch (ProtocolException e) {
            error(client, m, e.code(), e.getMessage());
            return DONE;
        } catch (RuntimeException e) {
            error(client, m, ErrorCode.INTERNAL, e.toString());
            return DONE;
        }
    }

    private CompletionStage<?> manifest(String client, InboundMessage m) throws ProtocolException {
        Envelope e = Envelope.decode(m.payload());
        Messages.Manifest manifest = Json.read(e.header(), Messages.Manifest.class, "manifest header");
        return manager.open(client, manifest, e.body()).handle((plan, failure) -> {
            if (failure != null) {
                fail(client, m, failure);
            } else {
                reply(client, m, Json.write(plan), 1);
            }
            return null;
        });
    }

    private CompletionStage<?> chunk(String client, InboundMessage m) throws ProtocolException {
        Envelope e = Envelope.decode(m.payload());
        Messages.ChunkHeader h = Json.read(e.header(), Messages.ChunkHeader.class, "chunk header");
        return json(m, manager.chunk(client, h, e.body()), 1);
    }

    private CompletionStage<?> query(String client, InboundMessage m) throws ProtocolException {
        Envelope e = Envelope.decode(m.payload());
        Messages.QueryHeader h = Json.read(e.header(), Messages.QueryHeader.class, "query header");
        List<TensorData> inputs = TensorCodec.decode(e.body());
        int qos = Math.max(m.qos(), 0);
        return manager.query(client, h, inputs).handle((result, failure) -> {
            if (failure != null) {
                fail(client, m, failure);
            } else {
                byte[] header = Json.write(new Messages.QueryReply(h.session(), h.first(), h.last(), result.runMs(),
                        result.gatewayMs()));
                reply(client, m, Envelope.encodeTensors(header, result.outputs()), qos);
            }
            return null;
        });
    }

    private CompletionStage<?> json(InboundMessage m, Object answer, int qos) {
        reply(m.clientId(), m, Json.write(answer), qos);
        return DONE;
    }

    private void fail(String client, InboundMessage m, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (cause instanceof ProtocolException pe) {
            error(client, m, pe.code(), pe.getMessage());
        } else {
            error(client, m, ErrorCode.INTERNAL, SessionManager.rootMessage(cause));
        }
    }

    @Override
    public void refused(InboundMessage m, String reason) {
        String client = m.clientId();
        ErrorCode code = "payload_too_large".equals(reason) ? ErrorCode.PAYLOAD_TOO_LARGE : ErrorCode.OVERLOADED;
        error(client == null ? "?" : client, m, code, code == ErrorCode.OVERLOADED
                ? "too many of your messages are in progress, or the gateway is saturated: retry later"
                : "the payload of " + m.payload().length + " bytes is larger than this gateway accepts");
    }

    private void error(String client, InboundMessage m, ErrorCode code, String message) {
        problems.note(client, code.wire(), message + " (" + m.topic() + ")");
        reply(client, m, Json.error(code, message), 1);
    }

    private void reply(String client, InboundMessage m, byte[] payload, int qos) {
        String topic = m.responseTopic();
        if (topic == null) {
            return; // nobody to answer: a fire-and-forget request
        }
        if (client == null || !ProtocolTopics.isOwnTopic(client, topic)) {
            problems.note(String.valueOf(client), "forbidden_reply_topic", "response topic " + topic
                    + " is outside the client's namespace; not answered");
            return;
        }
        MessageTransport t = transport.get();
        if (t != null) {
            t.publish(new OutboundMessage(topic, payload, qos, false, null, m.correlationData()));
        }
    }

    @Override
    public void send(String clientId, Messages.Event event) {
        MessageTransport t = transport.get();
        if (t != null) {
            t.publish(new OutboundMessage(ProtocolTopics.events(clientId), Json.write(event), 1, false));
        }
    }
}
