package org.layerlift.client.internal;

import java.util.Arrays;

/**
 * A hop's messaging overhead: the median of the last {@value #KEPT} small request round trips (client, broker,
 * gateway and back). The session times {@value #KEPT} at open; a figure timed while every client of a crowd opens at
 * once stays inflated for as long as nothing corrects it, and a router that prices every hop over the local time
 * never takes one to find out. So while queries run locally although a route is ready, one more round trip is timed
 * at most every {@link #PROBE_EVERY_NS} ns, and the median follows the newest ones. Not thread-safe: the session
 * guards it.
 */
final class RoundTrips {

    static final int KEPT = 5;
    static final long PROBE_EVERY_NS = 2_000_000_000L;

    private final double[] last = new double[KEPT];
    private int count;
    private int next;
    private long lastProbeNs;
    private boolean probing;

    void add(double ms) {
        if (!(ms >= 0) || Double.isInfinite(ms)) {
            return;
        }
        last[next] = ms;
        next = (next + 1) % KEPT;
        count = Math.min(KEPT, count + 1);
    }

    /** The median of the kept round trips (ms); 0 before any. */
    double medianMs() {
        if (count == 0) {
            return 0;
        }
        double[] sorted = Arrays.copyOf(last, count);
        Arrays.sort(sorted);
        return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
    }

    /** True (and a probe is then in flight) when no probe is in flight and the last began long enough ago. */
    boolean startProbe(long nowNs) {
        if (probing || count > 0 && lastProbeNs != 0 && nowNs - lastProbeNs < PROBE_EVERY_NS) {
            return false;
        }
        probing = true;
        lastProbeNs = nowNs;
        return true;
    }

    /** The probe's round trip, or NaN when it failed (nothing kept). */
    void probed(double ms) {
        probing = false;
        add(ms);
    }
}
