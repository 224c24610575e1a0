package org.layerlift.client.internal;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.layerlift.api.inference.TensorData;

/** Conversions between the wire's tensors ({@link TensorData}, ONNX element type codes) and ONNX Runtime's. */
final class Tensors {

    private Tensors() {}

    /** A view of an ORT tensor's data (valid while the tensor is open). */
    static TensorData view(String name, OnnxTensor t) {
        ByteBuffer raw = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return new TensorData(name, onnxType(t.getInfo().type), t.getInfo().getShape(), raw);
    }

    /** A copy of an ORT tensor's data on the heap. */
    static TensorData copy(String name, OnnxTensor t) {
        ByteBuffer raw = t.getByteBuffer();
        ByteBuffer heap = ByteBuffer.allocate(raw.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        heap.put(raw).flip();
        return new TensorData(name, onnxType(t.getInfo().type), t.getInfo().getShape(), heap.asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN));
    }

    /** A new ORT tensor holding a copy of {@code t}'s data. */
    static OnnxTensor create(OrtEnvironment env, TensorData t) throws OrtException {
        ByteBuffer direct = ByteBuffer.allocateDirect(t.data().remaining()).order(ByteOrder.nativeOrder());
        direct.put(t.data().duplicate()).flip();
        return OnnxTensor.createTensor(env, direct, t.shape(), javaType(t.elementType()));
    }

    static int onnxType(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> 1;
            case UINT8 -> 2;
            case INT8 -> 3;
            case INT16 -> 5;
            case INT32 -> 6;
            case INT64 -> 7;
            case BOOL -> 9;
            case FLOAT16 -> 10;
            case DOUBLE -> 11;
            case BFLOAT16 -> 16;
            default -> throw new IllegalArgumentException("tensor type " + type + " is not supported on the wire");
        };
    }

    static OnnxJavaType javaType(int elementType) {
        return switch (elementType) {
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
            default -> throw new IllegalArgumentException("element type " + elementType + " is not supported");
        };
    }
}
