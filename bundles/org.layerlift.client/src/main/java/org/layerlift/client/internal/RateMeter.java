package org.layerlift.client.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The uplink rate as the client sees it: bytes that left (chunks and query activations the broker acknowledged) per
 * second of time with something on the link, over the last {@link #WINDOW_BYTES} bytes. Time with nothing in flight
 * (no chunk to send, local compute between queries, disconnected) does not count, so the rate is the link's, not the
 * upload's share of it. Neither does time the link was dead: what failed ({@code end(0)}: a chunk or hop lost with
 * the connection, retried, or given up before it was written) and a stall ({@link #stalled}, or {@link #heard} after
 * {@link #STALL_NS} of silence from the gateway); counted, a 10 s cut made the measured rate a tenth of the link's,
 * the gateway re-planned the session for it, and it stopped offloading after the cut.
 * <p>
 * A stall is often over before it is seen: on a dark link the socket still takes a query's activations into its
 * buffers, and when the link comes back the broker's acknowledgement of the chunk that was on it arrives before
 * anything from the gateway. So an item slower than {@link #STALL_NS} and than {@link #OUTLIER} times what the rate
 * measured so far says is not counted either, nor is the next such one until the gateway has been heard. Once it has,
 * slow items count again: the link did slow down, and its rate follows.
 */
final class RateMeter {

    static final long WINDOW_BYTES = 4L << 20;
    static final long MIN_BYTES = 256L << 10;
    static final long MIN_BUSY_NS = 1_000_000_000L;
    /** an item slower than this, and than {@link #OUTLIER} times the measured rate, is taken for a stall */
    static final long STALL_NS = 2_000_000_000L;
    static final double OUTLIER = 4;

    private record Sample(long bytes, long busyNanos) {}

    private final Deque<Sample> samples = new ArrayDeque<>();
    private final LongSupplier clock;
    private long bytes;
    private long busy;
    private int inFlight;
    private long last;
    private long pending;
    private long lastHeard;
    /** the last item was slow like a stall: the next slow one counts only when the gateway was heard in between */
    private boolean slowRun;
    private boolean heardSinceSlow;
    private int stallsDropped;

    RateMeter() {
        this(System::nanoTime);
    }

    RateMeter(LongSupplier clock) {
        this.clock = clock;
        this.last = clock.getAsLong();
        this.lastHeard = last;
    }

    private void advance() {
        long now = clock.getAsLong();
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
        double r = mbps();
        boolean slow = pending > STALL_NS && r > 0 && pending / 1e9 > OUTLIER * (n * 8 / (r * 1e6));
        if (slow && !(slowRun && heardSinceSlow)) {
            // a stall seen late (or the first item of a slower link: the next one after the gateway answers counts)
            slowRun = true;
            heardSinceSlow = false;
            stallsDropped++;
            pending = 0;
            return;
        }
        slowRun = slow;
        samples.addLast(new Sample(n, pending));
        bytes += n;
        busy += pending;
        pending = 0;
        // the last WINDOW_BYTES. On a link faster than about 33 Mbit/s that is under MIN_BUSY_NS of link time, so the
        // meter gives no rate there and the session is never re-planned for its bandwidth. Kept so on purpose for now:
        // a window of at least 1 s (tried) measured 124 Mbit/s on a 160 Mbit/s link, the reports re-planned sessions
        // mid-upload, and a new plan whose first partition is not ready sent queries back to local (AlexNet at
        // 160 Mbit/s under ionn: 517 ms against 109 predicted). A re-plan now keeps what is ready (ReadyFirst on the
        // gateway); the wider window is still to be tried again with it.
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

    /**
     * Something came from the gateway: the link works. After {@link #STALL_NS} of silence, what was in flight
     * meanwhile waited on a dead link, and that time is dropped.
     */
    synchronized void heard() {
        advance();
        if (last - lastHeard > STALL_NS) {
            pending = 0;
        }
        lastHeard = last;
        heardSinceSlow = true;
    }

    /** Items not counted because they looked like a stall seen late. */
    synchronized int stallsDropped() {
        return stallsDropped;
    }

    /** Mbit/s, or 0 before enough bytes and time. */
    synchronized double mbps() {
        if (bytes < MIN_BYTES || busy < MIN_BUSY_NS) {
            return 0;
        }
        return bytes * 8 / (busy / 1e9) / 1e6;
    }
}
