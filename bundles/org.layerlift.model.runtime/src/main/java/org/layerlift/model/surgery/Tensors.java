package org.layerlift.model.surgery;

import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import java.util.List;

/** Sizes and external-data fields of ONNX tensors. */
public final class Tensors {

    private Tensors() {}

    /** Bytes per element of an ONNX data type, or -1 where the size is not fixed (string) or unknown. */
    public static int elementSize(int dataType) {
        return switch (DataType.forNumber(dataType) == null ? DataType.UNDEFINED : DataType.forNumber(dataType)) {
            case FLOAT, INT32, UINT32 -> 4;
            case DOUBLE, INT64, UINT64, COMPLEX64 -> 8;
            case COMPLEX128 -> 16;
            case FLOAT16, BFLOAT16, INT16, UINT16 -> 2;
            case INT8, UINT8, BOOL, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ -> 1;
            default -> -1;
        };
    }

    /** The number of elements (the product of the dims; 1 for a scalar). */
    public static long elementCount(List<Long> dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d + " in " + dims);
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The byte length of a tensor's data, or -1 when its type has no fixed size. */
    public static long byteLength(TensorProto t) {
        int size = elementSize(t.getDataType());
        return size < 0 ? -1 : Math.multiplyExact(elementCount(t.getDimsList()), size);
    }

    /** Whether the tensor's data lives in an external file. */
    public static boolean isExternal(TensorProto t) {
        return t.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
    }

    /** An external-data field ("location", "offset", "length", "checksum"), or null. */
    public static String externalField(TensorProto t, String key) {
        for (StringStringEntryProto e : t.getExternalDataList()) {
            if (e.getKey().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The external file a tensor's data lives in, relative to the model file. */
    public static String location(TensorProto t) {
        String location = externalField(t, "location");
        if (location == null || location.isEmpty()) {
            throw new SurgeryException("tensor '" + t.getName() + "' is external but names no location");
        }
        return location;
    }

    /** The external-data offset (0 when absent). */
    public static long offset(TensorProto t) {
        return parse(t, "offset", 0);
    }

    /** The external-data length: the field when present, else the length its dims and type give. */
    public static long externalLength(TensorProto t) {
        long fromDims = byteLength(t);
        long length = parse(t, "length", fromDims);
        if (length < 0) {
            throw new SurgeryException("tensor '" + t.getName() + "' has no external length and no fixed-size type");
        }
        if (fromDims >= 0 && length != fromDims) {
            throw new SurgeryException("tensor '" + t.getName() + "': external length " + length
                    + " does not match its dims " + t.getDimsList() + " (" + fromDims + " bytes)");
        }
        return length;
    }

    private static long parse(TensorProto t, String key, long otherwise) {
        String v = externalField(t, key);
        if (v == null || v.isEmpty()) {
            return otherwise;
        }
        try {
            long x = Long.parseLong(v.trim());
            if (x < 0) {
                throw new NumberFormatException("negative");
            }
            return x;
        } catch (NumberFormatException e) {
            throw new SurgeryException("tensor '" + t.getName() + "' has a bad external " + key + " '" + v + "'");
        }
    }
}
