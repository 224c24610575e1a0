package org.layerlift.client.internal.link;

import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket that paces bytes to a rate; shared by every thread that writes (or reads) one direction of a link.
 *
 * <p><b>Burst.</b> The bucket holds at most {@link #burst()} bytes of credit: {@code max(4 KiB, 2 ms of rate)}. Credit
 * earned while the link is idle is capped there, so an idle link does not later send a large burst; 2 ms is enough to
 * absorb the usual oversleep of a parked thread (tens to hundreds of microseconds), so a lone writer still reaches the
 * full rate, and 4 KiB keeps very slow links from pacing in absurdly small steps.
 *
 * <p><b>Reservation.</b> {@link #acquire(int)} takes its bytes in pieces of at most {@link #burst()}. For each piece it
 * refills the credit from the elapsed time and subtracts the piece under a short lock; the credit may go negative (a
 * debt), and the caller then sleeps, outside the lock, until the time at which the debt is paid. Later callers see the
 * larger debt and wait longer, so concurrent callers are served first come, first served and share the rate; since
 * large requests are split, one writer cannot hold the link for longer than one piece while another waits.
 *
 * <p>Sleeping uses {@link LockSupport#parkNanos(long)} against an absolute deadline ({@link System#nanoTime()}), so
 * oversleeping never slows the long-run rate (the time is credited back, up to the burst). Interrupts are honoured.
 */
public final class TokenBucket {

    /** The smallest burst, in bytes. */
    public static final int MIN_BURST = 4096;
    /** The burst, as time at the bucket's rate. */
    public static final long BURST_NANOS = 2_000_000L;

    private final double bytesPerNano;
    private final double bytesPerSecond;
    private final long burst;

    private final Object lock = new Object();
    /** Credit in bytes; negative while reservations wait. Guarded by {@link #lock}. */
    private double tokens;
    /** When {@link #tokens} was last brought up to date. Guarded by {@link #lock}. */
    private long stamp;

    /**
     * @param bytesPerSecond the rate, finite and &gt; 0
     */
    public TokenBucket(double bytesPerSecond) {
        if (!Double.isFinite(bytesPerSecond) || bytesPerSecond <= 0) {
            throw new IllegalArgumentException("a rate must be finite and > 0 bytes/s, got " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.bytesPerNano = bytesPerSecond / 1e9;
        this.burst = Math.max(MIN_BURST, (long) Math.min(Integer.MAX_VALUE, bytesPerSecond * BURST_NANOS / 1e9));
        this.tokens = burst;
        this.stamp = System.nanoTime();
    }

    /** The rate in bytes per second. */
    public double bytesPerSecond() {
        return bytesPerSecond;
    }

    /** The most credit the bucket holds, and the largest piece one reservation takes, in bytes. */
    public int burst() {
        return (int) burst;
    }

    /**
     * Waits until {@code n} bytes may pass. Large {@code n} are taken in pieces of at most {@link #burst()}, so other
     * callers are interleaved.
     *
     * @param n bytes, &ge; 0
     * @throws InterruptedException if the thread is interrupted while it waits (bytes of the current piece stay spent)
     */
    public void acquire(int n) throws InterruptedException {
        if (n < 0) {
            throw new IllegalArgumentException("negative byte count " + n);
        }
        int left = n;
        while (left > 0) {
            int piece = (int) Math.min(left, burst);
            long deadline = reserve(piece);
            sleepUntil(deadline);
            left -= piece;
        }
    }

    /**
     * Reserves {@code n} bytes (at most {@link #burst()}) without waiting.
     *
     * @return the {@link System#nanoTime()} at which they may pass, possibly in the past
     */
    long reserve(int n) {
        synchronized (lock) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - stamp) * bytesPerNano);
            stamp = now;
            tokens -= n;
            return tokens >= 0 ? now : now + (long) Math.ceil(-tokens / bytesPerNano);
        }
    }

    /** The current credit in bytes (negative while callers wait); for tests and diagnostics. */
    double available() {
        synchronized (lock) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - stamp) * bytesPerNano);
            stamp = now;
            return tokens;
        }
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        for (long wait = deadline - System.nanoTime(); wait > 0; wait = deadline - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for link capacity");
            }
        }
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "TokenBucket[%.3f Mbit/s, burst %d B]", bytesPerSecond / 125_000,
                burst);
    }
}
