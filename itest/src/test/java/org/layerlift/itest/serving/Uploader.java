package org.layerlift.itest.serving;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.layerlift.protocol.Envelope;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;

/** Uploads units chunk by chunk with a window of requests in flight, as a client would; counts what it sent. */
final class Uploader {

    final AtomicInteger chunksSent = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    /** chunks sent again because the gateway was overloaded (never acknowledged before) */
    final AtomicInteger resent = new AtomicInteger();
    final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ProtocolClient client;
    private final String session;
    private final int chunkBytes;
    private final int window;

    Uploader(ProtocolClient client, String session, int chunkBytes, int window) {
        this.client = client;
        this.session = session;
        this.chunkBytes = chunkBytes;
        this.window = window;
    }

    static byte[] sha256(ByteBuffer b) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(b.duplicate());
        return d.digest();
    }

    /** The chunk message of one chunk of a unit. */
    static byte[] chunk(String session, String address, byte[] unit, int chunkBytes, int index) throws Exception {
        int from = index * chunkBytes;
        int to = Math.min(unit.length, from + chunkBytes);
        ByteBuffer body = ByteBuffer.wrap(unit, from, to - from).slice();
        byte[] header = Json.write(new Messages.ChunkHeader(session, address, index, unit.length, chunkBytes,
                HexFormat.of().formatHex(sha256(body))));
        return Envelope.encode(header, body);
    }

    /**
     * Uploads the chunks of one unit not in {@code skip}; stops after {@code limit} chunks (for the crash tests).
     *
     * @return the acks received
     */
    List<Messages.ChunkAck> unit(String address, byte[] bytes, Set<Integer> skip, int limit) throws Exception {
        int count = (bytes.length + chunkBytes - 1) / chunkBytes;
        List<CompletableFuture<byte[]>> inFlight = new ArrayList<>();
        List<byte[]> messages = new ArrayList<>();
        List<Messages.ChunkAck> acks = new ArrayList<>();
        int sent = 0;
        for (int i = 0; i < count && sent < limit; i++) {
            if (skip.contains(i)) {
                continue;
            }
            byte[] message = chunk(session, address, bytes, chunkBytes, i);
            inFlight.add(client.request(ProtocolTopics.CHUNK, message, 1));
            messages.add(message);
            chunksSent.incrementAndGet();
            sent++;
            if (inFlight.size() >= window) {
                acks.add(ack(inFlight.remove(0), messages.remove(0)));
            }
        }
        for (int i = 0; i < inFlight.size(); i++) {
            acks.add(ack(inFlight.get(i), messages.get(i)));
        }
        return acks;
    }

    /** Uploads every unit of a model that has weights, in unit order. */
    void all(TestModel m) throws Exception {
        for (int u = 0; u < m.units.size(); u++) {
            if (m.addresses.get(u) != null) {
                unit(m.addresses.get(u), m.unitBytes.get(u), Set.of(), Integer.MAX_VALUE);
            }
        }
    }

    /** The ack of a chunk; a chunk refused as overloaded is sent again after a pause, as a client backs off. */
    private Messages.ChunkAck ack(CompletableFuture<byte[]> f, byte[] message) throws Exception {
        byte[] reply = f.get(120, TimeUnit.SECONDS);
        for (int retry = 0; retry < 100; retry++) {
            Messages.ErrorBody e = Json.error(reply);
            if (e == null || !e.code().equals("overloaded")) {
                break;
            }
            Thread.sleep(50L + 10L * retry);
            resent.incrementAndGet();
            reply = client.request(ProtocolTopics.CHUNK, message, 1).get(120, TimeUnit.SECONDS);
        }
        Messages.ErrorBody e = Json.error(reply);
        if (e != null) {
            errors.add(e.code() + ": " + e.message());
            throw new IllegalStateException("chunk refused: " + e.code() + ": " + e.message());
        }
        Messages.ChunkAck a = Json.read(reply, Messages.ChunkAck.class, "ack");
        if (a.duplicate()) {
            duplicates.incrementAndGet();
        }
        return a;
    }
}
