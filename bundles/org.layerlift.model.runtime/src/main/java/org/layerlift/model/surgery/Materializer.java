package org.layerlift.model.surgery;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Creates the external data files of a stripped model (the {@code location} each external tensor names, relative to
 * the model file) with exactly the length the tensors need, filled with seeded pseudo-random values: each tensor
 * gets its own stream (seed and tensor name), so values do not depend on file layout.
 *
 * <p>Values by type: float tensors of rank ≥ 2 (weights) uniform in ±sqrt(3/fan_in) (variance 1/fan_in: a ReLU
 * layer halves the activations' second moment, which the biases partly restore, and residual blocks grow it only
 * slowly, so deep nets end with outputs of order 1 to 100), fan_in from the dims and the consuming operator (MatMul: dims[0], Gemm: by
 * transB, others: the product of dims[1:]); rank ≤ 1 float tensors (biases, scales) uniform in ±0.1, except
 * BatchNormalization scale (1 ± 0.1) and variance ([0.5, 1.5]); 8-bit integers uniform in [-8, 8) or [0, 16);
 * other integers and booleans in {0, 1} (valid as indices and flags). Never zeros. A {@code <file>.seed} stamp
 * next to each file lets a later call with the same seed and length reuse it.
 */
public final class Materializer {

    private static final int CHUNK = 1 << 22;
    /** Bumped whenever the values change, so stale files are rewritten. */
    private static final int VERSION = 2;

    private Materializer() {}

