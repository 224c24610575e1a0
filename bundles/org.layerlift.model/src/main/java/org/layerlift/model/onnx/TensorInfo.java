package org.layerlift.model.onnx;

import java.util.Arrays;

/**
 * A stored tensor (initializer or {@code Constant} value): name, element type and dims. Its size comes from the dims
 * and the element type, never from the stored bytes, so it is right for external data and stripped models alike.
 *
 * @param name     tensor name
 * @param dataType ONNX element type code ({@link DataTypes})
 * @param dims     dims (empty for a scalar)
 * @param external whether the bytes live in an external file ({@code data_location = EXTERNAL})
 */
public record TensorInfo(String name, int dataType, long[] dims, boolean external) {

    public TensorInfo {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    TensorInfo renamed(String newName) {
        return new TensorInfo(newName, dataType, dims, external);
    }

    public long elements() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes of the tensor: elements times element size (0 for strings, whose size is not fixed). */
    public long bytes() {
        int size = DataTypes.elementSize(dataType);
        return size < 0 ? 0 : Math.multiplyExact(elements(), size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && t.dataType == dataType && Arrays.equals(t.dims, dims)
                && t.external == external;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + ":" + DataTypes.name(dataType) + Arrays.toString(dims);
    }
}
