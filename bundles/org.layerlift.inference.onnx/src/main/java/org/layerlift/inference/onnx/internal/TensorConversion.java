package org.layerlift.inference.onnx.internal;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.layerlift.api.inference.TensorData;

/**
 * {@link TensorData} (ONNX element type code, little-endian bytes) to and from ONNX Runtime tensors. ONNX Runtime
 * keeps tensors in native byte order; every platform a gateway runs on (x86-64, aarch64) is little-endian, so bytes
 * are copied as they are, and {@link #requireLittleEndian()} refuses to start anywhere else rather than swap.
 */
final class TensorConversion {

    private TensorConversion() {}

    static void requireLittleEndian() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("the segment executor needs a little-endian platform, this one is "
                    + ByteOrder.nativeOrder());
        }
    }

    /**
     * The ONNX Runtime Java type that carries ONNX element type {@code code}, or null when ORT's Java API cannot
     * create tensors of it (uint16, uint32, uint64, strings, complex, 8-bit floats).
     */
    static OnnxJavaType javaType(int code) {
        return switch (code) {
            case 1 -> OnnxJavaType.FLOAT;
            case 2 -> OnnxJavaType.UINT8;
            case 3 -> OnnxJavaType.INT8;
            case 5 -> OnnxJavaType.INT16;
            case 6 -> OnnxJavaType.INT32;
            case 7 -> OnnxJavaType.INT64;
            case 9 -> OnnxJavaType.BOOL;
            case 10 -> OnnxJavaType.FLOAT16;
            case 11 -> OnnxJavaType.DOUBLE;
            case 16 -> OnnxJavaType.BFLOAT16;
            default -> null;
        };
    }

    /** A short name for element type {@code code} in messages: "float (1)". */
    static String typeName(int code) {
        String name = switch (code) {
            case 1 -> "float";
            case 2 -> "uint8";
            case 3 -> "int8";
            case 4 -> "uint16";
            case 5 -> "int16";
            case 6 -> "int32";
            case 7 -> "int64";
            case 8 -> "string";
            case 9 -> "bool";
            case 10 -> "float16";
            case 11 -> "double";
            case 12 -> "uint32";
            case 13 -> "uint64";
            case 16 -> "bfloat16";
            default -> "type";
        };
        return name + " (" + code + ")";
    }

    /**
     * A direct, native-order copy of {@code bytes} (position to limit): what ONNX Runtime reads without copying
     * again, and independent of the caller's buffer, which may be reused once we return.
     */
    static ByteBuffer directCopy(ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocateDirect(bytes.remaining()).order(ByteOrder.nativeOrder());
        copy.put(bytes.duplicate());
        return copy.flip();
    }

    /**
     * An ONNX Runtime tensor holding a copy of {@code t}, owned by the caller.
     *
     * @throws IllegalArgumentException when ORT's Java API has no tensors of t's element type
     */
    static OnnxTensor toOnnx(OrtEnvironment env, TensorData t) throws OrtException {
        OnnxJavaType type = javaType(t.elementType());
        if (type == null) {
            throw new IllegalArgumentException("tensor '" + t.name() + "': element type "
                    + typeName(t.elementType()) + " cannot be passed to ONNX Runtime from Java");
        }
        return OnnxTensor.createTensor(env, directCopy(t.data()), t.shape(), type);
    }

    /** A heap, little-endian copy of an ONNX Runtime tensor as {@code name}. */
    static TensorData fromOnnx(String name, OnnxTensor t) {
        TensorInfo info = t.getInfo();
        int code = info.onnxType.value;
        if (TensorData.elementSize(code) <= 0) {
            throw new IllegalArgumentException("output '" + name + "' has element type " + typeName(code)
                    + ", which TensorData cannot carry");
        }
        // getByteBuffer copies the tensor's bytes (native order) into a new buffer
        ByteBuffer bytes = t.getByteBuffer();
        if (bytes == null) {
            throw new IllegalArgumentException("output '" + name + "' has no byte view (" + info + ")");
        }
        ByteBuffer heap;
        if (bytes.hasArray() && bytes.position() == 0) {
            heap = bytes;
        } else {
            heap = ByteBuffer.allocate(bytes.remaining());
            heap.put(bytes).flip();
        }
        return new TensorData(name, code, info.getShape(), heap.order(ByteOrder.LITTLE_ENDIAN));
    }
}
