package org.layerlift.client.internal;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.layerlift.api.inference.TensorSpec;
import org.layerlift.api.partition.Segment;
import org.layerlift.client.ClientException;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.ModelCutter;
import org.layerlift.model.surgery.Tensors;
import org.layerlift.model.surgery.UnitWeights;
import org.layerlift.model.surgery.WeightSource;
import org.layerlift.model.units.GraphUnit;
import org.layerlift.model.units.UnitGrouping;

/**
 * A model as the client holds it: the graph with its weights stripped to external data (what the manifest carries),
 * the weight source (the model's own external data files, and the embedded weights taken out of the graph), the
 * units of the gateway's grouping, each unit's size and content address, and the cutter for local and offloaded runs.
 * Unit bytes are read again when uploaded, not kept.
 */
final class ClientModel implements AutoCloseable {

    /** Embedded tensors at least this large leave the graph and travel as unit weights (ONNX's own threshold). */
    static final int STRIP_THRESHOLD = 1024;
    /** The external-data location of stripped tensors: never a file, the client answers from memory. */
    static final String STRIPPED_LOCATION = "layerlift-embedded.weights";

    final Path file;
    final String name;
    final String granularity;
    final ModelProto stripped;
    final byte[] graphBytes;
    final OnnxGraph graph;
    final GraphShapes shapes;
    final List<List<Integer>> groups;
    final List<GraphUnit> units;
    final UnitWeights layout;
    final List<String> addresses = new ArrayList<>();
    final List<TensorSpec> inputs;
    final List<String> outputs;
    final WeightSource weights;
    private final ExternalDataWeights external;
    private final ModelCutter cutter;
    private final Map<List<Segment>, CutPlan> cuts = new HashMap<>();

