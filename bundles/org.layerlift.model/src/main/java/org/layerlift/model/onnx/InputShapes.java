package org.layerlift.model.onnx;

import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the caller says about a model's input shapes: whole shapes by input name, values of dynamic dimensions
 * ({@code dim_param}) by name, or one unnamed shape for a single-input model.
 *
 * <p>Text syntax ({@link #parse(String)}, the CLI's {@code --input-shape}): entries separated by {@code ;}; each entry
 * is one of
 * <ul>
 * <li>{@code 1,3,224,224} (or {@code 1x3x224x224}): the shape of the model's only input;</li>
 * <li>{@code input=1,3,224,224}: the shape of the input named {@code input};</li>
 * <li>{@code batch=1,seq=128}: values of dynamic dimensions (a single {@code name=value} is a dimension when no
 *     input has that name).</li>
 * </ul>
 * Example for a BERT-style model: {@code input_ids=1,128;attention_mask=1,128;token_type_ids=1,128}, or simply
 * {@code batch_size=1,sequence_length=128}. Names may not contain {@code =}, {@code ;} or {@code ,}.
 */
public final class InputShapes {

    private static final InputShapes NONE = new InputShapes(null, Map.of(), Map.of());

    private final long[] unnamed;
    private final Map<String, long[]> shapes;
    private final Map<String, Long> dims;

    private InputShapes(long[] unnamed, Map<String, long[]> shapes, Map<String, Long> dims) {
        this.unnamed = unnamed;
        this.shapes = shapes;
        this.dims = dims;
    }

    /** Nothing bound: every input must be fully static. */
    public static InputShapes none() {
        return NONE;
    }

    /** The shape of the model's only input. */
    public static InputShapes of(long... shape) {
        return new InputShapes(checkDims("input shape", shape), Map.of(), Map.of());
    }

    public static InputShapes of(Map<String, long[]> inputShapes, Map<String, Long> dimValues) {
        InputShapes s = NONE;
        for (Map.Entry<String, long[]> e : inputShapes.entrySet()) {
            s = s.withInput(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Long> e : dimValues.entrySet()) {
            s = s.withDim(e.getKey(), e.getValue());
        }
        return s;
    }

    public InputShapes withInput(String input, long... shape) {
        Map<String, long[]> copy = new LinkedHashMap<>(shapes);
        copy.put(input, checkDims("input '" + input + "'", shape));
        return new InputShapes(unnamed, Collections.unmodifiableMap(copy), dims);
    }

    public InputShapes withDim(String dimParam, long value) {
        checkDims("dimension '" + dimParam + "'", value);
        Map<String, Long> copy = new LinkedHashMap<>(dims);
        copy.put(dimParam, value);
        return new InputShapes(unnamed, shapes, Collections.unmodifiableMap(copy));
    }

    /** Parses the {@code --input-shape} syntax (class comment); blank means {@link #none()}. */
    public static InputShapes parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return NONE;
        }
        long[] unnamed = null;
        Map<String, long[]> named = new LinkedHashMap<>();
        for (String raw : spec.split(";")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals < 0) {
                if (unnamed != null) {
                    throw bad(spec, "more than one unnamed shape; name the inputs (input=1,3,224,224;...)");
                }
                unnamed = dims(spec, entry, entry);
            } else if (entry.indexOf('=', equals + 1) >= 0) {
                for (String pair : entry.split(",")) {
                    String[] kv = pair.split("=", -1);
                    if (kv.length != 2 || kv[0].isBlank()) {
                        throw bad(spec, "'" + pair.strip() + "' is not name=value");
                    }
                    put(spec, named, kv[0].strip(), dims(spec, kv[0].strip(), kv[1].strip()));
                }
            } else {
                String name = entry.substring(0, equals).strip();
                if (name.isEmpty()) {
                    throw bad(spec, "'" + entry + "' has no name before '='");
                }
                put(spec, named, name, dims(spec, name, entry.substring(equals + 1).strip()));
            }
        }
        return new InputShapes(unnamed, Collections.unmodifiableMap(named), Map.of());
    }

    private static void put(String spec, Map<String, long[]> named, String name, long[] value) {
        if (named.put(name, value) != null) {
            throw bad(spec, "'" + name + "' is given twice");
        }
    }

    private static long[] dims(String spec, String what, String text) {
        if (text.isEmpty()) {
            throw bad(spec, "no dimensions for '" + what + "'");
        }
        String[] parts = text.split("[,xX]", -1);
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                values[i] = Long.parseLong(parts[i].strip());
            } catch (NumberFormatException e) {
                throw bad(spec, "dimension " + i + " of '" + what + "' is not a whole number: '" + parts[i].strip()
                        + "'");
            }
            if (values[i] <= 0) {
                throw bad(spec, "dimension " + i + " of '" + what + "' must be positive: " + values[i]);
            }
        }
        return values;
    }

    private static OnnxImportException bad(String spec, String message) {
        return new OnnxImportException("input shape '" + spec + "': " + message
                + " (syntax: 1,3,224,224 | input=1,3,224,224;other=1,128 | batch=1,seq=128)");
    }

    private static long[] checkDims(String what, long... shape) {
        for (long d : shape) {
            if (d <= 0) {
                throw new OnnxImportException(what + ": dimensions must be positive: " + Arrays.toString(shape));
            }
        }
        return shape.clone();
    }

    /**
     * The concrete shape of every graph input of {@code graph}, in input order. Errors name the model, the input and
     * the dimension: an unknown name, a rank or static dimension that differs from the model's declaration, a
     * dynamic dimension left unbound.
     */
    public Map<String, long[]> resolve(OnnxGraph graph) {
        List<ValueInfoProto> inputs = graph.inputs();
        Set<String> params = new LinkedHashSet<>();
        for (ValueInfoProto v : inputs) {
            for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
                if (!d.getDimParam().isEmpty()) {
                    params.add(d.getDimParam());
                }
            }
        }
        Map<String, long[]> given = new LinkedHashMap<>();
        Map<String, Long> dimValues = new LinkedHashMap<>(dims);
        List<String> inputNames = graph.inputNames();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            if (inputNames.contains(e.getKey())) {
                given.put(e.getKey(), e.getValue());
            } else if (params.contains(e.getKey()) && e.getValue().length == 1) {
                dimValues.put(e.getKey(), e.getValue()[0]);
            } else {
                throw OnnxImportException.model(graph.name(), "input shape names '" + e.getKey()
                        + "', which is neither an input " + inputNames + " nor a dynamic dimension " + params);
            }
        }
        for (String d : dimValues.keySet()) {
            if (!params.contains(d)) {
                throw OnnxImportException.model(graph.name(), "dynamic dimension '" + d
                        + "' does not occur in the inputs (dynamic dimensions: " + params + ")");
            }
        }
        if (unnamed != null) {
            if (inputs.size() != 1) {
                throw OnnxImportException.model(graph.name(), "an unnamed input shape needs a single-input model;"
                        + " this one has " + inputs.size() + " inputs " + inputNames + ": name them");
            }
            if (given.containsKey(inputNames.get(0))) {
                throw OnnxImportException.model(graph.name(), "input '" + inputNames.get(0)
                        + "' is given both named and unnamed");
            }
            given.put(inputNames.get(0), unnamed);
        }
        Map<String, long[]> resolved = new LinkedHashMap<>();
        for (ValueInfoProto v : inputs) {
            resolved.put(v.getName(), resolveInput(graph, v, given.get(v.getName()), dimValues));
        }
        return resolved;
    }

    private static long[] resolveInput(OnnxGraph graph, ValueInfoProto v, long[] shape, Map<String, Long> dimValues) {
        String name = v.getName();
        if (!v.getType().hasTensorType()) {
            throw OnnxImportException.model(graph.name(), "input '" + name + "' is not a tensor");
        }
        boolean hasShape = v.getType().getTensorType().hasShape();
        List<TensorShapeProto.Dimension> declared = v.getType().getTensorType().getShape().getDimList();
        if (shape != null) {
            if (hasShape && declared.size() != shape.length) {
                throw OnnxImportException.model(graph.name(), "input '" + name + "' has rank " + declared.size()
                        + " (" + describe(declared) + ") but the given shape " + Arrays.toString(shape) + " has rank "
                        + shape.length);
            }
            for (int i = 0; hasShape && i < shape.length; i++) {
                TensorShapeProto.Dimension d = declared.get(i);
                if (d.hasDimValue() && d.getDimValue() > 0 && d.getDimValue() != shape[i]) {
                    throw OnnxImportException.model(graph.name(), "input '" + name + "' dimension " + i
                            + " is fixed at " + d.getDimValue() + " (" + describe(declared) + ") but the given shape "
                            + Arrays.toString(shape) + " has " + shape[i]);
                }
                Long bound = d.getDimParam().isEmpty() ? null : dimValues.get(d.getDimParam());
                if (bound != null && bound != shape[i]) {
                    throw OnnxImportException.model(graph.name(), "input '" + name + "' dimension " + i + " ('"
                            + d.getDimParam() + "') is bound to " + bound + " but the given shape "
                            + Arrays.toString(shape) + " has " + shape[i]);
                }
            }
            return shape.clone();
        }
        if (!hasShape) {
            throw OnnxImportException.model(graph.name(), "input '" + name
                    + "' declares no shape: give it, e.g. " + name + "=1,3,224,224");
        }
        long[] result = new long[declared.size()];
        for (int i = 0; i < result.length; i++) {
            TensorShapeProto.Dimension d = declared.get(i);
            if (d.hasDimValue() && d.getDimValue() > 0) {
                result[i] = d.getDimValue();
            } else if (!d.getDimParam().isEmpty() && dimValues.containsKey(d.getDimParam())) {
                result[i] = dimValues.get(d.getDimParam());
            } else {
                String label = d.getDimParam().isEmpty() ? "unknown" : "'" + d.getDimParam() + "'";
                throw OnnxImportException.model(graph.name(), "input '" + name + "' dimension " + i + " (" + label
                        + ", shape " + describe(declared) + ") is dynamic and not bound: give "
                        + (d.getDimParam().isEmpty() ? name + "=<shape>" : d.getDimParam() + "=<value> or " + name
                                + "=<shape>"));
            }
        }
        return result;
    }

    static String describe(List<TensorShapeProto.Dimension> dims) {
        List<String> parts = new ArrayList<>();
        for (TensorShapeProto.Dimension d : dims) {
            parts.add(d.hasDimValue() ? Long.toString(d.getDimValue())
                    : d.getDimParam().isEmpty() ? "?" : d.getDimParam());
        }
        return "[" + String.join(", ", parts) + "]";
    }

    /** The spec in the text syntax. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (unnamed != null) {
            parts.add(join(unnamed));
        }
        shapes.forEach((k, v) -> parts.add(k + "=" + join(v)));
        if (!dims.isEmpty()) {
            List<String> d = new ArrayList<>();
            dims.forEach((k, v) -> d.add(k + "=" + v));
            parts.add(String.join(",", d));
        }
        return String.join(";", parts);
    }

    private static String join(long[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return sb.toString();
    }
}
