package org.layerlift.model.onnx;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

/**
 * Concrete shapes, element types and byte sizes of every tensor of a graph for one binding of its inputs, and the
 * FLOP estimate of every node. Made by {@link #infer(OnnxGraph, InputShapes)}.
 */
public final class GraphShapes {

    private final OnnxGraph graph;
    private final Map<String, long[]> inputShapes;
    private final Map<String, TensorValue> tensors;
    private final long[] flops;

    GraphShapes(OnnxGraph graph, Map<String, long[]> inputShapes, Map<String, TensorValue> tensors, long[] flops) {
        this.graph = graph;
        this.inputShapes = Collections.unmodifiableMap(inputShapes);
        this.tensors = tensors;
        this.flops = flops;
    }

    /**
     * Infers every tensor's shape for the given input binding; throws an {@link OnnxImportException} naming the
     * model, node and tensor when a shape cannot be inferred (unsupported operator, mismatched dims, a shape that
     * depends on data that is not known).
     */
    public static GraphShapes infer(OnnxGraph graph, InputShapes shapes) {
        return new ShapeInference(graph, shapes.resolve(graph)).run();
    }

    public OnnxGraph graph() {
        return graph;
    }

    /** The concrete shape of every graph input used. */
    public Map<String, long[]> inputShapes() {
        return inputShapes;
    }

    public boolean has(String tensor) {
        return tensors.containsKey(tensor);
    }

    public long[] shape(String tensor) {
        return get(tensor).shape.clone();
    }

    public int dataType(String tensor) {
        return get(tensor).dataType;
    }

    /** Bytes of the tensor: elements times element size. */
    public long bytes(String tensor) {
        return get(tensor).bytes();
    }

    /** Estimated floating-point (or integer) operations of a node; 0 for pure data movement. */
    public long flops(int node) {
        return flops[node];
    }

    public long totalFlops() {
        long sum = 0;
        for (long f : flops) {
            sum += f;
        }
        return sum;
    }

    /** Bytes of all outputs of a node. */
    public long outputBytes(int node) {
        long sum = 0;
        for (String out : graph.node(node).outputs()) {
            if (!out.isEmpty() && tensors.containsKey(out)) {
                sum += bytes(out);
            }
        }
        return sum;
    }

    private TensorValue get(String tensor) {
        TensorValue v = tensors.get(tensor);
        if (v == null) {
            throw OnnxImportException.model(graph.name(), "no tensor named '" + tensor + "'");
        }
        return v;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GraphShapes[" + graph.name());
        inputShapes.forEach((k, v) -> sb.append(", ").append(k).append('=').append(Arrays.toString(v)));
        return sb.append(']').toString();
    }
}
