package org.layerlift.client.internal;

/**
 * Which route's client parts the warmer builds next (pure). Building them in plan order spends the first seconds of a
 * fast upload on routes that are superseded before their parts are ready: AlexNet's parts that hold fc6 and fc7 take
 * about a second each, and at 160 Mbit/s five partitions are ready within 0.8 s. So the next build is the one that
 * saves the most query time: a route's gain is what it saves per query against the best route the client will have
 * without it (local, or a route already built, from when its partition is ready), summed over the time it is usable
 * before the upload ends and a while after ({@link #AFTER_UPLOAD_MS}), from when it is both ready and built. Once no
 * build gains anything that way, a ready route faster than every built one is built (after the upload: the final
 * route).
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
        Baseline base = Baseline.of(latencyMs, etaMs, buildMs, bestNowMs);
        int best = -1;
        double bestGain = 0;
        for (int j = 0; j < latencyMs.length; j++) {
            if (!candidate(latencyMs[j], buildMs[j]) || !(latencyMs[j] < bestNowMs) || !Double.isFinite(etaMs[j])) {
                continue;
            }
            double gain = base.savedMs(latencyMs[j], Math.max(etaMs[j], buildMs[j]), end);
            if (gain > bestGain) {
                bestGain = gain;
                best = j;
            }
        }
        if (best >= 0) {
            return best;
        }
        // no build pays before the window closes: a ready route faster than anything built will be is still built
        double fastest = base.finalMs();
        for (int j = 0; j < latencyMs.length; j++) {
            if (candidate(latencyMs[j], buildMs[j]) && etaMs[j] == 0 && latencyMs[j] < fastest) {
                fastest = latencyMs[j];
                best = j;
            }
        }
        return best;
    }

    /**
     * The fastest a query goes over time without building anything more: {@code bestNowMs} now, then each route
     * already built as its partition becomes ready. A build pays only for what it saves against that, so a slow
     * route is not built while a built, faster one is about to be ready (AlexNet at 160 Mbit/s under ionn: a 2.7 s
     * build of a 178 ms route, while the built 135 ms route was ready 0.2 s later, took CPU from the queries).
     */
    private record Baseline(double[] fromMs, double[] latencyMs) {

        static Baseline of(double[] latencyMs, double[] etaMs, double[] buildMs, double bestNowMs) {
            int n = latencyMs.length;
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) {
                order[j] = j;
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(j -> etaMs[j]));
            double[] from = new double[n + 1];
            double[] latency = new double[n + 1];
            int steps = 1;
            latency[0] = bestNowMs;
            for (int j : order) {
                boolean built = buildMs[j] == 0 && Double.isFinite(latencyMs[j]) && Double.isFinite(etaMs[j]);
                if (built && latencyMs[j] < latency[steps - 1]) {
                    from[steps] = etaMs[j];
                    latency[steps] = latencyMs[j];
                    steps++;
                }
            }
            return new Baseline(java.util.Arrays.copyOf(from, steps), java.util.Arrays.copyOf(latency, steps));
        }

        /** What a route of {@code routeMs}, usable from {@code fromMs} until {@code endMs}, saves against this. */
        double savedMs(double routeMs, double usableMs, double endMs) {
            double saved = 0;
            for (int k = 0; k < fromMs.length; k++) {
                double a = Math.max(usableMs, fromMs[k]);
                double b = k + 1 < fromMs.length ? Math.min(endMs, fromMs[k + 1]) : endMs;
                if (b > a && latencyMs[k] > routeMs) {
                    saved += (latencyMs[k] - routeMs) * (b - a);
                }
            }
            return saved;
        }

        double finalMs() {
            return latencyMs[latencyMs.length - 1];
        }
    }

    /**
     * When each route becomes usable on the client if the warmer builds as {@link #next} chooses, one build after the
     * other from now (t = 0), with the partitions ready at {@code readyMs}: the prediction's client side.
     *
     * @param buildMs per partition, its route's build from now (0: built; infinite: it does not build)
     * @return per partition, the time its route is built (0: already; infinite: never, or no route)
     */
    static double[] schedule(double[] latencyMs, double[] readyMs, double[] buildMs, double localMs) {
        int n = latencyMs.length;
        double[] usable = new double[n];
        double[] left = buildMs.clone();
        for (int j = 0; j < n; j++) {
            boolean builds = Double.isFinite(latencyMs[j]) && left[j] >= 0 && Double.isFinite(left[j]);
            if (!builds) {
                usable[j] = Double.POSITIVE_INFINITY; // no route, or it does not build
                left[j] = Double.POSITIVE_INFINITY;
            } else {
                usable[j] = left[j] == 0 ? 0 : Double.POSITIVE_INFINITY; // built, or once scheduled
            }
        }
        double t = 0;
        for (int step = 0; step < 2 * n + 1; step++) {
            double[] eta = new double[n];
            double bestNow = localMs;
            for (int j = 0; j < n; j++) {
                eta[j] = Math.max(0, readyMs[j] - t);
                if (usable[j] <= t && readyMs[j] <= t) {
                    bestNow = Math.min(bestNow, latencyMs[j]);
                }
            }
            int j = next(latencyMs, eta, left, bestNow);
            if (j >= 0) {
                t += left[j];
                usable[j] = t;
                left[j] = 0;
                continue;
            }
            // nothing worth building before a later partition is ready: go on to that moment
            double later = Double.POSITIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                if (readyMs[k] > t && readyMs[k] < later && left[k] > 0 && Double.isFinite(left[k])) {
                    later = readyMs[k];
                }
            }
            if (Double.isInfinite(later)) {
                break;
            }
            t = later;
        }
        return usable;
    }

    /** A route with a latency whose parts are not built and did not fail to build. */
    private static boolean candidate(double latencyMs, double buildMs) {
        return Double.isFinite(latencyMs) && buildMs > 0 && Double.isFinite(buildMs);
    }
}
