package org.layerlift.model.runtime;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;

/**
 * Seeded, non-constant inputs for a model. Floats: uniform in [-1, 1). Integers: a name containing "mask" gets ones
 * (attention masks); an input used (possibly through Cast/Unsqueeze/Reshape) as the indices of a Gather over a
 * table with V rows gets uniform ids in [0, V) (token ids, token types); other integers get {0, 1}.
 */
public final class RandomInputs {

    private static final Set<String> PASS_THROUGH = Set.of("Cast", "Identity", "Unsqueeze", "Squeeze", "Reshape",
            "Flatten");
    private static final Set<String> TABLE_THROUGH = Set.of("DequantizeLinear", "Cast", "Identity");

    private RandomInputs() {}

    /**
     * Seeded tensors for input specs, as the wire carries them (little-endian {@link TensorData}): floating point
     * uniform in [0, 1), integers in [0, 10), booleans 0 or 1; an unknown dimension (-1) is 1. The same specs and seed
     * give the same tensors.
     *
     * @throws IllegalArgumentException for an element type without random values (float16, bfloat16, strings) or a
     *     tensor over 2 GiB
     */
    public static List<TensorData> tensors(List<TensorSpec> specs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TensorData> out = new ArrayList<>();
        for (TensorSpec spec : specs) {
            long[] shape = spec.shape();
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0) {
                    shape[i] = 1;
                }
                elements = Math.multiplyExact(elements, shape[i]);
            }
            int size = TensorData.elementSize(spec.elementType());
            if (size <= 0 || spec.elementType() == 10 || spec.elementType() == 16) {
                throw new IllegalArgumentException("input '" + spec.name() + "' has element type "
                        + spec.elementType() + ", for which no random values are made");
            }
            long bytes = Math.multiplyExact(elements, size);
            if (bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("input '" + spec.name() + "' " + java.util.Arrays.toString(shape)
                        + " is too large for random values");
            }
            ByteBuffer data = ByteBuffer.allocate((int) bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (long e = 0; e < elements; e++) {
                switch (spec.elementType()) {
                    case 1 -> data.putFloat((float) random.nextDouble());
                    case 11 -> data.putDouble(random.nextDouble());
                    case 6, 12 -> data.putInt(random.nextInt(10));
                    case 7, 13 -> data.putLong(random.nextInt(10));
                    case 4, 5 -> data.putShort((short) random.nextInt(10));
                    case 9 -> data.put((byte) random.nextInt(2));
                    default -> data.put((byte) random.nextInt(10));
                }
            }
            data.flip();
            out.add(new TensorData(spec.name(), spec.elementType(), shape, data));
        }
        return out;
    }

    /**
     * One tensor per model input (initializers listed as inputs excluded), owned by the caller.
     *
     * @param dims values for the symbolic dimensions (dim_param name → size); every symbolic or unknown dimension
     *     must be given, by its dim_param or as {@code <input>:<axis>}
     */
    public static Map<String, OnnxTensor> create(OrtEnvironment env, ModelProto model, Map<String, Long> dims,
            long seed) throws OrtException {
        GraphProto g = model.getGraph();
        Set<String> initializers = new HashSet<>();
        g.getInitializerList().forEach(t -> initializers.add(t.getName()));
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        try {
            for (ValueInfoProto v : g.getInputList()) {
                if (initializers.contains(v.getName())) {
                    continue;
                }
                long[] shape = shape(v, dims);
                int count = Math.toIntExact(product(shape));
                int type = v.getType().getTensorType().getElemType();
                SplittableRandom r = random.split();
                OnnxTensor t = switch (TensorProto.DataType.forNumber(type)) {
                    case FLOAT -> {
                        float[] a = new float[count];
                        for (int i = 0; i < count; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
                        yield OnnxTensor.createTensor(env, FloatBuffer.wrap(a), shape);
                    }
                    case DOUBLE -> {
                        double[] a = new double[count];
                        for (int i = 0; i < count; i++) a[i] = r.nextDouble() * 2 - 1;
                        yield OnnxTensor.createTensor(env, DoubleBuffer.wrap(a), shape);
                    }
                    case INT64 -> {
                        long[] a = new long[count];
                        long bound = integerBound(g, v.getName());
                        for (int i = 0; i < count; i++) a[i] = bound == 1 ? 1 : r.nextLong(bound);
                        yield OnnxTensor.createTensor(env, LongBuffer.wrap(a), shape);
                    }
                    case INT32 -> {
                        int[] a = new int[count];
                        long bound = integerBound(g, v.getName());
                        for (int i = 0; i < count; i++) a[i] = bound == 1 ? 1 : (int) r.nextLong(bound);
                        yield OnnxTensor.createTensor(env, IntBuffer.wrap(a), shape);
                    }
                    case BOOL -> {
                        byte[] a = new byte[count];
                        for (int i = 0; i < count; i++) a[i] = (byte) r.nextInt(2);
                        yield OnnxTensor.createTensor(env, ByteBuffer.wrap(a), shape,
                                ai.onnxruntime.OnnxJavaType.BOOL);
                    }
                    default -> throw new IllegalArgumentException("input '" + v.getName() + "' has type "
                            + TensorProto.DataType.forNumber(type) + ", for which no random inputs are made");
                };
                out.put(v.getName(), t);
            }
        } catch (RuntimeException | OrtException e) {
            out.values().forEach(OnnxTensor::close);
            throw e;
        }
        return out;
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    private static long[] shape(ValueInfoProto v, Map<String, Long> dims) {
        List<TensorShapeProto.Dimension> ds = v.getType().getTensorType().getShape().getDimList();
        long[] shape = new long[ds.size()];
        for (int i = 0; i < shape.length; i++) {
            TensorShapeProto.Dimension d = ds.get(i);
            Long given = dims.get(v.getName() + ":" + i);
            if (given == null && d.hasDimParam()) {
                given = dims.get(d.getDimParam());
            }
            if (given == null && d.hasDimValue() && d.getDimValue() > 0) {
                given = d.getDimValue();
            }
            if (given == null || given <= 0) {
                throw new IllegalArgumentException("input '" + v.getName() + "' dimension " + i
                        + (d.hasDimParam() ? " ('" + d.getDimParam() + "')" : "") + " has no size: give it in dims");
            }
            shape[i] = given;
        }
        return shape;
    }

    /** 1 for masks (all ones), V for Gather indices into a V-row table, else 2. */
    static long integerBound(GraphProto g, String input) {
        if (input.toLowerCase().contains("mask")) {
            return 1;
        }
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        Map<String, NodeProto> producers = new HashMap<>();
        Map<String, TensorProto> initializers = new HashMap<>();
        g.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        for (NodeProto n : g.getNodeList()) {
            n.getInputList().forEach(i -> consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n));
            n.getOutputList().forEach(o -> producers.put(o, n));
        }
        long bound = Long.MAX_VALUE;
        Deque<String> work = new ArrayDeque<>(List.of(input));
        Set<String> seen = new HashSet<>(work);
        while (!work.isEmpty()) {
            String t = work.pop();
            for (NodeProto n : consumers.getOrDefault(t, List.of())) {
                if (n.getOpType().equals("Gather") && n.getInputCount() > 1 && n.getInput(1).equals(t)) {
                    long rows = rows(n.getInput(0), producers, initializers);
                    if (rows > 0) {
                        bound = Math.min(bound, rows);
                    }
                } else if (PASS_THROUGH.contains(n.getOpType()) && n.getInput(0).equals(t)) {
                    for (String o : n.getOutputList()) {
                        if (seen.add(o)) {
                            work.add(o);
                        }
                    }
                }
            }
        }
        return bound == Long.MAX_VALUE ? 2 : bound;
    }

    private static long rows(String table, Map<String, NodeProto> producers, Map<String, TensorProto> initializers) {
        for (int depth = 0; depth < 4; depth++) {
            TensorProto init = initializers.get(table);
            if (init != null) {
                return init.getDimsCount() > 0 ? init.getDims(0) : -1;
            }
            NodeProto p = producers.get(table);
            if (p == null || !TABLE_THROUGH.contains(p.getOpType())) {
                return -1;
            }
            table = p.getInput(0);
        }
        return -1;
    }
}
