package org.layerlift.model.internal;

import java.util.List;

/** Immediate dominators in a DAG whose nodes are numbered in topological order from the single root 0. */
public final class Dominators {

    private Dominators() {
    }

    /**
     * One pass in topological order: a node's immediate dominator is the nearest common dominator of its
     * predecessors. {@code preds.get(v)} must be non-empty for every v &gt; 0 and hold only nodes before v.
     *
     * @return idom, with idom[0] = 0
     */
    public static int[] immediate(List<? extends List<Integer>> preds) {
        int n = preds.size();
        int[] idom = new int[n];
        int[] depth = new int[n];
        for (int v = 1; v < n; v++) {
            List<Integer> p = preds.get(v);
            int common = p.get(0);
            for (int j = 1; j < p.size(); j++) {
                common = nearestCommon(common, p.get(j), idom, depth);
            }
            idom[v] = common;
            depth[v] = depth[common] + 1;
        }
        return idom;
    }

    private static int nearestCommon(int a, int b, int[] idom, int[] depth) {
        while (a != b) {
            if (depth[a] >= depth[b]) {
                a = idom[a];
            } else {
                b = idom[b];
            }
        }
        return a;
    }
}
