package org.layerlift.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.layerlift.client.ClientException;
import org.layerlift.client.ClientOptions;
import org.layerlift.client.LayerLiftClient;
import org.layerlift.client.OffloadOptions;
import org.layerlift.client.OffloadSession;
import org.layerlift.client.internal.link.ShapedSocketFactory;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;

/**
 * The MQTT 5 connection of a client (Paho): requests with a response topic in the client's own namespace and
 * correlation data, answers matched by correlation, events handed to their session in order on one thread,
 * automatic reconnects (subscriptions renewed, sessions told so they resume).
 */
public final class GatewayClient implements LayerLiftClient {

    /** in-flight QoS 1 publishes: below every broker's Receive Maximum we know (HiveMQ 10, Mosquitto 20) */
    static final int MAX_IN_FLIGHT = 8;
    /**
     * the longest wait between two automatic reconnect attempts (ms). Paho 1.2.5's v5 client ignores
     * {@code setAutomaticReconnectDelay}: it doubles from 1 s up to {@code maxReconnectDelay}, 128 s unless set, and
     * the delay is one static field for every client in the JVM, so each client's failed attempt doubles it for all.
     * A gateway back after a restart of 16 s was reached 38 s after it by one of two clients.
     */
    static final int MAX_RECONNECT_DELAY_MS = 4000;
    /** events for sessions not registered yet (their plan is still on its way), kept at most */
    private static final int MAX_EARLY_EVENTS = 256;

    private final ClientOptions options;
    private final MqttAsyncClient mqtt;
    private final String replyTopic;
    private final String eventsTopic;
    private final Map<String, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final Map<String, SessionImpl> sessions = new ConcurrentHashMap<>();
    private final Deque<Messages.Event> early = new ArrayDeque<>();
    private final List<SessionImpl> all = new CopyOnWriteArrayList<>();
    private final AtomicLong next = new AtomicLong();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final ExecutorService eventThread;
    private final ShapedSocketFactory link;
    private final SocketFactory sockets;
    private volatile boolean closed;

