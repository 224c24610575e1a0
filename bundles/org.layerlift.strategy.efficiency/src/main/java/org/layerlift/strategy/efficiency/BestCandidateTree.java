package org.layerlift.strategy.efficiency;

import java.util.Arrays;

/**
 * Range maximum over candidate scores in list order, ties going to the earlier candidate: the authors scan their
 * candidate list with a strict {@code >}, so the first of equal scores wins. Removed candidates and NaN scores hold
 * -infinity and are never picked.
 */
final class BestCandidateTree {

    static final int NONE = -1;

    private final int leaves;
    private final float[] score;
    private final int[] position;

    BestCandidateTree(float[] initial) {
        int size = 1;
        while (size < Math.max(1, initial.length)) {
            size <<= 1;
        }
        leaves = size;
        score = new float[2 * size];
        position = new int[2 * size];
        Arrays.fill(score, Float.NEGATIVE_INFINITY);
        Arrays.fill(position, Integer.MAX_VALUE);
        for (int i = 0; i < initial.length; i++) {
            score[size + i] = selectable(initial[i]);
            position[size + i] = i;
        }
        for (int node = size - 1; node >= 1; node--) {
            pull(node);
        }
    }

    private static float selectable(float value) {
        return Float.isNaN(value) ? Float.NEGATIVE_INFINITY : value;
    }

    void set(int candidate, float value) {
        int node = leaves + candidate;
        score[node] = selectable(value);
        for (node >>= 1; node >= 1; node >>= 1) {
            pull(node);
        }
    }

    /** Removes candidates {@code from..to}; one pass per level rather than one per candidate. */
    void remove(int from, int to) {
        int lo = leaves + from;
        int hi = leaves + to;
        for (int node = lo; node <= hi; node++) {
            score[node] = Float.NEGATIVE_INFINITY;
        }
        for (lo >>= 1, hi >>= 1; lo >= 1; lo >>= 1, hi >>= 1) {
            for (int node = lo; node <= hi; node++) {
                pull(node);
            }
        }
    }

    private void pull(int node) {
        int left = 2 * node;
        int right = left + 1;
        int best = better(left, right) ? left : right;
        score[node] = score[best];
        position[node] = position[best];
    }

    private boolean better(int a, int b) {
        return score[a] > score[b] || score[a] == score[b] && position[a] < position[b];
    }

    /** The first candidate with the highest score above {@code floor}, or {@link #NONE}. */
    int best(float floor) {
        return score[1] > floor ? position[1] : NONE;
    }

    /**
     * The best candidate in positions {@code from..to} (inclusive) as a running fold: returns whichever of
     * {@code sofar} and the range's best comes first among the highest, {@link #NONE} meaning none yet.
     */
    int bestIn(int from, int to, int sofar) {
        int best = sofar;
        for (int lo = from + leaves, hi = to + leaves + 1; lo < hi; lo >>= 1, hi >>= 1) {
            if ((lo & 1) == 1) {
                best = pick(best, lo++);
            }
            if ((hi & 1) == 1) {
                best = pick(best, --hi);
            }
        }
        return best;
    }

    private int pick(int best, int node) {
        if (position[node] == Integer.MAX_VALUE) {
            return best;
        }
        if (best == NONE) {
            return position[node];
        }
        float bestScore = score[leaves + best];
        return score[node] > bestScore || score[node] == bestScore && position[node] < best ? position[node] : best;
    }

    float score(int candidate) {
        return score[leaves + candidate];
    }
}
