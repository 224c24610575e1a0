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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * The canonical bytes of each unit's weights: what a client uploads for a unit and what its content address (SHA-256)
 * is computed over. A unit owns every external tensor (initializer, or {@code Constant} value, with
 * data_location EXTERNAL) whose first reader, walking the units in chain order and each unit's nodes in order, is one
 * of its nodes; a node reads its inputs in order, then its tensor attributes. The unit's bytes are its tensors' raw
 * little-endian data concatenated in that order, with no header or padding. Tensors embedded in the graph travel with
 * the graph, not here. Client and gateway compute the layout from the same stripped graph and unit grouping, so they
 * agree on every offset without sending one.
 */
public final class UnitWeights {

    /** One tensor inside a unit's bytes. */
    public record Slice(String tensor, int unit, long offset, long length) {}

    private final List<List<Slice>> slices;
    private final Map<String, Slice> byTensor;
    private final long[] unitBytes;
    private final Map<String, TensorProto> external;

    private UnitWeights(List<List<Slice>> slices, Map<String, Slice> byTensor, long[] unitBytes,
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
     * @throws SurgeryException when an external tensor has no fixed size or is read by no unit's node
     */
    public static UnitWeights of(ModelProto model, List<? extends List<Integer>> units) {
        GraphProto g = model.getGraph();
        Map<String, TensorProto> external = new HashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (Tensors.isExternal(t)) {
                external.put(t.getName(), t);
            }
        }
        for (NodeProto n : g.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasT() && Tensors.isExternal(a.getT())) {
                    external.put(a.getT().getName(), a.getT());
                }
            }
        }
        List<List<Slice>> slices = new ArrayList<>();
        Map<String, Slice> byTensor = new HashMap<>();
        long[] bytes = new long[units.size()];
        for (int u = 0; u < units.size(); u++) {
            List<Slice> own = new ArrayList<>();
            long offset = 0;
            for (int node : units.get(u)) {
                NodeProto n = g.getNode(node);
                List<String> reads = new ArrayList<>(n.getInputList());
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.hasT()) {
                        reads.add(a.getT().getName());
                    }
                }
                for (String name : reads) {
                    TensorProto t = external.get(name);
                    if (t == null || byTensor.containsKey(name)) {
                        continue;
                    }
                    long length = Tensors.byteLength(t);
                    if (length < 0) {
                        throw new SurgeryException("external tensor '" + name + "' has no fixed-size element type ("
                                + t.getDataType() + "): it cannot be uploaded as a unit's weights");
                    }
                    Slice s = new Slice(name, u, offset, length);
                    own.add(s);
                    byTensor.put(name, s);
                    offset += length;
                }
            }
            slices.add(List.copyOf(own));
            bytes[u] = offset;
        }
        for (String name : external.keySet()) {
            if (!byTensor.containsKey(name)) {
                throw new SurgeryException("external tensor '" + name + "' is read by no node of any unit");
            }
        }
        return new UnitWeights(List.copyOf(slices), Map.copyOf(byTensor), bytes, Map.copyOf(external));
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

    /** Where a tensor lives, or null when it is not external. */
    public Slice slice(String tensor) {
        return byTensor.get(tensor);
    }

    /** The units owning the given tensors (names that are not external are ignored), ascending. */
    public TreeSet<Integer> owners(Collection<String> tensors) {
        TreeSet<Integer> owners = new TreeSet<>();
        for (String t : tensors) {
            Slice s = byTensor.get(t);
            if (s != null) {
                owners.add(s.unit());
            }
        }
        return owners;
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
     * A weight source over stored units: {@code unitBytes} gives a unit's canonical bytes (null when it is not
     * stored); each tensor is a slice of its unit's bytes, not a copy.
     */
    public WeightSource source(String description, IntFunction<ByteBuffer> unitBytes) {
        return new WeightSource() {
            @Override
            public ByteString bytes(TensorProto tensor) {
                Slice s = byTensor.get(tensor.getName());
                if (s == null) {
                    return null;
                }
                ByteBuffer unit = unitBytes.apply(s.unit());
                if (unit == null) {
                    return null;
                }
                ByteBuffer slice = unit.duplicate();
                slice.position((int) s.offset()).limit((int) (s.offset() + s.length()));
                return UnsafeByteOperations.unsafeWrap(slice.slice());
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
