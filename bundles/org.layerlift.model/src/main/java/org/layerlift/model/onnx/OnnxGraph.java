package org.layerlift.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * An ONNX model as an operator DAG: nodes in file order with their topological order, the graph inputs (initializers
 * left out), outputs and stored tensors, and each node's weight bytes. Nothing here reads tensor bytes: sizes come
 * from dims and element types, so models whose weights are external (even absent) import the same.
 *
 * <p>Refused with an {@link OnnxImportException} naming the file, node or tensor: a file that is not a ModelProto
 * (or is truncated), a default-domain opset outside {@value #MIN_OPSET}..{@value #MAX_OPSET}, control flow
 * ({@code If}/{@code Loop}/{@code Scan}, or any node with a subgraph attribute), a tensor produced twice, an input
 * that nothing produces, and a cycle.
 */
public final class OnnxGraph {

    public static final int MIN_OPSET = 7;
    public static final int MAX_OPSET = 21;

    private final String name;
    private final ModelProto proto;
    private final int opset;
    private final List<OnnxNode> nodes;
    private final int[] order;
    private final int[] position;
    private final List<ValueInfoProto> inputs;
    private final List<String> outputs;
    private final Map<String, TensorInfo> initializers;
    private final Map<String, TensorProto> storedTensors;
    private final Map<String, Integer> producers;
    private final Map<String, List<Integer>> consumers;
    private final boolean[] free;

    private OnnxGraph(Builder b) {
        this.name = b.name;
        this.proto = b.proto;
        this.opset = b.opset;
        this.nodes = List.copyOf(b.nodes);
        this.order = b.order;
        this.position = new int[order.length];
        for (int p = 0; p < order.length; p++) {
            position[order[p]] = p;
        }
        this.inputs = List.copyOf(b.inputs);
        this.outputs = List.copyOf(b.outputs);
        this.initializers = Collections.unmodifiableMap(b.initializers);
        this.storedTensors = Collections.unmodifiableMap(b.storedTensors);
        this.producers = Collections.unmodifiableMap(b.producers);
        Map<String, List<Integer>> cons = new HashMap<>();
        b.consumers.forEach((k, v) -> cons.put(k, List.copyOf(v)));
        this.consumers = Collections.unmodifiableMap(cons);
        this.free = b.free;
    }

    /** Reads and imports a .onnx file; errors name the file. */
    public static OnnxGraph load(Path file) {
        String fileName = file.getFileName().toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new OnnxImportException("ONNX model '" + file + "': no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX model " + file, e);
        }
        return parse(bytes, fileName);
    }

    /** Imports a serialized ModelProto; {@code name} (e.g. the file name) names the model in errors. */
    public static OnnxGraph parse(byte[] bytes, String name) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw OnnxImportException.model(name, "not an ONNX model, or truncated (" + bytes.length
                    + " bytes): cannot parse a ModelProto: " + e.getMessage());
        }
        return of(model, name);
    }

    /** Imports a ModelProto held in memory; {@code name} names it in errors. */
    public static OnnxGraph of(ModelProto model, String name) {
        return new Builder(model, name).build();
    }

    public String name() {
        return name;
    }

    public ModelProto proto() {
        return proto;
    }

    /** Version of the default ONNX operator set the model imports. */
    public int opset() {
        return opset;
    }

    /** Nodes in file order: {@code nodes().get(i).index() == i}. */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    public OnnxNode node(int index) {
        return nodes.get(index);
    }

    public int size() {
        return nodes.size();
    }

    /** Node indices in topological order (file order wherever the file is already sorted). */
    public int[] topologicalOrder() {
        return order.clone();
    }

    /** Position of a node in {@link #topologicalOrder()}. */
    public int topologicalPosition(int node) {
        return position[node];
    }

    /** Graph inputs that are not initializers: what a caller feeds. */
    public List<ValueInfoProto> inputs() {
        return inputs;
    }

    public List<String> inputNames() {
        return inputs.stream().map(ValueInfoProto::getName).toList();
    }

    public List<String> outputs() {
        return outputs;
    }

    /** Initializers by name (dims and type only). */
    public Map<String, TensorInfo> initializers() {
        return initializers;
    }

    /** The stored tensor (initializer or {@code Constant} value) of that name, or {@code null}. */
    TensorProto storedTensor(String tensor) {
        return storedTensors.get(tensor);
    }

    /** Index of the node producing that tensor, or -1 for graph inputs, initializers and unknown names. */
    public int producer(String tensor) {
        Integer p = producers.get(tensor);
        return p == null ? -1 : p;
    }

    /** Indices of the nodes reading that tensor, in file order. */
    public List<Integer> consumers(String tensor) {
        return consumers.getOrDefault(tensor, List.of());
    }

    /**
     * A free node carries no activation: its inputs are all stored tensors or outputs of other free nodes
     * ({@code Constant}, {@code Identity} of a weight, {@code DequantizeLinear} of a weight), or it reads only
     * the shape of its input ({@code Shape}, {@code Size}). Free nodes join their consumer's partition unit and their
     * outputs never count as activations crossing a cut.
     */
    public boolean isFree(int node) {
        return free[node];
    }

    /** Whether a tensor carries an activation: a graph input or an output of a node that is not free. */
    public boolean isActivation(String tensor) {
        int p = producer(tensor);
        return p >= 0 ? !free[p] : inputNames().contains(tensor);
    }

    /** Sum of the weight bytes of all nodes: every stored tensor consumed, counted once. */
    public long weightBytes() {
        long sum = 0;
        for (OnnxNode n : nodes) {
            sum += n.weightBytes();
        }
        return sum;
    }

    /** A metadata property of the model, or {@code null}. */
    public String metadata(String key) {
        return proto.getMetadataPropsList().stream().filter(p -> p.getKey().equals(key)).map(p -> p.getValue())
                .findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return "OnnxGraph[" + name + ", opset " + opset + ", " + nodes.size() + " nodes]";
    }

    private static final class Builder {
        final ModelProto proto;
        final String name;
        int opset;
        final List<OnnxNode> nodes = new ArrayList<>();
        int[] order;
        final List<ValueInfoProto> inputs = new ArrayList<>();
        final List<String> outputs = new ArrayList<>();
        final Map<String, TensorInfo> initializers = new LinkedHashMap<>();
        final Map<String, TensorProto> storedTensors = new HashMap<>();
        final Map<String, Integer> producers = new HashMap<>();
        final Map<String, List<Integer>> consumers = new HashMap<>();
        boolean[] free;

        Builder(ModelProto proto, String name) {
            this.proto = proto;
            this.name = name;
        }

        OnnxGraph build() {
            if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
                throw OnnxImportException.model(name, "not an ONNX model, or truncated: it has no graph nodes"
                        + " (ir_version " + proto.getIrVersion() + ")");
            }
            if (proto.getIrVersion() <= 0) {
                throw OnnxImportException.model(name, "not an ONNX model: no ir_version");
            }
            opset = defaultOpset();
            GraphProto graph = proto.getGraph();
            for (TensorProto t : graph.getInitializerList()) {
                if (initializers.containsKey(t.getName())) {
                    throw OnnxImportException.model(name, "initializer '" + t.getName() + "' is stored twice");
                }
                initializers.put(t.getName(), info(t));
                storedTensors.put(t.getName(), t);
            }
            for (ValueInfoProto v : graph.getInputList()) {
                if (!initializers.containsKey(v.getName())) {
                    inputs.add(v);
                }
            }
            Set<String> inputNames = new HashSet<>();
            inputs.forEach(v -> inputNames.add(v.getName()));
            readNodes(graph);
            for (ValueInfoProto v : graph.getOutputList()) {
                String out = v.getName();
                if (!producers.containsKey(out) && !inputNames.contains(out) && !initializers.containsKey(out)) {
                    throw OnnxImportException.model(name, "graph output '" + out + "' is produced by no node");
                }
                outputs.add(out);
            }
            for (OnnxNode node : nodes) {
                for (String in : node.inputs()) {
                    if (!in.isEmpty() && !producers.containsKey(in) && !inputNames.contains(in)
                            && !initializers.containsKey(in)) {
                        throw OnnxImportException.node(name, node, "input tensor '" + in
                                + "' is produced by no node and is neither a graph input nor an initializer"
                                + " (truncated or inconsistent model?)");
                    }
                }
            }
            order = topologicalOrder();
            assignWeights(inputNames);
            return new OnnxGraph(this);
        }

        private int defaultOpset() {
            Integer version = null;
            for (OperatorSetIdProto o : proto.getOpsetImportList()) {
                if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                    version = (int) o.getVersion();
                }
            }
            if (version == null) {
                throw OnnxImportException.model(name, "imports no default (ai.onnx) operator set");
            }
            if (version < MIN_OPSET || version > MAX_OPSET) {
                throw OnnxImportException.model(name, "default-domain opset " + version + " is not supported (supported: "
                        + MIN_OPSET + " to " + MAX_OPSET + ")");
            }
            return version;
        }

        private void readNodes(GraphProto graph) {
            Set<String> names = new HashSet<>();
            List<NodeProto> protos = graph.getNodeList();
            for (NodeProto n : protos) {
                if (!n.getName().isEmpty()) {
                    names.add(n.getName());
                }
            }
            Set<String> used = new HashSet<>();
            for (int i = 0; i < protos.size(); i++) {
                NodeProto n = protos.get(i);
                String nodeName = n.getName();
                if (nodeName.isEmpty() || !used.add(nodeName)) {
                    String base = (n.getOpType().isEmpty() ? "node" : n.getOpType()) + "_" + i;
                    nodeName = base;
                    for (int k = 2; names.contains(nodeName) || used.contains(nodeName); k++) {
                        nodeName = base + "_" + k;
                    }
                    used.add(nodeName);
                }
                OnnxNode node = new OnnxNode(i, nodeName, n.getOpType(), n.getDomain(), n.getInputList(),
                        n.getOutputList(), 0, n);
                if (n.getOpType().isEmpty()) {
                    throw OnnxImportException.node(name, node, "has no op_type (truncated or corrupt model?)");
                }
                for (AttributeProto a : n.getAttributeList()) {
                    if (a.hasG() || a.getGraphsCount() > 0) {
                        throw OnnxImportException.node(name, node, "control flow is not supported: attribute '"
                                + a.getName() + "' holds a subgraph (If/Loop/Scan cannot be partitioned)");
                    }
                }
                if (n.getDomain().isEmpty() && (n.getOpType().equals("If") || n.getOpType().equals("Loop")
                        || n.getOpType().equals("Scan"))) {
                    throw OnnxImportException.node(name, node, "control flow is not supported (If/Loop/Scan cannot"
                            + " be partitioned)");
                }
                for (String out : n.getOutputList()) {
                    if (out.isEmpty()) {
                        continue;
                    }
                    Integer other = producers.put(out, i);
                    if (other != null) {
                        throw OnnxImportException.node(name, node, "output tensor '" + out
                                + "' is also produced by node '" + nodes.get(other).name() + "'");
                    }
                    if (initializers.containsKey(out)) {
                        throw OnnxImportException.node(name, node, "output tensor '" + out
                                + "' has the name of an initializer");
                    }
                }
                for (String in : n.getInputList()) {
                    if (!in.isEmpty()) {
                        List<Integer> list = consumers.computeIfAbsent(in, k -> new ArrayList<>());
                        if (list.isEmpty() || list.get(list.size() - 1) != i) {
                            list.add(i);
                        }
                    }
                }
                nodes.add(node);
            }
        }

        /** Kahn's algorithm, smallest file index first, so a sorted file keeps its order. */
        private int[] topologicalOrder() {
            int n = nodes.size();
            int[] pending = new int[n];
            for (OnnxNode node : nodes) {
                Set<Integer> parents = new HashSet<>();
                for (String in : node.inputs()) {
                    Integer p = producers.get(in);
                    if (p != null) {
                        parents.add(p);
                    }
                }
                pending[node.index()] = parents.size();
            }
            PriorityQueue<Integer> ready = new PriorityQueue<>();
            for (int i = 0; i < n; i++) {
                if (pending[i] == 0) {
                    ready.add(i);
                }
            }
            int[] result = new int[n];
            int count = 0;
            while (!ready.isEmpty()) {
                int i = ready.poll();
                result[count++] = i;
                Set<Integer> children = new HashSet<>();
                for (String out : nodes.get(i).outputs()) {
                    children.addAll(consumers.getOrDefault(out, List.of()));
                }
                for (int c : children) {
                    if (--pending[c] == 0) {
                        ready.add(c);
                    }
                }
            }
            if (count < n) {
                List<String> cycle = findCycle(pending);
                throw OnnxImportException.model(name, "the graph has a cycle through node '" + cycle.get(0) + "': "
                        + String.join(" -> ", cycle));
            }
            return result;
        }

        /** Walks back from a node that never became ready, through parents that never did, until a node repeats. */
        private List<String> findCycle(int[] pending) {
            int start = -1;
            for (int i = 0; i < pending.length && start < 0; i++) {
                if (pending[i] > 0) {
                    start = i;
                }
            }
            List<Integer> path = new ArrayList<>();
            Map<Integer, Integer> seen = new HashMap<>();
            int current = start;
            while (!seen.containsKey(current)) {
                seen.put(current, path.size());
                path.add(current);
                int next = -1;
                for (String in : nodes.get(current).inputs()) {
                    Integer p = producers.get(in);
                    if (p != null && pending[p] > 0) {
                        next = p;
                        break;
                    }
                }
                current = next;
            }
            List<Integer> loop = new ArrayList<>(path.subList(seen.get(current), path.size()));
            Collections.reverse(loop);
            List<String> names = new ArrayList<>();
            loop.forEach(i -> names.add(nodes.get(i).name()));
            names.add(names.get(0));
            return names;
        }

        /** Weights to the first consumer in topological order; free nodes marked on the way. */
        private void assignWeights(Set<String> inputNames) {
            free = new boolean[nodes.size()];
            Set<String> counted = new HashSet<>();
            Set<String> activations = new HashSet<>(inputNames);
            for (int i : order) {
                OnnxNode node = nodes.get(i);
                long bytes = 0;
                boolean readsActivation = false;
                for (String in : node.inputs()) {
                    if (in.isEmpty()) {
                        continue;
                    }
                    readsActivation |= activations.contains(in);
                    if (counted.contains(in)) {
                        continue;
                    }
                    TensorInfo stored = initializers.get(in);
                    Integer p = producers.get(in);
                    if (stored == null && p != null && nodes.get(p).opType().equals("Constant")
                            && nodes.get(p).domain().isEmpty()) {
                        stored = constantInfo(nodes.get(p), in);
                    }
                    if (stored != null) {
                        counted.add(in);
                        bytes = Math.addExact(bytes, stored.bytes());
                    }
                }
                String op = node.opType();
                boolean shapeOnly = node.domain().isEmpty() && (op.equals("Shape") || op.equals("Size"));
                free[i] = shapeOnly || !readsActivation;
                if (!free[i]) {
                    for (String out : node.outputs()) {
                        if (!out.isEmpty()) {
                            activations.add(out);
                        }
                    }
                }
                if (bytes != 0) {
                    nodes.set(i, new OnnxNode(i, node.name(), op, node.domain(), node.inputs(), node.outputs(), bytes,
                            node.proto()));
                }
            }
        }

        /** The value tensor of a Constant node (also recorded for constant folding). */
        private TensorInfo constantInfo(OnnxNode node, String output) {
            for (AttributeProto a : node.proto().getAttributeList()) {
                switch (a.getName()) {
                    case "value":
                        storedTensors.put(output, a.getT());
                        return info(a.getT()).renamed(output);
                    case "value_float":
                        return new TensorInfo(output, DataTypes.FLOAT, new long[0], false);
                    case "value_int":
                        return new TensorInfo(output, DataTypes.INT64, new long[0], false);
                    case "value_floats":
                        return new TensorInfo(output, DataTypes.FLOAT, new long[] {a.getFloatsCount()}, false);
                    case "value_ints":
                        return new TensorInfo(output, DataTypes.INT64, new long[] {a.getIntsCount()}, false);
                    case "sparse_value":
                        return new TensorInfo(output, a.getSparseTensor().getValues().getDataType(),
                                a.getSparseTensor().getDimsList().stream().mapToLong(Long::longValue).toArray(), false);
                    default:
                        break;
                }
            }
            return new TensorInfo(output, DataTypes.STRING, new long[0], false);
        }

        private TensorInfo info(TensorProto t) {
            long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            for (long d : dims) {
                if (d < 0) {
                    throw OnnxImportException.model(name, "stored tensor '" + t.getName() + "' has a negative dim: "
                            + t.getDimsList());
                }
            }
            if (t.getDataType() == 0) {
                throw OnnxImportException.model(name, "stored tensor '" + t.getName() + "' has no data type");
            }
            return new TensorInfo(t.getName(), t.getDataType(), dims,
                    t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
        }
    }
}
