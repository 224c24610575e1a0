package org.layerlift.client.internal;

/**
 * Whether the measured uplink rate is to be reported to the gateway: it differs from the plan's by more than
 * {@link #DRIFT}, has done so without a break for {@link #PERSIST_NS}, and the last report is at least
 * {@link #MIN_INTERVAL_NS} old. A dip that passes is not reported: each report re-plans the session, and a re-plan
 * mid-upload costs queries (docs/results-real.md, items 7 and 8). At 40 Mbit/s every run was re-planned 1.05–2.02 s
 * into its upload for a dip to 23–32 Mbit/s, and again 3 s later when the dip was over.
 */
final class DriftGate {

    /** a rate drift from the plan's estimate that is reported */
    static final double DRIFT = 0.20;
    /** how long the drift must last */
    static final long PERSIST_NS = 2_000_000_000L;
    /** reports at most this often */
    static final long MIN_INTERVAL_NS = 3_000_000_000L;

    private boolean drifting;
    private long driftSince;
    private boolean reported;
    private long lastReport;

    /** @return true when {@code measuredMbps} (0: no rate yet) is to be reported now, against {@code plannedMbps} */
    boolean shouldReport(double measuredMbps, double plannedMbps, long nowNs) {
        if (measuredMbps <= 0 || Math.abs(measuredMbps - plannedMbps) <= DRIFT * plannedMbps) {
            drifting = false;
            return false;
        }
        if (!drifting) {
            drifting = true;
            driftSince = nowNs;
        }
        if (nowNs - driftSince < PERSIST_NS || reported && nowNs - lastReport < MIN_INTERVAL_NS) {
            return false;
        }
        reported = true;
        lastReport = nowNs;
        drifting = false;
        return true;
    }
}