    private ClientModel(Path file, String granularity) throws ClientException, IOException {
        this.file = file;
        this.granularity = granularity;
        String fileName = file.getFileName().toString();
        this.name = fileName.endsWith(".onnx") ? fileName.substring(0, fileName.length() - 5) : fileName;
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ClientException("bad_model", "model file " + file + " does not exist");
        } catch (InvalidProtocolBufferException e) {
            throw new ClientException("bad_model", "model file " + file + " is not an ONNX model (" + e.getMessage()
                    + ")");
        }
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new ClientException("bad_model", "model file " + file + " is not an ONNX model: no graph nodes");
        }
        Map<String, ByteString> taken = new HashMap<>();
        this.stripped = strip(proto, taken);
        this.graphBytes = stripped.toByteArray();
        try {
            this.graph = OnnxGraph.of(stripped, name);
            this.shapes = GraphShapes.infer(graph, InputShapes.none());
        } catch (RuntimeException e) {
            throw new ClientException("bad_model", "model " + file + ": " + e.getMessage(), e);
        }
        this.groups = granularity.equals("node") ? UnitGrouping.nodeGroups(graph) : UnitGrouping.dominatorGroups(graph);
        this.units = UnitGrouping.units(graph, shapes, groups);
        this.layout = UnitWeights.of(stripped, groups);
        this.external = new ExternalDataWeights(file);
        WeightSource memory = WeightSource.of("weights embedded in " + file, taken);
        this.weights = new WeightSource() {
            @Override
            public ByteString bytes(TensorProto tensor) throws IOException {
                ByteString b = memory.bytes(tensor);
                return b != null ? b : external.bytes(tensor);
            }

            @Override
            public String describe() {
                return "weights of " + file;
            }
        };
        for (int u = 0; u < units.size(); u++) {
            byte[] b = unitBytes(u);
            addresses.add(b.length == 0 ? null : UnitWeights.sha256(b));
        }
        this.inputs = inputSpecs();
        this.outputs = List.copyOf(graph.outputs());
        this.cutter = new ModelCutter(stripped, name, shapes);
    }

    /**
     * Loads a model: embedded or external weights.
     *
     * @throws ClientException {@code bad_model} when the file is absent, not ONNX, or its weights cannot be read
     */
    static ClientModel load(Path file, String granularity) throws ClientException {
        try {
            return new ClientModel(file, granularity);
        } catch (IOException | RuntimeException e) {
            throw new ClientException("bad_model", "model " + file + ": " + e.getMessage()
                    + " (weights must be embedded or in external data files next to the model)", e);
        }
    }

    /** A unit's canonical bytes, read afresh. */
    byte[] unitBytes(int unit) throws IOException {
        return layout.unitBytes(unit, weights);
    }

    synchronized CutPlan cut(List<Segment> segments) {
        return cuts.computeIfAbsent(List.copyOf(segments), s -> cutter.cut(groups, s));
    }

    long totalBytes() {
        long t = 0;
        for (int u = 0; u < units.size(); u++) {
            t += layout.bytes(u);
        }
        return t;
    }

    /** The graph with each embedded initializer of at least {@link #STRIP_THRESHOLD} bytes moved out to {@code taken}. */
    static ModelProto strip(ModelProto model, Map<String, ByteString> taken) {
        ModelProto.Builder m = model.toBuilder();
        GraphProto.Builder g = m.getGraphBuilder();
        long offset = 0;
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (Tensors.isExternal(t)) {
                continue;
            }
            ByteString raw = rawBytes(t);
            if (raw == null || raw.size() < STRIP_THRESHOLD) {
                continue;
            }
            taken.put(t.getName(), raw);
            TensorProto.Builder b = t.toBuilder().clearRawData().clearFloatData().clearDoubleData().clearInt32Data()
                    .clearInt64Data().clearUint64Data().clearExternalData()
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", STRIPPED_LOCATION))
                    .addExternalData(entry("offset", Long.toString(offset)))
                    .addExternalData(entry("length", Long.toString(raw.size())));
            g.setInitializer(i, b.build());
            offset += raw.size();
        }
        return m.build();
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** An embedded tensor's raw little-endian bytes, or null when its type is not stored as fixed-size numbers. */
    static ByteString rawBytes(TensorProto t) {
        if (t.hasRawData() || !t.getRawData().isEmpty()) {
            return t.getRawData();
        }
        int type = t.getDataType();
        if (type == TensorProto.DataType.FLOAT_VALUE && t.getFloatDataCount() > 0) {
            ByteBuffer b = ByteBuffer.allocate(4 * t.getFloatDataCount()).order(ByteOrder.LITTLE_ENDIAN);
            t.getFloatDataList().forEach(b::putFloat);
            return ByteString.copyFrom(b.array());
        }
        if (type == TensorProto.DataType.INT64_VALUE && t.getInt64DataCount() > 0) {
            ByteBuffer b = ByteBuffer.allocate(8 * t.getInt64DataCount()).order(ByteOrder.LITTLE_ENDIAN);
            t.getInt64DataList().forEach(b::putLong);
            return ByteString.copyFrom(b.array());
        }
        if (type == TensorProto.DataType.DOUBLE_VALUE && t.getDoubleDataCount() > 0) {
            ByteBuffer b = ByteBuffer.allocate(8 * t.getDoubleDataCount()).order(ByteOrder.LITTLE_ENDIAN);
            t.getDoubleDataList().forEach(b::putDouble);
            return ByteString.copyFrom(b.array());
        }
        if (type == TensorProto.DataType.INT32_VALUE && t.getInt32DataCount() > 0) {
            ByteBuffer b = ByteBuffer.allocate(4 * t.getInt32DataCount()).order(ByteOrder.LITTLE_ENDIAN);
            t.getInt32DataList().forEach(b::putInt);
            return ByteString.copyFrom(b.array());
        }
        return null;
    }

    private List<TensorSpec> inputSpecs() {
        List<TensorSpec> specs = new ArrayList<>();
        Map<String, ValueInfoProto> declared = new LinkedHashMap<>();
        for (ValueInfoProto v : graph.inputs()) {
            declared.put(v.getName(), v);
        }
        for (Map.Entry<String, long[]> e : shapes.inputShapes().entrySet()) {
            ValueInfoProto v = declared.get(e.getKey());
            int type = v == null ? TensorProto.DataType.FLOAT_VALUE : v.getType().getTensorType().getElemType();
            specs.add(new TensorSpec(e.getKey(), type, e.getValue()));
        }
        return List.copyOf(specs);
    }

    @Override
    public void close() throws IOException {
        external.close();
    }
}
