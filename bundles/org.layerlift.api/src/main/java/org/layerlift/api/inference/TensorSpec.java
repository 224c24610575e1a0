package org.layerlift.api.inference;

import java.util.Arrays;
import java.util.Objects;

/**
 * A declared tensor: name, ONNX element type and shape, -1 for a dynamic dimension.
 *
 * @since 1.1
 */
public record TensorSpec(String name, int elementType, long[] shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Whether {@code t} has this name, element type and a shape matching this one (-1 matches any size). */
    public boolean accepts(TensorData t) {
        if (!t.name().equals(name) || t.elementType() != elementType) {
            return false;
        }
        long[] s = t.shape();
        if (s.length != shape.length) {
            return false;
        }
        for (int i = 0; i < s.length; i++) {
            if (shape[i] >= 0 && shape[i] != s[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && t.elementType == elementType
                && Arrays.equals(t.shape, shape);
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
