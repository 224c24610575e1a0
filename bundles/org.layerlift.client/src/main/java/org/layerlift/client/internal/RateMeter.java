package org.layerlift.client.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The uplink rate as the client sees it: bytes that left (chunks and query activations the broker acknowledged) per
 * second of time with something on the link, over the last {@link #WINDOW_BYTES} bytes. Time with nothing in flight (no
 * chunk to send, local compute between queries, disconnected) does not count, so the rate is the link's, not the
 * upload's share of it. Neither does time the link was dead: what failed ({@code end(0)}: a chunk or hop lost with
 * the connection, or retried) and a stall ({@link #stalled}: nothing heard from the gateway for a while, the link
 * cut); counted, a 10 s cut made the measured rate a tenth of the link's, the gateway re-planned the session for it,
 * and it stopped offloading after the cut.
 */
final class RateMeter {

    static final long WINDOW_BYTES = 4L << 20;
    static final long MIN_BYTES = 256L << 10;
    static final long MIN_BUSY_NS = 1_000_000_000L;

    private record Sample(long bytes, long busyNanos) {}

    private final Deque<Sample> samples = new ArrayDeque<>();
    private long bytes;
    private long busy;
    private int inFlight;
    private long last = System.nanoTime();
    private long pending;

    private void advance() {
        long now = System.nanoTime();
        if (inFlight > 0) {
            pending += now - last;
        }
        last = now;
    }

    /** Something enters the link (a chunk is sent, a query's activations are published). */
    synchronized void begin() {
        advance();
        inFlight++;
    }

    /** It left: {@code n} bytes went through (0 when it failed: then the time since the last item left is dropped). */
    synchronized void end(long n) {
        advance();
        inFlight = Math.max(0, inFlight - 1);
        if (n == 0) {
            pending = 0;
            return;
        }
        samples.addLast(new Sample(n, pending));
        bytes += n;
        busy += pending;
        pending = 0;
        while (samples.size() > 1 && bytes - samples.peekFirst().bytes >= WINDOW_BYTES) {
            Sample s = samples.removeFirst();
            bytes -= s.bytes;
            busy -= s.busyNanos;
        }
    }

    /** The link was dead since the last item left (a stall, a lost connection): that time is not the link's. */
    synchronized void stalled() {
        advance();
        pending = 0;
    }

    /** Mbit/s, or 0 before enough bytes and time. */
    synchronized double mbps() {
        if (bytes < MIN_BYTES || busy < MIN_BUSY_NS) {
            return 0;
        }
        return bytes * 8 / (busy / 1e9) / 1e6;
    }
}
