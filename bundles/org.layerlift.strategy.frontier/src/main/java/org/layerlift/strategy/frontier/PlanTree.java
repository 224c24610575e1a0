package org.layerlift.strategy.frontier;

import java.util.Arrays;

/**
 * The fastest plan over a growing set of server units, kept up to date unit by unit: a segment tree over the chain
 * whose nodes hold the min-plus product of their units' 2x2 transfer matrices (state at a unit boundary: the
 * activation is on the client (c) or on the server (s); see {@link Chain}). Making a unit available changes one leaf
 * and the O(log n) products above it; the root gives the best latency.
 *
 * <p>Each node also carries, for the best path of each (entry, exit) state pair, what a query needs to know about
 * waiting for weights: a query started at t with this plan finishes at max(t + latency, t + delay) where
 * delay = max over server segments of (arrival of the segment's last weights - time the segment's input reaches the
 * server). Segment boundaries cross nodes, so a node keeps the delay of the segments it holds whole, the arrival of
 * the run that enters it on the server, and the arrival and input offset of the run that leaves it on the server; two
 * nodes combine in O(1). So an upload step costs O(log n) and gives both the plan's latency and its waiting profile
 * without recovering the plan.
 *
 * <p>The plan itself (a server mask) is recovered by {@link #refresh}, which descends only into nodes changed since
 * the last refresh or whose boundary states changed: a cost proportional to the change times O(log n).
 *
 * <p>Ties go to the client at every split, as in {@link Chain#best}, so a plan never holds a unit it does not need.
 * The root value of a path is its cost summed in the tree's grouping, which does not depend on the other leaves:
 * making a unit available leaves the value unchanged unless a path through that unit is strictly cheaper. Not
 * thread-safe; one per evaluator.
 */
final class PlanTree {

    private static final double INF = Chain.INF;
    private static final double NONE = Double.NEGATIVE_INFINITY;
    private static final int CC = 0;
    private static final int CS = 1;
    private static final int SC = 2;
    private static final int SS = 3;
    /** bits of {@link #info}: 0-3 the split state (1 = server) chosen for each pair, then the pure flags */
    private static final int PURE_C = 1 << 4;
    private static final int PURE_S = 1 << 5;

    private final Chain chain;
    private final int n;
    private final int size;
    /**
     * Per node (heap order, leaves at [size, 2 size)), W doubles: for each state pair (from, to), at offsets
     * COST + pair: the best path's cost; INNER: max over the segments the path holds whole of (arrival - input
     * offset from the node's start); OPEN_LEFT (entering on the server): latest arrival among the units of the run
     * that continues from before; OPEN_RIGHT, OFFSET (leaving on the server, the run starting inside the node):
     * latest arrival of its units, its input offset.
     */
    private final double[] d;
    private static final int W = 20;
    private static final int COST = 0;
    private static final int INNER = 4;
    private static final int OPEN_LEFT = 8;
    private static final int OPEN_RIGHT = 12;
    private static final int OFFSET = 16;
    private final int[] info;
    /** nodes recomputed since the last refresh carry the current epoch */
    private final int[] touched;
    /** nodes whose waiting data lag behind their costs (computed lazily, only when a delay is asked for) */
    private final boolean[] stale;
    private int epoch = 1;

    private final boolean[] available;
    private final double[] ready;
    /** the plan as of the last refresh */
    private final boolean[] mask;

    private final double[] base;
    private final int[] baseInfo;
    private final boolean[] baseMask;

    /**
     * The work counter, in steps of roughly equal cost: a node's costs recomputed count COST_STEPS, its waiting data
     * WAIT_STEPS, a node visited by a refresh REFRESH_STEPS, a reset two per leaf (copying the base tree).
     */
    private long steps;
    static final int COST_STEPS = 4;
    static final int WAIT_STEPS = 4;
    static final int REFRESH_STEPS = 2;

    PlanTree(Chain chain) {
        this.chain = chain;
        this.n = chain.n;
        int s = 1;
        while (s < n) {
            s <<= 1;
        }
        size = s;
        d = new double[2 * W * size];
        info = new int[2 * size];
        touched = new int[2 * size];
        stale = new boolean[2 * size];
        available = chain.onServer.clone();
        ready = new double[n];
        mask = new boolean[n];
        for (int i = 0; i < size; i++) {
            leaf(i);
        }
        for (int node = size - 1; node >= 1; node--) {
            combine(node);
        }
        Arrays.fill(touched, epoch);
        refresh(null);
        base = d.clone();
        baseInfo = info.clone();
        baseMask = mask.clone();
    }

    /** Back to the units on the server from the start. */
    void reset() {
        System.arraycopy(base, 0, d, 0, d.length);
        System.arraycopy(baseInfo, 0, info, 0, info.length);
        System.arraycopy(baseMask, 0, mask, 0, n);
        System.arraycopy(chain.onServer, 0, available, 0, n);
        Arrays.fill(stale, false);
        epoch++;
        steps += 2L * size;
    }

