package org.layerlift.session.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.surgery.ModelCutter;
import org.layerlift.model.surgery.Part;
import org.layerlift.model.surgery.SurgeryException;
import org.layerlift.model.surgery.UnitWeights;
import org.layerlift.model.units.GraphUnit;
import org.layerlift.model.units.UnitGrouping;
import org.layerlift.protocol.ErrorCode;
import org.layerlift.protocol.ProtocolException;

/**
 * A model graph as the gateway computes it from a manifest: units, shapes, the canonical unit byte layout and the
 * cutter for server segments. Shared by every session of the same graph, granularity and input shapes (its
 * {@link #key()}); immutable except for a small cache of cut segments.
 */
final class ModelLayout {

    /** A server segment cut out of the model, with the units it needs on the gateway (its own). */
    record SegmentPart(Segment segment, Part part, TreeSet<Integer> requiredUnits) {}

    private static final int SEGMENT_CACHE = 256;

    private final String key;
    private final String graphSha256;
    private final byte[] graphBytes;
    private final OnnxGraph graph;
    private final GraphShapes shapes;
    private final String granularity;
    private final List<List<Integer>> groups;
    private final List<GraphUnit> units;
    private final UnitWeights weights;
    private final ModelCutter cutter;
    private final Map<Segment, SegmentPart> segments = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Segment, SegmentPart> eldest) {
                    return size() > SEGMENT_CACHE;
                }
            });

    private ModelLayout(String key, String graphSha256, byte[] graphBytes, OnnxGraph graph, GraphShapes shapes,
            String granularity, List<List<Integer>> groups, List<GraphUnit> units, UnitWeights weights) {
        this.key = key;
        this.graphSha256 = graphSha256;
        this.graphBytes = graphBytes;
        this.graph = graph;
        this.shapes = shapes;
        this.granularity = granularity;
        this.groups = groups;
        this.units = units;
        this.weights = weights;
        this.cutter = new ModelCutter(graph.proto(), graph.name(), shapes);
    }

    /**
     * Parses and groups a graph.
     *
     * @throws ProtocolException BAD_MANIFEST naming what is wrong with the graph or the input shapes
     */
    static ModelLayout parse(byte[] graphBytes, String modelName, String granularity,
            Map<String, List<Long>> inputShapes) throws ProtocolException {
        String graphSha = Hashes.sha256Hex(graphBytes);
        try {
            OnnxGraph graph = OnnxGraph.parse(graphBytes, modelName);
            Map<String, long[]> given = new LinkedHashMap<>();
            inputShapes.forEach((name, dims) -> given.put(name, dims.stream().mapToLong(Long::longValue).toArray()));
            for (String name : given.keySet()) {
                if (!graph.inputNames().contains(name)) {
                    throw new ProtocolException(ErrorCode.BAD_MANIFEST, "input_shapes names '" + name
                            + "', which is no input of the graph (inputs: " + graph.inputNames() + ")");
                }
            }
            InputShapes bound = given.isEmpty() ? InputShapes.none() : InputShapes.of(given, Map.of());
            GraphShapes shapes = GraphShapes.infer(graph, bound);
            List<List<Integer>> groups = granularity.equals("node") ? UnitGrouping.nodeGroups(graph)
                    : UnitGrouping.dominatorGroups(graph);
            List<GraphUnit> units = UnitGrouping.units(graph, shapes, groups);
            UnitWeights weights = UnitWeights.of(graph.proto(), groups);
            String key = Hashes.sha256Hex(graphSha + "\n" + granularity + "\n" + canonical(shapes.inputShapes()));
            return new ModelLayout(key, graphSha, graphBytes, graph, shapes, granularity, List.copyOf(groups),
                    List.copyOf(units), weights);
        } catch (RuntimeException e) {
            throw new ProtocolException(ErrorCode.BAD_MANIFEST, "the manifest's graph cannot be used: "
                    + e.getMessage(), e);
        }
    }

    private static String canonical(Map<String, long[]> shapes) {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(shapes).forEach((k, v) -> b.append(k).append('=')
                .append(java.util.Arrays.toString(v)).append(';'));
        return b.toString();
    }

    /** Identifies graph + granularity + input shapes: sessions with the same key share this layout. */
    String key() {
        return key;
    }

    String graphSha256() {
        return graphSha256;
    }

    byte[] graphBytes() {
        return graphBytes;
    }

    OnnxGraph graph() {
        return graph;
    }

    GraphShapes shapes() {
        return shapes;
    }

    String granularity() {
        return granularity;
    }

    List<List<Integer>> groups() {
        return groups;
    }

    List<GraphUnit> units() {
        return units;
    }

    int unitCount() {
        return units.size();
    }

    UnitWeights weights() {
        return weights;
    }

    /** The input shapes as the manifest JSON writes them. */
    Map<String, List<Long>> inputShapes() {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        shapes.inputShapes().forEach((k, v) -> {
            List<Long> dims = new ArrayList<>();
            for (long d : v) {
                dims.add(d);
            }
            out.put(k, dims);
        });
        return out;
    }

    /**
     * The server part of one segment and the units it needs stored (its own and those owning weights it reads).
     *
     * @throws ProtocolException BAD_SEGMENT when the segment is outside the model
     */
    SegmentPart segment(Segment segment) throws ProtocolException {
        if (segment.last() >= units.size()) {
            throw new ProtocolException(ErrorCode.BAD_SEGMENT, "segment [" + segment.first() + ".." + segment.last()
                    + "] is outside the model's " + units.size() + " units");
        }
        SegmentPart cached = segments.get(segment);
        if (cached != null) {
            return cached;
        }
        Part part;
        try {
            part = cutter.cut(groups, List.of(segment)).serverParts().get(0);
        } catch (SurgeryException e) {
            throw new ProtocolException(ErrorCode.EXECUTION_FAILED, "segment [" + segment.first() + ".."
                    + segment.last() + "] cannot be cut: " + e.getMessage(), e);
        }
        // each unit's bytes hold every weight its nodes need, so a segment needs its own units and no others
        TreeSet<Integer> required = new TreeSet<>();
        for (int u = segment.first(); u <= segment.last(); u++) {
            required.add(u);
        }
        for (String t : part.externalTensors()) {
            boolean held = false;
            for (int u = segment.first(); u <= segment.last() && !held; u++) {
                held = weights.slice(u, t) != null;
            }
            if (!held) {
                throw new ProtocolException(ErrorCode.EXECUTION_FAILED, "segment [" + segment.first() + ".."
                        + segment.last() + "] needs weight '" + t + "', which none of its units holds");
            }
        }
        SegmentPart sp = new SegmentPart(segment, part, required);
        segments.put(segment, sp);
        return sp;
    }
}