    private GatewayClient(ClientOptions options) throws ClientException {
        this.options = options;
        this.replyTopic = ProtocolTopics.reply(options.clientId(), "c");
        this.eventsTopic = ProtocolTopics.events(options.clientId());
        this.eventThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "layerlift-client-events-" + options.clientId());
            t.setDaemon(true);
            return t;
        });
        String uri = normalise(options.brokerUri());
        this.link = new ShapedSocketFactory(options.link());
        this.sockets = link.forUri(uri, tls(uri));
        try {
            this.mqtt = new MqttAsyncClient(uri, options.clientId(), new MemoryPersistence());
        } catch (MqttException | IllegalArgumentException e) {
            eventThread.shutdownNow();
            throw new ClientException("unreachable", "broker URI '" + options.brokerUri() + "' is not usable: "
                    + e.getMessage() + " (write tcp://host:port or ssl://host:port)");
        }
        mqtt.setCallback(new Callback());
    }

    /** Connects, waiting up to the connect timeout for the first connection. */
    public static LayerLiftClient connect(ClientOptions options) throws ClientException {
        GatewayClient c = new GatewayClient(options);
        c.start();
        return c;
    }

    /** {@code tcp://} or {@code ssl://} in any case, as Paho wants it: lower case. */
    static String normalise(String brokerUri) throws ClientException {
        try {
            URI u = new URI(brokerUri.trim());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("tcp") && !scheme.equals("ssl") || u.getHost() == null) {
                throw new ClientException("unreachable", "broker URI '" + brokerUri + "' must be tcp://host:port or "
                        + "ssl://host:port");
            }
            int port = u.getPort() > 0 ? u.getPort() : scheme.equals("ssl") ? 8883 : 1883;
            return scheme + "://" + u.getHost() + ":" + port;
        } catch (URISyntaxException e) {
            throw new ClientException("unreachable", "broker URI '" + brokerUri + "' does not parse: " + e.getMessage());
        }
    }

    private SSLSocketFactory tls(String uri) throws ClientException {
        if (!uri.startsWith("ssl://")) {
            return null;
        }
        try {
            if (options.trustStore() == null) {
                return (SSLSocketFactory) SSLSocketFactory.getDefault();
            }
            KeyStore ks = KeyStore.getInstance(options.trustStore().toString().toLowerCase(Locale.ROOT)
                    .endsWith(".jks") ? "JKS" : "PKCS12");
            char[] pw = options.trustStorePassword() == null ? null : options.trustStorePassword().toCharArray();
            try (InputStream in = Files.newInputStream(options.trustStore())) {
                ks.load(in, pw);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new ClientException("unreachable", "trust store " + options.trustStore() + " cannot be read: "
                    + e.getMessage());
        }
    }

    private void start() throws ClientException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSessionExpiryInterval(0L);
        o.setAutomaticReconnect(true);
        o.setAutomaticReconnectDelay(1, MAX_RECONNECT_DELAY_MS / 1000); // (what a later Paho reads)
        o.setMaxReconnectDelay(MAX_RECONNECT_DELAY_MS); // (what 1.2.5 reads)
        o.setKeepAliveInterval(15);
        o.setConnectionTimeout((int) Math.max(1, options.connectTimeout().toSeconds()));
        o.setSocketFactory(sockets);
        if (options.username() != null) {
            o.setUserName(options.username());
        }
        if (options.password() != null) {
            o.setPassword(options.password().getBytes(StandardCharsets.UTF_8));
        }
        try {
            IMqttToken t = mqtt.connect(o);
            t.waitForCompletion(options.connectTimeout().toMillis() + 2000);
            subscribe();
        } catch (MqttException e) {
            closeQuietly();
            int code = e.getReasonCode();
            // MQTT 5 CONNACK 0x86 bad user name or password, 0x87 not authorised (also Paho's 4 and 5 of MQTT 3)
            if (code == 0x86 || code == 0x87 || code == 4 || code == 5) {
                throw new ClientException("refused", "the broker at " + options.brokerUri() + " refused the login of "
                        + options.clientId() + " (" + e.getMessage() + "): check --username/--password");
            }
            throw new ClientException("unreachable", "cannot reach the gateway's broker at " + options.brokerUri()
                    + " (" + describe(e) + "): is the gateway running there?");
        }
    }

    private static String describe(MqttException e) {
        Throwable c = e.getCause();
        return c != null && c.getMessage() != null ? c.getMessage() : e.getMessage();
    }

    private void subscribe() throws MqttException {
        IMqttToken sub = mqtt.subscribe(new MqttSubscription[] {new MqttSubscription(replyTopic, 1),
            new MqttSubscription(eventsTopic, 1)});
        sub.waitForCompletion(options.connectTimeout().toMillis() + 2000);
        int[] granted = sub.getReasonCodes();
        for (int g : granted == null ? new int[0] : granted) {
            if (g >= 0x80) {
                throw new MqttException(0x87);
            }
        }
    }

    @Override
    public String clientId() {
        return options.clientId();
    }

    @Override
    public boolean isConnected() {
        return !closed && mqtt.isConnected();
    }

    ClientOptions options() {
        return options;
    }

    /** The emulated link (its meter counts the bytes of every connection so far; 0 without emulation). */
    ShapedSocketFactory link() {
        return link;
    }

    @Override
    public OffloadSession open(OffloadOptions offload) throws ClientException {
        if (closed) {
            throw new ClientException("closed", "the client is closed");
        }
        SessionImpl s = SessionImpl.open(this, offload);
        all.add(s);
        return s;
    }

    void register(String session, SessionImpl s) {
        sessions.put(session, s);
        List<Messages.Event> replay;
        synchronized (early) {
            replay = early.stream().filter(e -> session.equals(e.session())).toList();
            early.removeIf(e -> session.equals(e.session()));
        }
        eventThread.execute(() -> replay.forEach(s::onEvent));
    }

    void unregister(String session, SessionImpl s) {
        sessions.remove(session, s);
    }

    void forget(SessionImpl s) {
        all.remove(s);
    }

    /**
     * Publishes a request and completes with the answer's payload, exceptionally with {@link ClientException} on
     * {@code timeout} or when the connection is lost ({@code disconnected}).
     *
     * @param qos 1 for anything that must arrive (it takes one of {@link #MAX_IN_FLIGHT} slots), 0 for query hops
     */
    CompletableFuture<byte[]> request(String kind, byte[] payload, int qos, long timeoutMs,
            MqttActionListener written) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new ClientException("closed", "the client is closed"));
            return f;
        }
        if (!mqtt.isConnected()) {
            f.completeExceptionally(new ClientException("disconnected", "not connected to the gateway's broker"));
            return f;
        }
        String corr = Long.toString(next.incrementAndGet(), 36);
        pending.put(corr, f);
        f.whenComplete((r, e) -> pending.remove(corr));
        MqttProperties p = new MqttProperties();
        p.setResponseTopic(replyTopic);
        p.setCorrelationData(corr.getBytes(StandardCharsets.UTF_8));
        boolean slot = false;
        try {
            if (qos > 0) {
                if (!inFlight.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
                    f.completeExceptionally(new ClientException("timeout", "no publish slot in " + timeoutMs + " ms"));
                    return f;
                }
                slot = true;
            }
            boolean held = slot;
            mqtt.publish(ProtocolTopics.request(options.clientId(), kind), new MqttMessage(payload, qos, false, p),
                    null, new MqttActionListener() {
                        @Override
                        public void onSuccess(IMqttToken t) {
                            if (held) {
                                inFlight.release();
                            }
                            if (written != null) {
                                written.onSuccess(t);
                            }
                        }

                        @Override
                        public void onFailure(IMqttToken t, Throwable e) {
                            if (held) {
                                inFlight.release();
                            }
                            if (written != null) {
                                written.onFailure(t, e);
                            }
                            f.completeExceptionally(new ClientException("disconnected", "publish failed: "
                                    + e.getMessage()));
                        }
                    });
        } catch (MqttException | RuntimeException e) {
            if (slot) {
                inFlight.release();
            }
            if (written != null) {
                written.onFailure(null, e);
            }
            f.completeExceptionally(new ClientException("disconnected", "publish failed: " + e.getMessage()));
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.completeExceptionally(new ClientException("closed", "interrupted"));
            return f;
        }
        return f.orTimeout(timeoutMs, TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable c = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            if (c instanceof TimeoutException) {
                return CompletableFuture.failedFuture(new ClientException("timeout", "no answer to '" + kind
                        + "' within " + timeoutMs + " ms"));
            }
            return CompletableFuture.failedFuture(c);
        });
    }

    /** Waits for a request's answer; an error reply becomes a {@link ClientException} with its code. */
    static byte[] await(CompletableFuture<byte[]> f) throws ClientException, InterruptedException {
        try {
            byte[] reply = f.get();
            Messages.ErrorBody e = reply.length > 0 && reply[0] == '{' ? Json.error(reply) : null;
            if (e != null) {
                throw new ClientException(e.code(), e.message());
            }
            return reply;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ClientException c) {
                throw c;
            }
            throw new ClientException("disconnected", String.valueOf(e.getCause()), e.getCause());
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse r) {
            failPending();
            all.forEach(s -> eventThread.execute(s::onDisconnected));
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            // the connection's own errors end in disconnected()
        }

        @Override
        public void messageArrived(String topic, MqttMessage m) {
            for (SessionImpl s : all) {
                s.heard();
            }
            if (topic.equals(eventsTopic)) {
                Messages.Event e;
                try {
                    e = Json.read(m.getPayload(), Messages.Event.class, "event");
                } catch (RuntimeException | org.layerlift.protocol.ProtocolException ex) {
                    return; // not ours to understand: a newer gateway's event
                }
                SessionImpl s = e.session() == null ? null : sessions.get(e.session());
                if (s != null) {
                    eventThread.execute(() -> s.onEvent(e));
                } else {
                    synchronized (early) {
                        early.addLast(e);
                        while (early.size() > MAX_EARLY_EVENTS) {
                            early.removeFirst();
                        }
                    }
                }
                return;
            }
            byte[] corr = m.getProperties() == null ? null : m.getProperties().getCorrelationData();
            if (corr != null) {
                CompletableFuture<byte[]> f = pending.remove(new String(corr, StandardCharsets.UTF_8));
                if (f != null) {
                    f.complete(m.getPayload());
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttToken t) {
        }

        @Override
        public void connectComplete(boolean reconnect, String uri) {
            if (!reconnect) {
                return;
            }
            // off Paho's thread: subscribing waits for the broker
            eventThread.execute(() -> {
                try {
                    subscribe();
                    all.forEach(SessionImpl::onReconnected);
                } catch (MqttException e) {
                    // the next reconnect tries again
                }
            });
        }

        @Override
        public void authPacketArrived(int code, MqttProperties p) {
        }
    }

    private void failPending() {
        for (CompletableFuture<byte[]> f : pending.values()) {
            f.completeExceptionally(new ClientException("disconnected", "the connection to the gateway was lost"));
        }
        pending.clear();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (SessionImpl s : all) {
            s.stop();
        }
        closed = true;
        failPending();
        closeQuietly();
        eventThread.shutdownNow();
    }

    private void closeQuietly() {
        try {
            if (mqtt.isConnected()) {
                mqtt.disconnect(1000).waitForCompletion(2000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            mqtt.close(true);
        } catch (MqttException e) {
            // closing anyway
        }
    }

}