    /** Makes unit u runnable on the server from time readyMs on. */
    void add(int u, double readyMs) {
        if (available[u]) {
            return;
        }
        available[u] = true;
        ready[u] = readyMs;
        leaf(u);
        touched[u + size] = epoch;
        for (int node = (u + size) >> 1; node >= 1; node >>= 1) {
            combineCosts(node);
            touched[node] = epoch;
            stale[node] = true;
        }
    }

    long steps() {
        return steps;
    }

    private boolean endsOnServer() {
        return d[W + COST + CS] + chain.outMs[n - 1] < d[W + COST + CC];
    }

    /** The best latency with the units available now, in the tree's summation order. */
    double value() {
        return chain.clientOnlyMs + min(d[W + COST + CC], d[W + COST + CS] + chain.outMs[n - 1]);
    }

    /** Whether the best plan runs everything on the client. */
    boolean allClient() {
        return !endsOnServer() && (info[1] & PURE_C) != 0;
    }

    /**
     * The best plan's delay: a query started at t runs in value() + max(0, delay() - t); -infinity when it never
     * waits.
     */
    double delay() {
        updateWaits(1);
        double delay = endsOnServer() ? max(d[W + INNER + CS], d[W + OPEN_RIGHT + CS] - d[W + OFFSET + CS])
                : d[W + INNER + CC];
        return delay - chain.clientOnlyMs;
    }

    /**
     * Brings the mask up to the best plan, descending only where something changed since the last refresh; marks
     * the units that become server units in {@code used} (if given).
     */
    void refresh(boolean[] used) {
        refresh(1, 0, size, false, false, endsOnServer(), used);
        epoch++;
    }

    /** The best plan as of the last refresh (read-only). */
    boolean[] mask() {
        return mask;
    }

    /**
     * Node covering units [lo, hi): entry state a, its old value oldA, exit state b. The units right of the node are
     * still as the last plan had them, so the old exit state is read from the mask.
     */
    private void refresh(int node, int lo, int hi, boolean a, boolean oldA, boolean b, boolean[] used) {
        if (lo >= n) {
            return;
        }
        steps += REFRESH_STEPS;
        int last = Math.min(hi, n) - 1;
        boolean oldB = mask[last];
        if (touched[node] != epoch && a == oldA && b == oldB) {
            return;
        }
        if (node >= size) {
            mask[lo] = b;
            if (b && used != null) {
                used[lo] = true;
            }
            return;
        }
        int bits = info[node];
        if (touched[node] != epoch) {
            if (!a && !b && (bits & PURE_C) != 0) {
                Arrays.fill(mask, lo, last + 1, false);
                steps += (last + 1 - lo) >> 3;
                return;
            }
            if (a && b && (bits & PURE_S) != 0) {
                Arrays.fill(mask, lo, last + 1, true);
                if (used != null) {
                    Arrays.fill(used, lo, last + 1, true);
                }
                steps += (last + 1 - lo) >> 3;
                return;
            }
        }
        boolean mid = (bits & (1 << pair(a, b))) != 0;
        int half = (lo + hi) >>> 1;
        boolean oldMid = half <= n && mask[half - 1];
        refresh(2 * node, lo, half, a, oldA, mid, used);
        refresh(2 * node + 1, half, hi, mid, oldMid, b, used);
    }

    private static int pair(boolean from, boolean to) {
        return (from ? 2 : 0) + (to ? 1 : 0);
    }

    /** Unit i's matrix: from the state at boundary i to the state at boundary i + 1 (padding: the identity). */
    private void leaf(int i) {
        int at = W * (size + i);
        Arrays.fill(d, at + INNER, at + OFFSET, NONE);
        Arrays.fill(d, at + OFFSET, at + W, 0);
        if (i >= n) {
            d[at + COST + CC] = 0;
            d[at + COST + CS] = INF;
            d[at + COST + SC] = INF;
            d[at + COST + SS] = 0;
            info[size + i] = PURE_C | PURE_S;
            return;
        }
        boolean on = available[i];
        double arrival = chain.onServer[i] ? 0 : ready[i];
        d[at + COST + CC] = chain.tc[i];
        d[at + COST + CS] = on ? chain.inMs[i] + chain.ts[i] : INF;
        d[at + COST + SC] = i > 0 ? chain.outMs[i - 1] + chain.tc[i] : INF;
        d[at + COST + SS] = on ? chain.ts[i] : INF;
        if (on) {
            d[at + OPEN_RIGHT + CS] = arrival;
            d[at + OFFSET + CS] = chain.inMs[i];
            d[at + OPEN_LEFT + SS] = arrival;
        }
        info[size + i] = PURE_C | (on ? PURE_S : 0);
    }

    private void combine(int node) {
        combineCosts(node);
        combineWaits(node);
    }

