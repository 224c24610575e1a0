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

    /**
     * The ONNX element type code (TensorProto.DataType) of an ORT tensor type. Not {@code OnnxTensorType.value}:
     * ORT's Java enum numbers its constants in an order of its own (FLOAT is 10 there, UINT8 1, BOOL 13), so the
     * mapping is spelled out by name. 0 for types ONNX has no code for here.
     */
    static int onnxCode(TensorInfo.OnnxTensorType type) {
        return switch (type) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> 1;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> 2;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> 3;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> 4;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> 5;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> 6;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> 7;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> 8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> 9;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> 10;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> 11;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> 12;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> 13;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX64 -> 14;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_COMPLEX128 -> 15;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> 16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E4M3FN -> 17;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E4M3FNUZ -> 18;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E5M2 -> 19;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT8E5M2FNUZ -> 20;
            default -> 0;
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
        int code = onnxCode(info.onnxType);
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
