package org.layerlift.model.units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.model.internal.Dominators;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.onnx.OnnxNode;
import org.layerlift.model.profile.ProfileDocument;
import org.layerlift.model.profile.ProfiledUnit;

/**
 * Partition units of an ONNX graph, as an ordered chain.
 *
 * <ul>
 * <li><b>Dominator units</b> (IONN): the working nodes (all but the free ones, see {@link OnnxGraph#isFree}) form a
 * DAG from a virtual source (the graph inputs) to a virtual sink (the graph outputs). The dominators of the sink cut
 * it into a chain; a unit is the run of nodes after one dominator up to and including the next, so a residual block or
 * an Inception module is one unit. Working nodes after the last dominator (several graph outputs) form a final unit.
 * As in IONN's Caffe graphs, where in-place layers (ReLU, BatchNorm, Dropout) are never parents, there is no cut
 * between a node and an in-place elementwise op that is the sole reader of its output (Conv+Relu is one unit).
 * </li>
 * <li><b>Node units</b>: one working node per unit in topological order.</li>
 * </ul>
 * In both, a free node joins the unit of its first consumer (in topological order), so every node is in exactly one
 * unit and the concatenated units are a topological order. A free node read by later units as well is listed only in
 * the first: segment surgery duplicates free nodes (they hold no activation) where needed.
 *
 * <p>The groupings need only the graph ({@link #dominatorGroups}, {@link #nodeGroups}); sizes and FLOPs need a
 * {@link GraphShapes} ({@link #dominators}, {@link #nodes}, {@link #units}).
 */
public final class UnitGrouping {

    private UnitGrouping() {
    }

    /** Dominator units as lists of node indices, in chain order. */
    public static List<List<Integer>> dominatorGroups(OnnxGraph graph) {
        int[] working = workingOrder(graph);
        int m = working.length;
        int[] slot = new int[graph.size()];
        Arrays.fill(slot, -1);
        for (int p = 0; p < m; p++) {
            slot[working[p]] = p + 1; // 0 is the source, m + 1 the sink
        }
        Set<String> inputs = new LinkedHashSet<>(graph.inputNames());
        Set<String> outputs = new LinkedHashSet<>(graph.outputs());
        List<List<Integer>> preds = new ArrayList<>();
        for (int v = 0; v < m + 2; v++) {
            preds.add(new ArrayList<>());
        }
        for (int p = 0; p < m; p++) {
            OnnxNode node = graph.node(working[p]);
            for (String in : node.inputs()) {
                if (in.isEmpty() || !graph.isActivation(in)) {
                    continue;
                }
                int producer = graph.producer(in);
                preds.get(p + 1).add(producer < 0 ? 0 : slot[producer]);
            }
            for (String out : node.outputs()) {
                if (outputs.contains(out)) {
                    preds.get(m + 1).add(p + 1);
                }
            }
        }
        for (String out : outputs) {
            if (inputs.contains(out)) {
                preds.get(m + 1).add(0);
            }
        }
        if (preds.get(m + 1).isEmpty()) {
            throw new IllegalArgumentException("ONNX model '" + graph.name()
                    + "': no working node produces a graph output " + outputs + ", so there is nothing to partition");
        }
        int[] idom = Dominators.immediate(preds);
        List<Integer> cuts = new ArrayList<>();
        for (int d = idom[m + 1]; d != 0; d = idom[d]) {
            cuts.add(d - 1);
        }
        Collections.reverse(cuts);
        cuts.removeIf(p -> fusedWithNext(graph, working[p]));
        int[] unitOfPos = new int[m];
        int unit = 0;
        int next = 0;
        for (int p = 0; p < m; p++) {
            unitOfPos[p] = unit;
            if (next < cuts.size() && cuts.get(next) == p) {
                unit++;
                next++;
            }
        }
        return assemble(graph, working, unitOfPos);
    }

    /** Node units as lists of node indices: one working node each, free nodes folded in. */
    public static List<List<Integer>> nodeGroups(OnnxGraph graph) {
        int[] working = workingOrder(graph);
        int[] unitOfPos = new int[working.length];
        for (int p = 0; p < working.length; p++) {
            unitOfPos[p] = p;
        }
        return assemble(graph, working, unitOfPos);
    }

    public static List<GraphUnit> dominators(OnnxGraph graph, GraphShapes shapes) {
        return units(graph, shapes, dominatorGroups(graph));
    }

