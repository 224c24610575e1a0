package org.layerlift.inference.onnx.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.layerlift.api.inference.SegmentException;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;

/**
 * Checks a run's inputs against a segment's declared inputs before anything reaches ONNX Runtime, so a client's
 * mistake comes back as BAD_INPUT naming the tensor and what was expected, not as an ORT error (or a crash) from
 * inside the run. The inputs may come in any order; they are returned in the segment's order.
 */
final class InputValidation {

    private InputValidation() {}

    /**
     * {@code inputs} by declared name, in declaration order.
     *
     * @throws SegmentException BAD_INPUT: a missing, extra or repeated name, an element type, rank or dimension
     *     that does not match
     */
    static Map<String, TensorData> check(String key, List<TensorSpec> declared, List<TensorData> inputs)
            throws SegmentException {
        if (inputs == null) {
            throw bad(key, "no inputs given; expected " + declared);
        }
        Map<String, TensorData> byName = new HashMap<>();
        for (TensorData t : inputs) {
            if (t == null) {
                throw bad(key, "an input is null; expected " + declared);
            }
            if (byName.put(t.name(), t) != null) {
                throw bad(key, "input '" + t.name() + "' is given twice");
            }
        }
        Map<String, TensorSpec> specs = new LinkedHashMap<>();
        declared.forEach(s -> specs.put(s.name(), s));
        for (String name : byName.keySet()) {
            if (!specs.containsKey(name)) {
                throw bad(key, "unexpected input '" + name + "'; the segment's inputs are " + specs.keySet());
            }
        }
        Map<String, TensorData> ordered = new LinkedHashMap<>();
        for (TensorSpec spec : declared) {
            TensorData t = byName.get(spec.name());
            if (t == null) {
                throw bad(key, "input '" + spec.name() + "' (" + describe(spec) + ") is missing");
            }
            if (t.elementType() != spec.elementType()) {
                throw bad(key, "input '" + spec.name() + "' has element type "
                        + TensorConversion.typeName(t.elementType()) + ", expected " + describe(spec));
            }
            if (!spec.accepts(t)) {
                throw bad(key, "input '" + spec.name() + "' has shape " + Arrays.toString(t.shape())
                        + ", expected " + describe(spec) + " (-1: any size)");
            }
            ordered.put(spec.name(), t);
        }
        return ordered;
    }

    static String describe(TensorSpec s) {
        return TensorConversion.typeName(s.elementType()) + " " + Arrays.toString(s.shape());
    }

    private static SegmentException bad(String key, String message) {
        return new SegmentException(SegmentException.Reason.BAD_INPUT, "segment " + key + ": " + message);
    }
}
