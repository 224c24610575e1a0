package org.layerlift.client.internal;

/**
 * Which route's client parts the warmer builds next (pure). Building them in plan order spends the first seconds of a
 * fast upload on routes that are superseded before their parts are ready: AlexNet's parts that hold fc6 and fc7 take
 * about a second each, and at 160 Mbit/s five partitions are ready within 0.8 s. So the next build is the one that
 * saves the most query time: a route's gain is what it saves per query against the best route usable now (built and
 * ready, or local), times how long it is usable before the upload ends and a while after ({@link #AFTER_UPLOAD_MS}),
 * from when it is both ready and built. Once no build gains anything that way, a ready route faster than the best
 * usable one is built (after the upload: the final route).
 */
final class WarmOrder {

    /** how long after the upload a route's gain still counts: the queries right after it use the final route */
    static final double AFTER_UPLOAD_MS = 2000;

    private WarmOrder() {
    }

    /**
     * @param latencyMs per partition, a query's latency along its route once usable (NaN or infinite: no route)
     * @param etaMs     per partition, ms from now until it is ready (0 when ready; infinite when unknown)
     * @param buildMs   per partition, what building its route's client parts would still take (0: built; infinite:
     *                  failed to build)
     * @param bestNowMs the fastest a query can go now (local, or a ready route already built)
     * @return the partition whose route to build next, or -1 when none is worth it now
     */
    static int next(double[] latencyMs, double[] etaMs, double[] buildMs, double bestNowMs) {
        double end = 0;
        for (double eta : etaMs) {
            if (Double.isFinite(eta)) {
                end = Math.max(end, eta);
            }
        }
        end += AFTER_UPLOAD_MS;
        int best = -1;
        double bestGain = 0;
        for (int j = 0; j < latencyMs.length; j++) {
            if (!candidate(latencyMs[j], buildMs[j]) || !(latencyMs[j] < bestNowMs) || !Double.isFinite(etaMs[j])) {
                continue;
            }
            double usableFrom = Math.max(etaMs[j], buildMs[j]);
            double gain = (bestNowMs - latencyMs[j]) * Math.max(0, end - usableFrom);
            if (gain > bestGain) {
                bestGain = gain;
                best = j;
            }
        }
        if (best >= 0) {
            return best;
        }
        double fastest = bestNowMs;
        for (int j = 0; j < latencyMs.length; j++) {
            if (candidate(latencyMs[j], buildMs[j]) && etaMs[j] == 0 && latencyMs[j] < fastest) {
                fastest = latencyMs[j];
                best = j;
            }
        }
        return best;
    }

    /** A route with a latency whose parts are not built and did not fail to build. */
    private static boolean candidate(double latencyMs, double buildMs) {
        return Double.isFinite(latencyMs) && buildMs > 0 && Double.isFinite(buildMs);
    }
}
