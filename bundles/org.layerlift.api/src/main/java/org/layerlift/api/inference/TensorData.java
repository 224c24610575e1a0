package org.layerlift.api.inference;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A dense tensor as it travels: name, ONNX element type, shape and raw little-endian bytes.
 *
 * @param name        tensor name (the ONNX value name)
 * @param elementType ONNX {@code TensorProto.DataType} code (1 float, 7 int64, ...); strings are not supported
 * @param shape       dimensions, each &ge; 0 (empty for a scalar)
 * @param data        exactly {@code elements × element size} bytes, little-endian (position 0 to limit); not copied
 * @since 1.1
 */
public record TensorData(String name, int elementType, long[] shape, ByteBuffer data) {

    public TensorData {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        int size = elementSize(elementType);
        if (size <= 0) {
            throw new IllegalArgumentException("tensor '" + name + "': unsupported element type " + elementType);
        }
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in "
                        + Arrays.toString(shape));
            }
            elements = Math.multiplyExact(elements, d);
        }
        long bytes = Math.multiplyExact(elements, size);
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " of type "
                    + elementType + " needs " + bytes + " bytes, got " + data.remaining());
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes of data. */
    public int byteSize() {
        return data.remaining();
    }

    /**
     * Bytes per element of an ONNX element type; 0 for types without a fixed size (string) or unknown codes.
     * Supported: float(1) uint8(2) int8(3) uint16(4) int16(5) int32(6) int64(7) bool(9) float16(10) double(11)
     * uint32(12) uint64(13) bfloat16(16).
     */
    public static int elementSize(int elementType) {
        return switch (elementType) {
            case 1, 6, 12 -> 4;
            case 2, 3, 9 -> 1;
            case 4, 5, 10, 16 -> 2;
            case 7, 11, 13 -> 8;
            default -> 0;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && t.name.equals(name) && t.elementType == elementType
                && Arrays.equals(t.shape, shape) && t.data.equals(data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, elementType, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + ":" + elementType + Arrays.toString(shape);
    }
}
