package org.layerlift.model.profile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.layerlift.model.internal.Dominators;

/**
 * The parent relation IONN computes dominators on. With Caffe blob names a layer's parents come from its bottoms:
 * a split top maps to its Split layer, a name to the layer of that name, {@code data} to the input layer. An in-place
 * layer (ReLU writing blob X) is therefore never a parent; its consumer hangs off the layer named X. Sets without
 * blob names give their producing layers directly in {@code inputs}.
 */
final class LayerGraph {

    private final MeasurementSet set;
    private final int[][] parents;

    private LayerGraph(MeasurementSet set, int[][] parents) {
        this.set = set;
        this.parents = parents;
    }

    static LayerGraph of(MeasurementSet set) {
        List<MeasuredLayer> layers = set.layers();
        Map<String, Integer> byName = new HashMap<>();
        Map<String, Integer> splitByTop = new HashMap<>();
        for (MeasuredLayer layer : layers) {
            byName.put(layer.name(), layer.index());
            if (layer.isSplit()) {
                layer.tops().forEach(top -> splitByTop.put(top, layer.index()));
            }
        }
        int[][] parents = new int[layers.size()][];
        for (MeasuredLayer layer : layers) {
            boolean byBlob = layer.bottoms() != null;
            List<String> names = byBlob ? layer.bottoms() : layer.inputs();
            int[] resolved = new int[names.size()];
            for (int j = 0; j < names.size(); j++) {
                resolved[j] = byBlob ? parentOfBlob(set, layer, names.get(j), byName, splitByTop)
                        : parentByName(set, layer, names.get(j), byName);
            }
            parents[layer.index()] = resolved;
        }
        LayerGraph graph = new LayerGraph(set, parents);
        graph.checkOrder();
        return graph;
    }

    private static int parentOfBlob(MeasurementSet set, MeasuredLayer layer, String blob, Map<String, Integer> byName,
            Map<String, Integer> splitByTop) {
        Integer parent = splitByTop.get(blob);
        if (parent == null) {
            parent = byName.get(blob);
        }
        if (parent == null && (blob.equals("data") || set.layers().get(0).tops().contains(blob))) {
            parent = 0;
        }
        if (parent == null) {
            throw new ProfileException(set.model(), layer.name(), "unknown parent: no layer produces blob '" + blob + "'");
        }
        return parent;
    }

    private static int parentByName(MeasurementSet set, MeasuredLayer layer, String name, Map<String, Integer> byName) {
        Integer parent = byName.get(name);
        if (parent == null) {
            throw new ProfileException(set.model(), layer.name(), "unknown parent layer '" + name + "'");
        }
        return parent;
    }

    /** Dominators need execution order to be topological: a parent must come first. */
    private void checkOrder() {
        List<MeasuredLayer> layers = set.layers();
        if (parents[0].length > 0) {
            throw new ProfileException(set.model(), layers.get(0).name(), "the input layer (first) cannot have parents");
        }
        for (int i = 1; i < parents.length; i++) {
            if (parents[i].length == 0) {
                throw new ProfileException(set.model(), layers.get(i).name(),
                        "has no parent, so it is not reachable from the input layer");
            }
            for (int parent : parents[i]) {
                if (parent >= i) {
                    List<String> cycle = findCycle();
                    throw cycle.isEmpty()
                            ? new ProfileException(set.model(), layers.get(i).name(), "parent '"
                                    + layers.get(parent).name() + "' comes later in execution order")
                            : new ProfileException(set.model(), layers.get(i).name(),
                                    "cycle in the layer graph: " + String.join(" <- ", cycle));
                }
            }
        }
    }

    /** Names of the layers along one cycle of the parent relation, or empty if there is none. */
    private List<String> findCycle() {
        int n = parents.length;
        int[] state = new int[n]; // 0 new, 1 on the current path, 2 done
        int[] via = new int[n];
        for (int start = 0; start < n; start++) {
            if (state[start] != 0) {
                continue;
            }
            Deque<int[]> stack = new ArrayDeque<>();
            stack.push(new int[] {start, 0});
            state[start] = 1;
            while (!stack.isEmpty()) {
                int[] top = stack.peek();
                int node = top[0];
                if (top[1] == parents[node].length) {
                    state[node] = 2;
                    stack.pop();
                    continue;
                }
                int next = parents[node][top[1]++];
                if (state[next] == 1) {
                    List<String> cycle = new ArrayList<>();
                    cycle.add(set.layers().get(next).name());
                    for (int k = node; k != next; k = via[k]) {
                        cycle.add(set.layers().get(k).name());
                    }
                    cycle.add(set.layers().get(next).name());
                    return cycle;
                }
                if (state[next] == 0) {
                    state[next] = 1;
                    via[next] = node;
                    stack.push(new int[] {next, 0});
                }
            }
        }
        return List.of();
    }

    int[] parents(int layer) {
        return parents[layer];
    }

    int size() {
        return parents.length;
    }

    /**
     * Immediate dominators from the input layer. The order is topological, so one pass suffices: a layer's
     * immediate dominator is the nearest common dominator of its parents.
     */
    int[] immediateDominators() {
        List<List<Integer>> preds = new ArrayList<>(parents.length);
        for (int[] p : parents) {
            List<Integer> list = new ArrayList<>(p.length);
            for (int parent : p) {
                list.add(parent);
            }
            preds.add(list);
        }
        return Dominators.immediate(preds);
    }
}
