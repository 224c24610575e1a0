package org.layerlift.model.surgery;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.layerlift.api.partition.Segment;

/**
 * One self-contained part of a cut plan: a run of units on one side, as an ONNX model whose inputs are the tensors it
 * reads from outside and whose outputs are the tensors later parts (or the caller) need.
 */
public final class Part {

    private final String modelName;
    private final int index;
    private final Side side;
    private final int firstUnit;
    private final int lastUnit;
    private final List<Integer> ownNodes;
    private final List<Integer> nodes;
    private final List<String> inputs;
    private final List<String> outputs;
    private final ModelProto graph;
    private final List<String> externalTensors;
    private final long weightBytes;

    Part(String modelName, int index, Side side, int firstUnit, int lastUnit, List<Integer> ownNodes,
            List<Integer> nodes, List<String> inputs, List<String> outputs, ModelProto graph) {
        this.modelName = modelName;
        this.index = index;
        this.side = side;
        this.firstUnit = firstUnit;
        this.lastUnit = lastUnit;
        this.ownNodes = ownNodes;
        this.nodes = nodes;
        this.inputs = inputs;
        this.outputs = outputs;
        this.graph = graph;
        List<String> external = new ArrayList<>();
        long bytes = 0;
        for (TensorProto t : graph.getGraph().getInitializerList()) {
            if (Tensors.isExternal(t)) {
                external.add(t.getName());
                bytes += Math.max(0, Tensors.byteLength(t));
            }
        }
        for (NodeProto n : graph.getGraph().getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasT() && Tensors.isExternal(a.getT())) {
                    external.add(a.getT().getName());
                    bytes += Math.max(0, Tensors.byteLength(a.getT()));
                }
            }
        }
        this.externalTensors = List.copyOf(external);
        this.weightBytes = bytes;
    }

    /** Position in {@link CutPlan#parts()}. */
    public int index() {
        return index;
    }

    public Side side() {
        return side;
    }

    /** The units this part runs, first..last inclusive. */
    public Segment units() {
        return new Segment(firstUnit, lastUnit);
    }

    /** The nodes of this part's units that it computes (constant nodes excluded), as indices into graph.node. */
    public List<Integer> ownNodes() {
        return ownNodes;
    }

    /** Every node in the part model, constant nodes copied in included, as indices into graph.node. */
    public List<Integer> nodes() {
        return nodes;
    }

    /** The tensors this part reads from the tensor map: model inputs first, then activations of earlier parts. */
    public List<String> inputs() {
        return inputs;
    }

    /** The tensors this part writes to the tensor map. Empty: the part has nothing to run. */
    public List<String> outputs() {
        return outputs;
    }

    /** Whether there is nothing to run: the part computes nothing later parts or the caller need. */
    public boolean isEmpty() {
        return outputs.isEmpty();
    }

    /** The part's model with its weights as in the source graph (external references stay external). */
    public ModelProto graph() {
        return graph;
    }

    /** The names of the external weight tensors this part needs, in graph order. */
    public List<String> externalTensors() {
        return externalTensors;
    }

    /** The bytes of those tensors. */
    public long externalBytes() {
        return weightBytes;
    }

    /**
     * The part's model with every external tensor embedded (raw_data) from {@code weights}. Tensors already embedded
     * in the graph stay as they are. The bytes are shared, not copied.
     *
     * @throws MissingWeightException naming the tensor, part and source when the source lacks one
     */
    public ModelProto model(WeightSource weights) {
        return externalTensors.isEmpty() ? graph : Weights.embed(graph, weights, toString());
    }

    /**
     * Writes the part as {@code file} plus one external data file next to it ({@code <file name>.data}, each
     * tensor 64-byte aligned) holding exactly the weights this part needs, read from {@code weights}. Nothing is
     * written when a tensor is missing. Returns the data file, or null when the part needs no external weights.
     */
    public Path save(Path file, WeightSource weights) throws IOException {
        ModelProto embedded = model(weights); // fails before anything is written
        if (externalTensors.isEmpty()) {
            Files.write(file, embedded.toByteArray());
            return null;
        }
        String dataName = file.getFileName() + ".data";
        Path data = file.resolveSibling(dataName);
        ModelProto.Builder m = embedded.toBuilder();
        GraphProto.Builder g = m.getGraphBuilder();
        try (FileChannel out = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long offset = 0;
            for (int i = 0; i < g.getInitializerCount(); i++) {
                TensorProto t = g.getInitializer(i);
                if (!externalTensors.contains(t.getName())) {
                    continue;
                }
                offset = (offset + 63) / 64 * 64;
                ByteBuffer buffer = t.getRawData().asReadOnlyByteBuffer();
                long at = offset;
                while (buffer.hasRemaining()) {
                    at += out.write(buffer, at);
                }
                g.setInitializer(i, t.toBuilder().clearRawData()
                        .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                        .addExternalData(entry("location", dataName))
                        .addExternalData(entry("offset", Long.toString(offset)))
                        .addExternalData(entry("length", Long.toString(t.getRawData().size()))));
                offset = at;
            }
        }
        try (OutputStream os = Files.newOutputStream(file)) {
            m.build().writeTo(os);
        }
        return data;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    @Override
    public String toString() {
        return "model " + modelName + ", part " + index + " (" + side.name().toLowerCase() + ", units " + firstUnit
                + ".." + lastUnit + ")";
    }
}
