package org.layerlift.model.surgery;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The canonical bytes of each unit's weights: what a client uploads for a unit and what its content address (SHA-256)
 * is computed over. A unit holds every external tensor (initializer, or {@code Constant} value, with data_location
 * EXTERNAL) that its nodes need: the tensors they read, and the tensors read by the constant nodes (Constant, or a
 * node whose inputs are all constant, such as an Identity of a weight) whose outputs they read, wherever those
 * constant nodes sit. So a unit's weights are self-sufficient: any run of units can be built on the gateway from
 * those units alone (a tensor several units need is in each of them). Order: the unit's nodes in order; for each
 * node its inputs in order, then its tensor attributes; a constant producer outside the unit is walked in place of
 * the tensor it makes (depth first); each tensor once per unit. The unit's bytes are its tensors' raw little-endian
 * data concatenated in that order, with no header or padding. Tensors embedded in the graph travel with the graph.
 * Client and gateway compute the layout from the same stripped graph and unit grouping, so they agree on every
 * offset without sending one.
 */
public final class UnitWeights {

    /** One tensor inside a unit's bytes. */
    public record Slice(String tensor, int unit, long offset, long length) {}

    private final List<List<Slice>> slices;
    /** per unit: tensor name → slice */
    private final List<Map<String, Slice>> byTensor;
    private final long[] unitBytes;
    private final Map<String, TensorProto> external;

    private UnitWeights(List<List<Slice>> slices, List<Map<String, Slice>> byTensor, long[] unitBytes,
            Map<String, TensorProto> external) {
        this.slices = slices;
        this.byTensor = byTensor;
        this.unitBytes = unitBytes;
        this.external = external;
    }

    /**
     * The layout for a model and its units.
     *
     * @param units each unit's node indices into {@code graph.node}, units in chain order
     * @throws SurgeryException when an external tensor has no fixed-size element type
     */
    public static UnitWeights of(ModelProto model, List<? extends List<Integer>> units) {
        GraphProto g = model.getGraph();
        ModelCutter cutter = new ModelCutter(model);
        Map<String, TensorProto> external = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (Tensors.isExternal(t)) {
                external.put(t.getName(), t);
            }
        }
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasT() && Tensors.isExternal(a.getT())) {
                    external.put(a.getT().getName(), a.getT());
                }
            }
            for (String out : n.getOutputList()) {
                if (!out.isEmpty()) {
                    producer.put(out, i);
                }
            }
        }
        List<List<Slice>> slices = new ArrayList<>();
        List<Map<String, Slice>> byTensor = new ArrayList<>();
        long[] bytes = new long[units.size()];
        for (int u = 0; u < units.size(); u++) {
            Set<Integer> members = new HashSet<>(units.get(u));
            List<Slice> own = new ArrayList<>();
            Map<String, Slice> index = new HashMap<>();
            long[] offset = {0};
            Set<Integer> visited = new HashSet<>();
            for (int node : units.get(u)) {
                collect(g, node, u, members, cutter, producer, external, visited, own, index, offset);
            }
            slices.add(List.copyOf(own));
            byTensor.add(Map.copyOf(index));
            bytes[u] = offset[0];
        }
        return new UnitWeights(List.copyOf(slices), List.copyOf(byTensor), bytes, Map.copyOf(external));
    }

    private static void collect(GraphProto g, int node, int unit, Set<Integer> members, ModelCutter cutter,
            Map<String, Integer> producer, Map<String, TensorProto> external, Set<Integer> visited, List<Slice> own,
            Map<String, Slice> index, long[] offset) {
        if (!visited.add(node)) {
            return;
        }
        NodeProto n = g.getNode(node);
        List<String> reads = new ArrayList<>(n.getInputList());
        for (AttributeProto a : n.getAttributeList()) {
            if (a.hasT()) {
                reads.add(a.getT().getName());
            }
        }
        for (String name : reads) {
            TensorProto t = external.get(name);
            if (t != null) {
                if (!index.containsKey(name)) {
                    long length = Tensors.byteLength(t);
                    if (length < 0) {
                        throw new SurgeryException("external tensor '" + name + "' has no fixed-size element type ("
                                + t.getDataType() + "): it cannot be uploaded as a unit's weights");
                    }
                    Slice s = new Slice(name, unit, offset[0], length);
                    own.add(s);
                    index.put(name, s);
                    offset[0] += length;
                }
                continue;
            }
            Integer p = producer.get(name);
            if (p != null && !members.contains(p) && cutter.isConstant(p)) {
                // a constant computed outside the unit is copied into every part that reads it: so are its weights
                collect(g, p, unit, members, cutter, producer, external, visited, own, index, offset);
            }
        }
    }

    public int unitCount() {
        return unitBytes.length;
    }

    /** The bytes of unit {@code u}'s weights (0 for a unit without external tensors). */
    public long bytes(int u) {
        return unitBytes[u];
    }

    /** The tensors of unit {@code u} in canonical order. */
    public List<Slice> slices(int u) {
        return slices.get(u);
    }

    /** Where a tensor lives in unit {@code u}'s bytes, or null when the unit does not hold it. */
    public Slice slice(int u, String tensor) {
        return byTensor.get(u).get(tensor);
    }

    /** Whether a tensor is external (uploaded with some unit) rather than embedded in the graph. */
    public boolean isExternal(String tensor) {
        return external.containsKey(tensor);
    }

    /**
     * Unit {@code u}'s canonical bytes, read from {@code weights} (the model's own data).
     *
     * @throws MissingWeightException when the source lacks a tensor
     */
    public byte[] unitBytes(int u, WeightSource weights) throws IOException {
        long total = unitBytes[u];
        if (total > Integer.MAX_VALUE - 16) {
            throw new SurgeryException("unit " + u + " has " + total + " bytes of weights, more than one array holds");
        }
        byte[] out = new byte[(int) total];
        for (Slice s : slices.get(u)) {
            TensorProto t = external.get(s.tensor());
            ByteString b = weights.bytes(t);
            if (b == null) {
                throw new MissingWeightException(s.tensor(), "unit " + u + " needs weight tensor '" + s.tensor()
                        + "', which " + weights.describe() + " does not hold");
            }
            if (b.size() != s.length()) {
                throw new SurgeryException("weight tensor '" + s.tensor() + "' needs " + s.length() + " bytes, "
                        + weights.describe() + " gave " + b.size());
            }
            b.copyTo(out, (int) s.offset());
        }
        return out;
    }

    /** The SHA-256 of unit bytes, lowercase hex. */
    public static String sha256(byte[] unitBytes) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(unitBytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * A weight source for a run of units {@code first..last}: each tensor is a slice (not a copy) of the bytes of the
     * first unit of the run that holds it; {@code unitBytes} gives a unit's canonical bytes (null when it is not
     * stored).
     */
    public WeightSource source(String description, int first, int last, IntFunction<ByteBuffer> unitBytes) {
        return new WeightSource() {
            @Override
            public ByteString bytes(TensorProto tensor) {
                for (int u = first; u <= last; u++) {
                    Slice s = byTensor.get(u).get(tensor.getName());
                    if (s == null) {
                        continue;
                    }
                    ByteBuffer unit = unitBytes.apply(u);
                    if (unit == null) {
                        return null;
                    }
                    ByteBuffer slice = unit.duplicate();
                    slice.position((int) s.offset()).limit((int) (s.offset() + s.length()));
                    return UnsafeByteOperations.unsafeWrap(slice.slice());
                }
                return null;
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