    /**
     * Materialises the external data of the model at {@code model}. Returns the data files written or reused.
     *
     * @throws SurgeryException when the model cannot be read or tensors overlap or name odd locations
     */
    public static List<Path> materialize(Path model, long seed) throws IOException {
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(Files.readAllBytes(model));
        } catch (IOException e) {
            throw new SurgeryException("cannot read model " + model + ": " + e.getMessage(), e);
        }
        return materialize(proto, model, seed);
    }

    /** As {@link #materialize(Path, long)} for a model already parsed; {@code model} says where its file lies. */
    public static List<Path> materialize(ModelProto proto, Path model, long seed) throws IOException {
        GraphProto g = proto.getGraph();
        Map<String, List<TensorProto>> byLocation = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (Tensors.isExternal(t)) {
                byLocation.computeIfAbsent(Tensors.location(t), k -> new ArrayList<>()).add(t);
            }
        }
        for (NodeProto n : g.getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasT() && Tensors.isExternal(a.getT())) {
                    byLocation.computeIfAbsent(Tensors.location(a.getT()), k -> new ArrayList<>()).add(a.getT());
                }
            }
        }
        Map<String, NodeProto> firstConsumer = new HashMap<>();
        Map<String, Integer> consumerSlot = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (int i = 0; i < n.getInputCount(); i++) {
                if (firstConsumer.putIfAbsent(n.getInput(i), n) == null) {
                    consumerSlot.put(n.getInput(i), i);
                }
            }
        }
        Path directory = model.toAbsolutePath().normalize().getParent();
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, List<TensorProto>> e : byLocation.entrySet()) {
            Path file = directory.resolve(e.getKey()).normalize();
            if (Path.of(e.getKey()).isAbsolute() || !file.startsWith(directory)) {
                throw new SurgeryException("model " + model + ": external data location '" + e.getKey()
                        + "' lies outside the model's directory");
            }
            long length = 0;
            for (TensorProto t : e.getValue()) {
                length = Math.max(length, Tensors.offset(t) + Tensors.externalLength(t));
            }
            checkOverlaps(model, e.getKey(), e.getValue());
            Path stamp = file.resolveSibling(file.getFileName() + ".seed");
            String expectedStamp = "v" + VERSION + " seed=" + seed + " length=" + length + " tensors=" + e.getValue().size() + "\n";
            if (Files.isRegularFile(file) && Files.size(file) == length && Files.isRegularFile(stamp)
                    && Files.readString(stamp, StandardCharsets.UTF_8).equals(expectedStamp)) {
                files.add(file);
                continue;
            }
            Files.deleteIfExists(stamp);
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (TensorProto t : e.getValue()) {
                    write(out, t, seed, firstConsumer.get(t.getName()), consumerSlot.getOrDefault(t.getName(), -1));
                }
                if (out.size() < length) {
                    out.write(ByteBuffer.allocate(1), length - 1);
                }
            }
            Files.writeString(stamp, expectedStamp, StandardCharsets.UTF_8);
            files.add(file);
        }
        return files;
    }

    private static void checkOverlaps(Path model, String location, List<TensorProto> tensors) {
        List<TensorProto> sorted = new ArrayList<>(tensors);
        sorted.sort((a, b) -> Long.compare(Tensors.offset(a), Tensors.offset(b)));
        for (int i = 1; i < sorted.size(); i++) {
            TensorProto a = sorted.get(i - 1);
            TensorProto b = sorted.get(i);
            if (Tensors.offset(a) + Tensors.externalLength(a) > Tensors.offset(b)) {
                throw new SurgeryException("model " + model + ": tensors '" + a.getName() + "' and '" + b.getName()
                        + "' overlap in external data file '" + location + "'");
            }
        }
    }

    private static long nameHash(String name) {
        long h = 1125899906842597L;
        for (int i = 0; i < name.length(); i++) {
            h = 31 * h + name.charAt(i);
        }
        return h;
    }

    private static void write(FileChannel out, TensorProto t, long seed, NodeProto consumer, int slot)
            throws IOException {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ nameHash(t.getName()));
        int type = t.getDataType();
        int size = Tensors.elementSize(type);
        if (size < 0) {
            throw new SurgeryException("tensor '" + t.getName() + "' has type "
                    + DataType.forNumber(type) + ", which cannot be materialised");
        }
        long count = Tensors.elementCount(t.getDimsList());
        double low;
        double high;
        List<Long> dims = t.getDimsList();
        String op = consumer == null ? "" : consumer.getOpType();
        if (dims.size() >= 2) {
            long fanIn = fanIn(dims, op, slot, consumer);
            double bound = Math.sqrt(3.0 / Math.max(1, fanIn));
            low = -bound;
            high = bound;
        } else if (op.equals("BatchNormalization") && slot == 1) {
            low = 0.9;
            high = 1.1;
        } else if (op.equals("BatchNormalization") && slot == 4) {
            low = 0.5;
            high = 1.5;
        } else {
            low = -0.1;
            high = 0.1;
        }
        long position = Tensors.offset(t);
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(size, count * size)))
                .order(ByteOrder.LITTLE_ENDIAN);
        long left = count;
        while (left > 0) {
            buffer.clear();
            long n = Math.min(left, buffer.capacity() / size);
            for (long i = 0; i < n; i++) {
                double u = low + (high - low) * random.nextDouble();
                switch (DataType.forNumber(type)) {
                    case FLOAT -> buffer.putFloat((float) u);
                    case DOUBLE -> buffer.putDouble(u);
                    case FLOAT16 -> buffer.putShort(toHalf((float) u));
                    case BFLOAT16 -> buffer.putShort((short) (Float.floatToIntBits((float) u) >>> 16));
                    case INT8 -> buffer.put((byte) (random.nextInt(16) - 8));
                    case UINT8 -> buffer.put((byte) random.nextInt(16));
                    case INT16, UINT16 -> buffer.putShort((short) random.nextInt(2));
                    case INT32, UINT32 -> buffer.putInt(random.nextInt(2));
                    case INT64, UINT64 -> buffer.putLong(random.nextInt(2));
                    case BOOL -> buffer.put((byte) random.nextInt(2));
                    default -> throw new SurgeryException("tensor '" + t.getName() + "' has type "
                            + DataType.forNumber(type) + ", which cannot be materialised");
                }
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                position += out.write(buffer, position);
            }
            left -= n;
        }
    }

    /** IEEE half precision, truncating; tiny values flush to zero, which the ranges used here never reach. */
    private static short toHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        int mantissa = (bits >>> 13) & 0x3ff;
        if (exponent <= 0) {
            return (short) sign;
        }
        if (exponent >= 31) {
            return (short) (sign | 0x7c00);
        }
        return (short) (sign | (exponent << 10) | mantissa);
    }

    private static long fanIn(List<Long> dims, String op, int slot, NodeProto consumer) {
        int rank = dims.size();
        if ((op.equals("MatMul") || op.equals("MatMulInteger")) && slot == 1) {
            return dims.get(rank - 2);
        }
        if (op.equals("Gemm") && slot == 1) {
            boolean transB = consumer.getAttributeList().stream()
                    .anyMatch(a -> a.getName().equals("transB") && a.getI() != 0);
            return transB ? dims.get(1) : dims.get(0);
        }
        long product = 1;
        for (int i = 1; i < rank; i++) {
            product *= dims.get(i);
        }
        return product;
    }
}
