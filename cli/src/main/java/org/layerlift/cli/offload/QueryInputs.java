package org.layerlift.cli.offload;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;
import org.layerlift.model.runtime.RandomInputs;
import org.layerlift.cli.CliException;

/**
 * The tensors queries run on: seeded random ones shaped like the model's inputs, or ONNX {@code TensorProto} files
 * ({@code .pb}, one tensor each) matched to the inputs by name, or by position when a file's tensor has no name.
 */
public final class QueryInputs {

    private QueryInputs() {
    }

    /**
     * Random tensors for every input: floating point uniform in [0, 1), integers in [0, 10), booleans 0 or 1.
     *
     * @throws CliException for an input of an element type that cannot be generated
     */
    public static List<TensorData> random(List<TensorSpec> inputs, long seed) {
        try {
            return RandomInputs.tensors(inputs, seed);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage() + ": give the tensors with --input");
        }
    }

    /**
     * Reads one tensor from each file and matches them to the model's inputs.
     *
     * @throws CliException naming the file and what does not fit (unreadable, not a TensorProto, unknown name,
     *                      wrong type or shape, an input missing)
     */
    public static List<TensorData> read(List<Path> files, List<TensorSpec> inputs) {
        List<TensorData> tensors = new ArrayList<>();
        for (Path file : files) {
            tensors.add(readTensor(file));
        }
        return match(files, tensors, inputs);
    }

    /** One TensorProto file as a tensor (name possibly empty). */
    static TensorData readTensor(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException("input " + file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        TensorProto proto;
        try (InputStream in = Files.newInputStream(file)) {
            proto = TensorProto.parseFrom(in);
        } catch (IOException e) {
            throw new CliException("input " + file + " is not an ONNX TensorProto (.pb) file: " + e.getMessage()
                    + "; write one with onnx.numpy_helper.from_array(a, name).SerializeToString()");
        }
        try {
            return toTensor(proto);
        } catch (IllegalArgumentException e) {
            throw new CliException("input " + file + ": " + e.getMessage());
        }
    }

    /** A TensorProto's values as a tensor: raw_data, or the typed value fields. */
    static TensorData toTensor(TensorProto proto) {
        int type = proto.getDataType();
        int size = TensorData.elementSize(type);
        if (size <= 0) {
            throw new IllegalArgumentException("element type " + type + " is not supported (strings and undefined "
                    + "types are not)");
        }
        if (proto.hasDataLocation() && proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException("the tensor's data is external; write it with its values inside");
        }
        long[] shape = proto.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        long bytes = Math.multiplyExact(elements, size);
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor " + Arrays.toString(shape) + " is too large");
        }
        ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (!proto.getRawData().isEmpty() || elements == 0) {
            ByteString raw = proto.getRawData();
            if (raw.size() != bytes) {
                throw new IllegalArgumentException("raw_data has " + raw.size() + " bytes, shape "
                        + Arrays.toString(shape) + " of type " + type + " needs " + bytes);
            }
            data.put(raw.asReadOnlyByteBuffer());
        } else {
            int count = switch (type) {
                case 1 -> proto.getFloatDataCount();
                case 11 -> proto.getDoubleDataCount();
                case 7 -> proto.getInt64DataCount();
                case 12, 13 -> proto.getUint64DataCount();
                default -> proto.getInt32DataCount();
            };
            if (count != elements) {
                throw new IllegalArgumentException("the tensor holds " + count + " values, shape "
                        + Arrays.toString(shape) + " needs " + elements);
            }
            for (int i = 0; i < elements; i++) {
                switch (type) {
                    case 1 -> data.putFloat(proto.getFloatData(i));
                    case 11 -> data.putDouble(proto.getDoubleData(i));
                    case 7 -> data.putLong(proto.getInt64Data(i));
                    case 13 -> data.putLong(proto.getUint64Data(i));
                    case 12 -> data.putInt((int) proto.getUint64Data(i));
                    case 6 -> data.putInt(proto.getInt32Data(i));
                    case 4, 5, 10, 16 -> data.putShort((short) proto.getInt32Data(i));
                    default -> data.put((byte) proto.getInt32Data(i));
                }
            }
        }
        data.flip();
        return new TensorData(proto.getName(), type, shape, data);
    }

    /** Matches tensors (from {@code files}, same order) to the inputs: by name, or by position when unnamed. */
    static List<TensorData> match(List<Path> files, List<TensorData> tensors, List<TensorSpec> inputs) {
        if (tensors.size() != inputs.size()) {
            throw new CliException(tensors.size() + " --input file" + (tensors.size() == 1 ? "" : "s") + " for "
                    + inputs.size() + " model input" + (inputs.size() == 1 ? "" : "s") + " " + names(inputs)
                    + ": give one TensorProto file per input");
        }
        Map<String, TensorData> byName = new HashMap<>();
        for (int k = 0; k < tensors.size(); k++) {
            final int i = k;
            TensorData t = tensors.get(i);
            TensorSpec spec;
            if (t.name().isEmpty()) {
                spec = inputs.get(i);
            } else {
                spec = inputs.stream().filter(s -> s.name().equals(t.name())).findFirst().orElseThrow(() ->
                        new CliException("input " + files.get(i) + ": tensor '" + t.name() + "' is not an input of the "
                                + "model, which has " + names(inputs)));
            }
            TensorData named = new TensorData(spec.name(), t.elementType(), t.shape(), t.data());
            if (!spec.accepts(named)) {
                throw new CliException("input " + files.get(i) + ": tensor of type " + t.elementType() + " and shape "
                        + Arrays.toString(t.shape()) + " does not fit model input '" + spec.name() + "' (type "
                        + spec.elementType() + ", shape " + Arrays.toString(spec.shape()) + ", -1 = any size)");
            }
            if (byName.put(spec.name(), named) != null) {
                throw new CliException("input " + files.get(i) + ": model input '" + spec.name() + "' given twice");
            }
        }
        List<TensorData> ordered = new ArrayList<>();
        for (TensorSpec spec : inputs) {
            ordered.add(byName.get(spec.name()));
        }
        return ordered;
    }

    private static String names(List<TensorSpec> inputs) {
        return inputs.stream().map(s -> s.name() + " " + Arrays.toString(s.shape())).toList().toString();
    }

    /** The largest |a - b| over every element of every output (same order); infinity when they differ in shape. */
    public static double maxAbsDiff(List<TensorData> a, List<TensorData> b) {
        if (a.size() != b.size()) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            TensorData x = a.get(i);
            TensorData y = b.get(i);
            if (x.elementType() != y.elementType() || !Arrays.equals(x.shape(), y.shape())) {
                return Double.POSITIVE_INFINITY;
            }
            ByteBuffer p = x.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer q = y.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            long n = x.elements();
            for (long e = 0; e < n; e++) {
                double u;
                double v;
                switch (x.elementType()) {
                    case 1 -> { u = p.getFloat(); v = q.getFloat(); }
                    case 11 -> { u = p.getDouble(); v = q.getDouble(); }
                    case 7, 13 -> { u = p.getLong(); v = q.getLong(); }
                    case 6, 12 -> { u = p.getInt(); v = q.getInt(); }
                    case 4, 5, 10, 16 -> { u = p.getShort(); v = q.getShort(); }
                    default -> { u = p.get(); v = q.get(); }
                }
                double d = Math.abs(u - v);
                if (Double.isNaN(d)) {
                    if (!(Double.isNaN(u) && Double.isNaN(v))) {
                        return Double.POSITIVE_INFINITY;
                    }
                } else if (d > max) {
                    max = d;
                }
            }
        }
        return max;
    }
}
