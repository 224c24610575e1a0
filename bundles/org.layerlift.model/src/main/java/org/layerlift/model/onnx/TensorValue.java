package org.layerlift.model.onnx;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor during shape inference: element type, concrete shape and, for small tensors whose value is known
 * (stored inline, or folded from such), the value: integer types in {@code ints}, floating types in {@code floats}.
 * Values of stored tensors are decoded only when asked for.
 */
final class TensorValue {

    final int dataType;
    final long[] shape;
    private long[] ints;
    private double[] floats;
    private TensorProto stored;

    TensorValue(int dataType, long[] shape) {
        this.dataType = dataType;
        this.shape = shape;
    }

    static TensorValue ofInts(int dataType, long[] shape, long[] ints) {
        TensorValue v = new TensorValue(dataType, shape);
        v.ints = ints;
        return v;
    }

    static TensorValue ofFloats(int dataType, long[] shape, double[] floats) {
        TensorValue v = new TensorValue(dataType, shape);
        v.floats = floats;
        return v;
    }

    /** A stored tensor; its value is decoded lazily, and never from external data. */
    static TensorValue stored(TensorProto t) {
        TensorValue v = new TensorValue(t.getDataType(), t.getDimsList().stream().mapToLong(Long::longValue).toArray());
        if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
            v.stored = t;
        }
        return v;
    }

    long elements() {
        return ShapeInference.product(shape, 0, shape.length);
    }

    long bytes() {
        int size = DataTypes.elementSize(dataType);
        return size < 0 ? 0 : Math.multiplyExact(elements(), size);
    }

    boolean isInteger() {
        return DataTypes.isInteger(dataType);
    }

    /** Whether the value is known (decoding it if stored). */
    boolean known() {
        decode();
        return ints != null || floats != null;
    }

    /** The value as integers, or null when unknown. */
    long[] ints() {
        decode();
        if (ints != null) {
            return ints;
        }
        if (floats != null) {
            long[] r = new long[floats.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = (long) floats[i];
            }
            return r;
        }
        return null;
    }

    /** The value as doubles, or null when unknown. */
    double[] floats() {
        decode();
        if (floats != null) {
            return floats;
        }
        if (ints != null) {
            double[] r = new double[ints.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = ints[i];
            }
            return r;
        }
        return null;
    }

    private void decode() {
        TensorProto t = stored;
        if (t == null) {
            return;
        }
        stored = null;
        long n = elements();
        if (n > ShapeInference.FOLD_LIMIT) {
            return;
        }
        int count = (int) n;
        ByteBuffer raw = t.getRawData().isEmpty() ? null
                : t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int size = DataTypes.elementSize(dataType);
        if (raw != null && (size < 0 || raw.remaining() != (long) count * size)) {
            return; // inconsistent or unsized: leave unknown, the size from dims still holds
        }
        if (raw == null && typedCount(t) != count) {
            return;
        }
        switch (dataType) {
            case DataTypes.FLOAT:
                floats = new double[count];
                for (int i = 0; i < count; i++) {
                    floats[i] = raw != null ? raw.getFloat(i * 4) : t.getFloatData(i);
                }
                break;
            case DataTypes.DOUBLE:
                floats = new double[count];
                for (int i = 0; i < count; i++) {
                    floats[i] = raw != null ? raw.getDouble(i * 8) : t.getDoubleData(i);
                }
                break;
            case DataTypes.INT64:
                ints = new long[count];
                for (int i = 0; i < count; i++) {
                    ints[i] = raw != null ? raw.getLong(i * 8) : t.getInt64Data(i);
                }
                break;
            case DataTypes.UINT64:
                ints = new long[count];
                for (int i = 0; i < count; i++) {
                    ints[i] = raw != null ? raw.getLong(i * 8) : t.getUint64Data(i);
                }
                break;
            case DataTypes.INT32: case DataTypes.INT16: case DataTypes.INT8: case DataTypes.UINT16:
            case DataTypes.UINT8: case DataTypes.BOOL: case DataTypes.UINT32:
                ints = new long[count];
                for (int i = 0; i < count; i++) {
                    ints[i] = raw != null ? readInt(raw, i, size, dataType) : t.getInt32Data(i);
                }
                break;
            default:
                break;
        }
    }

    private static int typedCount(TensorProto t) {
        switch (t.getDataType()) {
            case DataTypes.FLOAT:
                return t.getFloatDataCount();
            case DataTypes.DOUBLE:
                return t.getDoubleDataCount();
            case DataTypes.INT64:
                return t.getInt64DataCount();
            case DataTypes.UINT64:
                return t.getUint64DataCount();
            default:
                return t.getInt32DataCount();
        }
    }

    private static long readInt(ByteBuffer raw, int i, int size, int type) {
        switch (size) {
            case 1:
                return type == DataTypes.INT8 ? raw.get(i) : raw.get(i) & 0xFF;
            case 2:
                return type == DataTypes.INT16 ? raw.getShort(i * 2) : raw.getShort(i * 2) & 0xFFFF;
            default:
                return type == DataTypes.UINT32 ? raw.getInt(i * 4) & 0xFFFFFFFFL : raw.getInt(i * 4);
        }
    }

    @Override
    public String toString() {
        return DataTypes.name(dataType) + Arrays.toString(shape);
    }
}