    /** The node's costs, split choices and pure flags from its children's. */
    private void combineCosts(int node) {
        steps += COST_STEPS;
        int left = 2 * node;
        int l = W * left;
        int r = l + W;
        int c = W * node;
        int bits = 0;
        for (int p = 0; p < 4; p++) {
            int a = p >> 1;
            int b = p & 1;
            // split on the client: left (a, c), right (c, b); on the server: left (a, s), right (s, b)
            double viaC = d[l + 2 * a] + d[r + b];
            double viaS = d[l + 2 * a + 1] + d[r + 2 + b];
            if (viaS < viaC) {
                d[c + COST + p] = viaS;
                bits |= 1 << p;
            } else {
                d[c + COST + p] = viaC;
            }
        }
        int leftInfo = info[left];
        int rightInfo = info[left + 1];
        if ((bits & 1) == 0 && (leftInfo & PURE_C) != 0 && (rightInfo & PURE_C) != 0) {
            bits |= PURE_C;
        }
        if ((bits & (1 << SS)) != 0 && (leftInfo & PURE_S) != 0 && (rightInfo & PURE_S) != 0) {
            bits |= PURE_S;
        }
        info[node] = bits;
    }

    /** Brings the waiting data of the node and the stale nodes below it up to date. */
    private void updateWaits(int node) {
        if (!stale[node]) {
            return;
        }
        updateWaits(2 * node);
        updateWaits(2 * node + 1);
        combineWaits(node);
        stale[node] = false;
    }

    /** The node's waiting data from its children's, along the split choices combineCosts made. */
    private void combineWaits(int node) {
        steps += WAIT_STEPS;
        int left = 2 * node;
        int l = W * left;
        int c = W * node;
        int bits = info[node];
        boolean leftPureS = (info[left] & PURE_S) != 0;
        boolean rightPureS = (info[left + 1] & PURE_S) != 0;
        combineWaits(l, c, CC, bits, false, false);
        combineWaits(l, c, CS, bits, false, rightPureS);
        combineWaits(l, c, SC, bits, leftPureS, false);
        combineWaits(l, c, SS, bits, leftPureS, rightPureS);
    }

    /**
     * One state pair p = (a, b) of the node at c from its children at l and l + W, split on the client (left (a, c),
     * right (c, b)) or on the server (left (a, s), right (s, b)) as the bits say. leftThrough: the left child's path
     * from the server to the server never leaves it (only asked with a = s); rightThrough likewise.
     */
    private void combineWaits(int l, int c, int p, int bits, boolean leftThrough, boolean rightThrough) {
        int a = p >> 1;
        int b = p & 1;
        int r = l + W;
        if ((bits & (1 << p)) == 0) {
            int lc = l + 2 * a;
            int rc = r + b;
            double leftCost = d[lc];
            d[c + INNER + p] = max(d[lc + INNER], d[rc + INNER] - leftCost);
            d[c + OPEN_LEFT + p] = d[lc + OPEN_LEFT];
            d[c + OPEN_RIGHT + p] = d[rc + OPEN_RIGHT];
            d[c + OFFSET + p] = d[rc + OFFSET] + leftCost;
            return;
        }
        int ls = l + 2 * a + 1;
        int rs = r + 2 + b;
        double leftCost = d[ls];
        double merged = max(leftThrough ? d[ls + OPEN_LEFT] : d[ls + OPEN_RIGHT], d[rs + OPEN_LEFT]);
        if (leftThrough) {
            if (rightThrough) {
                d[c + INNER + p] = NONE;
                d[c + OPEN_RIGHT + p] = NONE;
                d[c + OFFSET + p] = 0;
            } else {
                d[c + INNER + p] = d[rs + INNER] - leftCost;
                d[c + OPEN_RIGHT + p] = d[rs + OPEN_RIGHT];
                d[c + OFFSET + p] = d[rs + OFFSET] + leftCost;
            }
            d[c + OPEN_LEFT + p] = merged;
        } else if (rightThrough) {
            d[c + INNER + p] = d[ls + INNER];
            d[c + OPEN_LEFT + p] = d[ls + OPEN_LEFT];
            d[c + OPEN_RIGHT + p] = merged;
            d[c + OFFSET + p] = d[ls + OFFSET];
        } else {
            d[c + INNER + p] = max(max(d[ls + INNER], d[rs + INNER] - leftCost), merged - d[ls + OFFSET]);
            d[c + OPEN_LEFT + p] = d[ls + OPEN_LEFT];
            d[c + OPEN_RIGHT + p] = d[rs + OPEN_RIGHT];
            d[c + OFFSET + p] = d[rs + OFFSET] + leftCost;
        }
    }

    /** Math.max without the NaN and signed-zero cases, which never arise here (and cost branches). */
    private static double max(double a, double b) {
        return a >= b ? a : b;
    }

    private static double min(double a, double b) {
        return a <= b ? a : b;
    }
}
