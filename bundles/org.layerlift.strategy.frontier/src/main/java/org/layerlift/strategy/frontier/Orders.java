package org.layerlift.strategy.frontier;

import java.util.ArrayList;
import java.util.List;

/** Candidate upload orders: unit indices not on the server, each at most once. */
final class Orders {

    private Orders() {
    }

    /**
     * Greedy by gain per byte over ranges: repeatedly upload the contiguous range of units whose arrival cuts the
     * fastest plan's latency most per byte sent (a range may be partly uploaded already). For each left end the right
     * end sweeps once, carrying the min-plus product of the unit matrices between the prefix and suffix programs, so
     * a step costs O(n * maxLength) and the order O(n^2 * maxLength) at worst.
     */
    static int[] greedyRanges(Chain chain, int maxLength) {
        int n = chain.n;
        boolean[] available = chain.onServer.clone();
        List<Integer> order = new ArrayList<>();
        double current = chain.best(available).latencyMs();
        double[] forwardC = new double[n + 1];
        double[] forwardS = new double[n + 1];
        double[] backC = new double[n + 1];
        double[] backS = new double[n + 1];
        while (true) {
            forward(chain, available, forwardC, forwardS);
            backward(chain, available, backC, backS);
            double bestScore = 0;
            int bestL = -1;
            int bestR = -1;
            for (int l = 0; l < n; l++) {
                double c = forwardC[l];
                double s = forwardS[l];
                long bytes = 0;
                boolean adds = false;
                for (int r = l; r < n && r < l + maxLength; r++) {
                    // unit r on the server allowed
                    double returned = r > 0 ? s + chain.outMs[r - 1] : Chain.INF;
                    double nc = Math.min(c, returned) + chain.tc[r];
                    double ns = Math.min(c + chain.inMs[r], s) + chain.ts[r];
                    c = nc;
                    s = ns;
                    if (!available[r]) {
                        bytes += chain.bytes[r];
                        adds = true;
                    }
                    if (!adds) {
                        continue;
                    }
                    double latency = Math.min(c + backC[r + 1], s + backS[r + 1]);
                    double gain = current - latency;
                    if (gain > 1e-9 * current) {
                        double score = bytes == 0 ? Double.POSITIVE_INFINITY : gain / bytes;
                        if (score > bestScore) {
                            bestScore = score;
                            bestL = l;
                            bestR = r;
                        }
                    }
                }
            }
            if (bestL < 0) {
                break;
            }
            for (int u = bestL; u <= bestR; u++) {
                if (!available[u]) {
                    available[u] = true;
                    order.add(u);
                }
            }
            current = chain.best(available).latencyMs();
        }
        return toArray(order);
    }

    /** Best cost to reach each boundary with the activation on the client (c) or on the server (s). */
    private static void forward(Chain chain, boolean[] available, double[] c, double[] s) {
        c[0] = chain.clientOnlyMs;
        s[0] = Chain.INF;
        for (int i = 0; i < chain.n; i++) {
            double returned = i > 0 ? s[i] + chain.outMs[i - 1] : Chain.INF;
            c[i + 1] = Math.min(c[i], returned) + chain.tc[i];
            s[i + 1] = available[i] ? Math.min(c[i] + chain.inMs[i], s[i]) + chain.ts[i] : Chain.INF;
        }
    }

    /** Best cost from each boundary to the end, starting on the client (c) or on the server (s). */
    private static void backward(Chain chain, boolean[] available, double[] c, double[] s) {
        int n = chain.n;
        c[n] = 0;
        s[n] = chain.outMs[n - 1];
        for (int i = n - 1; i >= 0; i--) {
            double viaServer = available[i] ? chain.ts[i] + s[i + 1] : Chain.INF;
            // on the client at boundary i: run unit i here, or send its input and run it there
            c[i] = Math.min(chain.tc[i] + c[i + 1], chain.inMs[i] + viaServer);
            // on the server at boundary i (unit i-1 ran there): stay, or return the output and go on locally
            double back = i > 0 ? chain.outMs[i - 1] + chain.tc[i] + c[i + 1] : Chain.INF;
            s[i] = Math.min(viaServer, back);
        }
    }

    /**
     * IONN's order: the plans of the upload-penalised program for penalty 1, 0.8, 0.64, ... down to 0, each new plan
     * adding its new units in index order.
     */
    static int[] penaltySweep(Chain chain, double k) {
        boolean[] all = chain.everything();
        boolean[] added = chain.onServer.clone();
        List<Integer> order = new ArrayList<>();
        for (int level = 0;; level++) {
            double progress = 1 - Math.pow(k, level);
            if (progress > 0.999) {
                progress = 1;
            }
            boolean[] server = chain.best(all, 1 - progress).server(chain.n);
            for (int u = 0; u < chain.n; u++) {
                if (server[u] && !added[u]) {
                    added[u] = true;
                    order.add(u);
                }
            }
            if (progress >= 1) {
                return toArray(order);
            }
        }
    }

    /**
     * The lower convex hull of (bytes, latency) over plans, found by parametric search on the price of a byte; units
     * in the order of the cheapest hull plan that holds them.
     */
    static int[] hull(Chain chain) {
        boolean[] all = chain.everything();
        // penalty p prices a unit's upload at p * (bytes/B + load); huge p: the plan needing least; 0: the fastest
        Chain.Plan cheap = chain.best(all, 1e9);
        Chain.Plan fast = chain.best(all, 0);
        List<Chain.Plan> hull = new ArrayList<>();
        hull.add(cheap);
        between(chain, all, cheap, fast, hull, 0);
        hull.add(fast);
        boolean[] added = chain.onServer.clone();
        List<Integer> order = new ArrayList<>();
        for (Chain.Plan plan : hull) {
            boolean[] server = plan.server(chain.n);
            for (int u = 0; u < chain.n; u++) {
                if (server[u] && !added[u]) {
                    added[u] = true;
                    order.add(u);
                }
            }
        }
        return toArray(order);
    }

    private static double cost(Chain chain, Chain.Plan plan) {
        return chain.uploadMs(plan);
    }

    private static void between(Chain chain, boolean[] all, Chain.Plan a, Chain.Plan b, List<Chain.Plan> hull,
            int depth) {
        double costA = cost(chain, a);
        double costB = cost(chain, b);
        if (depth > 60 || costB <= costA || a.latencyMs() <= b.latencyMs()) {
            return;
        }
        double penalty = (a.latencyMs() - b.latencyMs()) / (costB - costA);
        Chain.Plan mid = chain.best(all, penalty);
        double valueMid = mid.latencyMs() + penalty * cost(chain, mid);
        double valueA = a.latencyMs() + penalty * costA;
        if (valueMid < valueA - 1e-9 * Math.max(1, Math.abs(valueA)) && !mid.sameAs(a) && !mid.sameAs(b)) {
            between(chain, all, a, mid, hull, depth + 1);
            hull.add(mid);
            between(chain, all, mid, b, hull, depth + 1);
        }
    }

    static int[] toArray(List<Integer> list) {
        int[] array = new int[list.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = list.get(i);
        }
        return array;
    }
}
