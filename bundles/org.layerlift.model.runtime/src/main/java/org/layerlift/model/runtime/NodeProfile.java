package org.layerlift.model.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-node times of one model measured with ONNX Runtime's profiler: the median over the measured runs of each
 * node's kernel time, by node index (into graph.node) and by its (made unique) name.
 *
 * @param nodeNames the unique node names, by node index
 * @param nodeMs median kernel ms by node index; 0 for nodes ONNX Runtime removed or fused into another node (whose
 *     time then counts there)
 * @param unattributedMs median ms of kernels ONNX Runtime created itself (layout reorders and the like), by name
 * @param runMs median wall time of a whole run, ms (profiling on)
 * @param loadMs session creation time, ms
 * @param runs the measured runs (warm-up excluded)
 */
public record NodeProfile(List<String> nodeNames, double[] nodeMs, Map<String, Double> unattributedMs, double runMs,
        double loadMs, int runs) {

    public NodeProfile {
        nodeNames = List.copyOf(nodeNames);
        nodeMs = nodeMs.clone();
        unattributedMs = Collections.unmodifiableMap(new LinkedHashMap<>(unattributedMs));
        if (nodeNames.size() != nodeMs.length) {
            throw new IllegalArgumentException(nodeNames.size() + " names for " + nodeMs.length + " nodes");
        }
    }

    @Override
    public double[] nodeMs() {
        return nodeMs.clone();
    }

    /** Node name → median ms, in node order. */
    public Map<String, Double> byName() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < nodeMs.length; i++) {
            m.put(nodeNames.get(i), nodeMs[i]);
        }
        return m;
    }

    /** The sum of the node times. */
    public double attributedMs() {
        double sum = 0;
        for (double v : nodeMs) {
            sum += v;
        }
        return sum;
    }

    /** The sum of the kernel times ONNX Runtime did not attribute to a model node. */
    public double unattributedTotalMs() {
        return unattributedMs.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * Unit times: the sum of the node times of each unit (units as lists of node indices). Unattributed kernel time
     * is not spread over units.
     */
    public double[] perUnit(List<? extends List<Integer>> units) {
        return aggregate(nodeMs, units);
    }

    /** Sums {@code nodeValues} over each unit's node indices. */
    public static double[] aggregate(double[] nodeValues, List<? extends List<Integer>> units) {
        double[] out = new double[units.size()];
        for (int u = 0; u < units.size(); u++) {
            for (int i : units.get(u)) {
                if (i < 0 || i >= nodeValues.length) {
                    throw new IllegalArgumentException("unit " + u + " names node " + i + ", but there are "
                            + nodeValues.length + " nodes");
                }
                out[u] += nodeValues[i];
            }
        }
        return out;
    }
}