    public static List<GraphUnit> nodes(OnnxGraph graph, GraphShapes shapes) {
        return units(graph, shapes, nodeGroups(graph));
    }

    /** By granularity name: "dominator" or "node". */
    public static List<GraphUnit> group(OnnxGraph graph, GraphShapes shapes, String granularity) {
        switch (granularity) {
            case "dominator":
                return dominators(graph, shapes);
            case "node":
                return nodes(graph, shapes);
            default:
                throw new IllegalArgumentException("unknown granularity '" + granularity
                        + "' (expected 'dominator' or 'node')");
        }
    }

    /**
     * Costs of the given chain of units (each a list of node indices; together a topological order of all nodes).
     * Cut sizes count every activation live across the cut, so with several open branches all of them count.
     */
    public static List<GraphUnit> units(OnnxGraph graph, GraphShapes shapes, List<List<Integer>> groups) {
        int[] unitOf = new int[graph.size()];
        Arrays.fill(unitOf, -1);
        for (int u = 0; u < groups.size(); u++) {
            for (int node : groups.get(u)) {
                if (unitOf[node] >= 0) {
                    throw new IllegalArgumentException("ONNX model '" + graph.name() + "': node '"
                            + graph.node(node).name() + "' is in units " + unitOf[node] + " and " + u);
                }
                unitOf[node] = u;
            }
        }
        int n = groups.size();
        // every activation: the unit producing it (-1 for a graph input) and the last unit reading it (n: the caller)
        Map<String, int[]> live = new LinkedHashMap<>();
        for (String in : graph.inputNames()) {
            live.put(in, new int[] {-1, -1});
        }
        for (OnnxNode node : graph.nodes()) {
            if (!graph.isFree(node.index())) {
                for (String out : node.outputs()) {
                    if (!out.isEmpty()) {
                        live.put(out, new int[] {unitOf[node.index()], -1});
                    }
                }
            }
        }
        for (OnnxNode node : graph.nodes()) {
            if (graph.isFree(node.index())) {
                continue;
            }
            int u = unitOf[node.index()];
            if (u < 0) {
                throw new IllegalArgumentException("ONNX model '" + graph.name() + "': node '" + node.name()
                        + "' is in no unit");
            }
            for (String in : node.inputs()) {
                int[] span = live.get(in);
                if (span != null) {
                    if (span[0] > u) {
                        throw new IllegalArgumentException("ONNX model '" + graph.name() + "': node '" + node.name()
                                + "' in unit " + u + " reads '" + in + "' produced later, in unit " + span[0]);
                    }
                    span[1] = Math.max(span[1], u);
                }
            }
        }
        for (String out : graph.outputs()) {
            int[] span = live.get(out);
            if (span != null) {
                span[1] = n;
            }
        }
        List<GraphUnit> units = new ArrayList<>();
        List<String> tensors = new ArrayList<>(live.keySet());
        Collections.sort(tensors, (a, b) -> Integer.compare(live.get(a)[0], live.get(b)[0]));
        List<String> before = new ArrayList<>();
        long beforeBytes = 0;
        for (String t : tensors) {
            int[] span = live.get(t);
            if (span[0] < 0 && span[1] >= 0) {
                before.add(t);
                beforeBytes += shapes.bytes(t);
            }
        }
        for (int u = 0; u < n; u++) {
            List<Integer> members = groups.get(u);
            List<String> names = new ArrayList<>();
            List<String> ops = new ArrayList<>();
            long weights = 0;
            long flops = 0;
            String name = null;
            for (int node : members) {
                OnnxNode nd = graph.node(node);
                names.add(nd.name());
                ops.add(nd.opType());
                weights += nd.weightBytes();
                flops += shapes.flops(node);
                if (!graph.isFree(node)) {
                    name = nd.name();
                }
            }
            List<String> after = new ArrayList<>();
            long afterBytes = 0;
            for (String t : tensors) {
                int[] span = live.get(t);
                if (span[0] <= u && span[1] > u) {
                    after.add(t);
                    afterBytes += shapes.bytes(t);
                }
            }
            units.add(new GraphUnit(name != null ? name : names.get(names.size() - 1), members, names, ops, weights,
                    beforeBytes, afterBytes, flops, before, after));
            before = after;
            beforeBytes = afterBytes;
        }
        return units;
    }

