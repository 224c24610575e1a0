package org.layerlift.client.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The uplink rate as the upload sees it: unit bytes acknowledged per second of time with chunks in flight, over the
 * last {@link #WINDOW_BYTES} bytes. Idle time (nothing to send, disconnected) does not count.
 */
final class RateMeter {

    static final long WINDOW_BYTES = 4L << 20;
    static final long MIN_BYTES = 256L << 10;
    static final long MIN_BUSY_NS = 1_000_000_000L;

    private record Sample(long bytes, long busyNanos) {}

    private final Deque<Sample> samples = new ArrayDeque<>();
    private long bytes;
    private long busy;
    private long busySince = -1;
    private long lastMark = -1;

    /** Chunks are in flight from now. */
    synchronized void busy() {
        if (busySince < 0) {
            busySince = System.nanoTime();
            lastMark = busySince;
        }
    }

    /** Nothing is in flight any more. */
    synchronized void idle() {
        busySince = -1;
        lastMark = -1;
    }

    synchronized void acked(long n) {
        long now = System.nanoTime();
        long dt = lastMark < 0 ? 0 : now - lastMark;
        lastMark = lastMark < 0 ? -1 : now;
        samples.addLast(new Sample(n, dt));
        bytes += n;
        busy += dt;
        while (bytes - samples.peekFirst().bytes >= WINDOW_BYTES) {
            Sample s = samples.removeFirst();
            bytes -= s.bytes;
            busy -= s.busyNanos;
        }
    }

    /** Mbit/s, or 0 before enough bytes and time. */
    synchronized double mbps() {
        if (bytes < MIN_BYTES || busy < MIN_BUSY_NS) {
            return 0;
        }
        return bytes * 8 / (busy / 1e9) / 1e6;
    }
}
