package org.layerlift.client.internal.link;

import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes that passed a shaped link, counted at the socket (so TLS records and MQTT framing are included), summed over
 * every socket of one {@link ShapedSocketFactory}. Thread-safe.
 */
public final class LinkMeter {

    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();

    /** Bytes written to the network so far. */
    public long bytesSent() {
        return sent.sum();
    }

    /** Bytes read from the network so far. */
    public long bytesReceived() {
        return received.sum();
    }

    void sent(long n) {
        sent.add(n);
    }

    void received(long n) {
        received.add(n);
    }

    @Override
    public String toString() {
        return "LinkMeter[sent " + bytesSent() + " B, received " + bytesReceived() + " B]";
    }
}