    /** The API cost profile of these units with the given per-unit times (same order). */
    public static CostProfile toCostProfile(String model, List<GraphUnit> units, List<UnitTimes> times,
            double clientOnlyMs) {
        if (units.size() != times.size()) {
            throw new IllegalArgumentException("model '" + model + "': " + units.size() + " units but "
                    + times.size() + " unit times");
        }
        List<UnitCost> costs = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            costs.add(units.get(i).toUnitCost(times.get(i)));
        }
        return new CostProfile(model, costs, clientOnlyMs);
    }

    /** Ops that Caffe runs in place: IONN never cuts between such a node and its producer. */
    private static final Set<String> IN_PLACE = Set.of("Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Clip",
            "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "BatchNormalization", "Dropout", "Identity");

    /**
     * Whether the cut after this node is dropped: its only output is read by exactly one node, an in-place
     * elementwise op, and is no graph output (IONN's Caffe graphs fuse a ReLU with the layer it modifies).
     */
    private static boolean fusedWithNext(OnnxGraph graph, int node) {
        List<String> outs = graph.node(node).outputs();
        if (outs.size() != 1 || graph.outputs().contains(outs.get(0))) {
            return false;
        }
        List<Integer> readers = graph.consumers(outs.get(0)).stream().filter(c -> !graph.isFree(c)).toList();
        if (readers.size() != 1) {
            return false;
        }
        OnnxNode next = graph.node(readers.get(0));
        return next.domain().isEmpty() && IN_PLACE.contains(next.opType()) && next.input(0).equals(outs.get(0));
    }

    /**
     * A profile document (our JSON format) for these units: sizes and FLOPs from the units, times given (same order),
     * input shapes from {@code shapes}.
     */
    public static ProfileDocument toDocument(GraphShapes shapes, String granularity, List<GraphUnit> units,
            List<UnitTimes> times, double clientOnlyMs) {
        CostProfile profile = toCostProfile(shapes.graph().name(), units, times, clientOnlyMs);
        List<ProfiledUnit> profiled = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            profiled.add(new ProfiledUnit(profile.units().get(i), units.get(i).flops()));
        }
        Map<String, List<Long>> inputShape = new LinkedHashMap<>();
        shapes.inputShapes().forEach((k, v) -> inputShape.put(k, Arrays.stream(v).boxed().toList()));
        return new ProfileDocument(shapes.graph().name(), granularity, inputShape, clientOnlyMs, profiled);
    }

    // ---- internals ----

    private static int[] workingOrder(OnnxGraph graph) {
        int[] order = graph.topologicalOrder();
        int count = 0;
        for (int i : order) {
            if (!graph.isFree(i)) {
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("ONNX model '" + graph.name()
                    + "': every node is constant or shape-only, so there is nothing to partition");
        }
        int[] working = new int[count];
        int k = 0;
        for (int i : order) {
            if (!graph.isFree(i)) {
                working[k++] = i;
            }
        }
        return working;
    }

    /** Units of the working nodes by position, free nodes added to their first consumer's unit. */
    private static List<List<Integer>> assemble(OnnxGraph graph, int[] working, int[] unitOfPos) {
        int[] unitOf = new int[graph.size()];
        Arrays.fill(unitOf, -1);
        for (int p = 0; p < working.length; p++) {
            unitOf[working[p]] = unitOfPos[p];
        }
        int last = unitOfPos[working.length - 1];
        int[] order = graph.topologicalOrder();
        for (int k = order.length - 1; k >= 0; k--) {
            int node = order[k];
            if (!graph.isFree(node)) {
                continue;
            }
            int unit = Integer.MAX_VALUE;
            for (String out : graph.node(node).outputs()) {
                for (int consumer : graph.consumers(out)) {
                    if (unitOf[consumer] >= 0) {
                        unit = Math.min(unit, unitOf[consumer]);
                    }
                }
            }
            unitOf[node] = unit == Integer.MAX_VALUE ? last : unit;
        }
        List<List<Integer>> groups = new ArrayList<>();
        for (int u = 0; u <= last; u++) {
            groups.add(new ArrayList<>());
        }
        for (int node : order) {
            groups.get(unitOf[node]).add(node);
        }
        List<List<Integer>> result = new ArrayList<>();
        for (List<Integer> g : groups) {
            if (!g.isEmpty()) {
                result.add(List.copyOf(g));
            }
        }
        return List.copyOf(result);
    }
}
