package org.layerlift.itest.serving;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.runtime.Outputs;
import org.layerlift.model.runtime.PlanRunner;
import org.layerlift.model.runtime.RandomInputs;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.Materializer;
import org.layerlift.model.surgery.ModelCutter;
import org.layerlift.model.surgery.Part;
import org.layerlift.model.surgery.Side;
import org.layerlift.model.surgery.UnitWeights;
import org.layerlift.model.surgery.Weights;
import org.layerlift.model.units.GraphUnit;
import org.layerlift.model.units.UnitGrouping;
import org.layerlift.protocol.Envelope;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;
import org.layerlift.protocol.TensorCodec;

/**
 * A test model as a client holds it: a stripped graph from testdata/models with seeded weights materialised next to
 * a copy, its dominator units, each unit's canonical bytes and address, a manifest, and a way to run queries with
 * some segments on the gateway (client parts in this JVM with ONNX Runtime) and entirely locally for reference.
 */
final class TestModel implements AutoCloseable {

    final String name;
    final byte[] graphBytes;
    final OnnxGraph graph;
    final GraphShapes shapes;
    final List<List<Integer>> groups;
    final List<GraphUnit> units;
    final UnitWeights layout;
    final List<byte[]> unitBytes = new ArrayList<>();
    final List<String> addresses = new ArrayList<>();
    private final ModelCutter cutter;
    private final ExternalDataWeights data;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final Map<Integer, OrtSession> localParts = new HashMap<>();
    private final Map<List<Segment>, CutPlan> cuts = new HashMap<>();

    TestModel(String name, Path work, long seed) throws IOException {
        this.name = name;
        Path source = Path.of(GatewayProcess.required("layerlift.testdata.models"), name + ".onnx");
        Path dir = Files.createDirectories(work.resolve(name + "-" + seed));
        Path model = dir.resolve(name + ".onnx");
        Files.copy(source, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Materializer.materialize(model, seed);
        this.graphBytes = Files.readAllBytes(model);
        this.graph = OnnxGraph.parse(graphBytes, name);
        this.shapes = GraphShapes.infer(graph, InputShapes.none());
        this.groups = UnitGrouping.dominatorGroups(graph);
        this.units = UnitGrouping.units(graph, shapes, groups);
        this.layout = UnitWeights.of(graph.proto(), groups);
        this.data = new ExternalDataWeights(model);
        for (int u = 0; u < units.size(); u++) {
            byte[] b = layout.unitBytes(u, data);
            unitBytes.add(b);
            addresses.add(b.length == 0 ? null : UnitWeights.sha256(b));
        }
        this.cutter = new ModelCutter(graph.proto(), name, shapes);
    }

    /** The manifest: units with their addresses and client times of a phone at 2.5 GFLOP/s (ten times slower than ONNX Runtime on one core here), so that offloading pays. */
    byte[] manifest(double bandwidthMbps, String strategy) {
        List<Messages.ManifestUnit> mu = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            GraphUnit g = units.get(u);
            mu.add(new Messages.ManifestUnit(g.name(), unitBytes.get(u).length, addresses.get(u),
                    Math.max(0.05, g.flops() / 1e9 * 400)));
        }
        Map<String, List<Long>> inputs = new LinkedHashMap<>();
        shapes.inputShapes().forEach((k, v) -> inputs.put(k, java.util.Arrays.stream(v).boxed().toList()));
        Messages.Manifest m = new Messages.Manifest(name, "dominator", inputs, bandwidthMbps, strategy, 0.1, mu);
        return Envelope.encode(Json.write(m), graphBytes);
    }

    long totalBytes() {
        return unitBytes.stream().mapToLong(b -> b.length).sum();
    }

    /** Seeded inputs for the model. */
    Map<String, OnnxTensor> inputs(long seed) throws OrtException {
        Map<String, Long> dims = new LinkedHashMap<>();
        shapes.inputShapes().forEach((input, shape) -> {
            for (int i = 0; i < shape.length; i++) {
                dims.put(input + ":" + i, shape[i]);
            }
        });
        return RandomInputs.create(env, graph.proto(), dims, seed);
    }

    /** The whole model run locally: the reference answer. */
    Map<String, double[]> local(Map<String, OnnxTensor> inputs) throws OrtException {
        CutPlan all = cut(List.of());
        try (PlanRunner.PlanResult r = PlanRunner.runOnce(env, all, data, inputs)) {
            Map<String, double[]> out = new LinkedHashMap<>();
            r.outputs().forEach((k, v) -> out.put(k, Outputs.values(v)));
            return out;
        }
    }

    synchronized CutPlan cut(List<Segment> segments) {
        return cuts.computeIfAbsent(List.copyOf(segments), s -> cutter.cut(groups, s));
    }

    /**
     * One query: client parts here, server parts through the gateway. Returns the outputs; throws with the gateway's
     * error when a hop is refused.
     */
    Map<String, double[]> offload(ProtocolClient client, String session, List<Segment> segments,
            Map<String, OnnxTensor> inputs) throws Exception {
        CutPlan plan = cut(segments);
        Map<String, OnnxTensorLike> map = new HashMap<>(inputs);
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            for (Part part : plan.parts()) {
                if (part.isEmpty()) {
                    continue;
                }
                if (part.side() == Side.CLIENT) {
                    OrtSession s = localPart(part);
                    Map<String, OnnxTensorLike> feed = new HashMap<>();
                    for (String in : part.inputs()) {
                        feed.put(in, map.get(in));
                    }
                    try (OrtSession.Result r = s.run(feed)) {
                        for (String out : part.outputs()) {
                            OnnxTensor c = Outputs.copy(env, (OnnxTensor) r.get(out).get());
                            owned.add(c);
                            map.put(out, c);
                        }
                    }
                } else {
                    List<TensorData> send = new ArrayList<>();
                    for (String in : part.inputs()) {
                        send.add(toData(in, (OnnxTensor) map.get(in)));
                    }
                    Segment g = part.units();
                    byte[] header = Json.write(new Messages.QueryHeader(session, g.first(), g.last()));
                    byte[] reply = client.request(ProtocolTopics.QUERY, Envelope.encode(header,
                            TensorCodec.encode(send)), 1).get(60, TimeUnit.SECONDS);
                    Messages.ErrorBody error = reply.length > 0 && reply[0] == '{' ? Json.error(reply) : null;
                    if (error != null) {
                        throw new HopRefused(error.code(), error.message());
                    }
                    Envelope e = Envelope.decode(reply);
                    for (TensorData t : TensorCodec.decode(e.body())) {
                        OnnxTensor c = fromData(t);
                        owned.add(c);
                        map.put(t.name(), c);
                    }
                }
            }
            Map<String, double[]> out = new LinkedHashMap<>();
            for (String o : plan.modelOutputs()) {
                out.put(o, Outputs.values((OnnxTensor) map.get(o)));
            }
            return out;
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    /** A hop the gateway refused, with its reason code. */
    static final class HopRefused extends Exception {
        final String code;

        HopRefused(String code, String message) {
            super(code + ": " + message);
            this.code = code;
        }
    }

    private synchronized OrtSession localPart(Part part) throws OrtException {
        int key = java.util.Objects.hash(part.units(), part.inputs(), part.outputs());
        OrtSession s = localParts.get(key);
        if (s == null) {
            ModelProto m = Weights.embed(part.graph(), data, part.toString());
            s = env.createSession(m.toByteArray(), new OrtSession.SessionOptions());
            localParts.put(key, s);
        }
        return s;
    }

    static TensorData toData(String name, OnnxTensor t) {
        ByteBuffer raw = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int type = switch (t.getInfo().type) {
            case FLOAT -> 1;
            case UINT8 -> 2;
            case INT8 -> 3;
            case INT16 -> 5;
            case INT32 -> 6;
            case INT64 -> 7;
            case BOOL -> 9;
            case DOUBLE -> 11;
            default -> throw new IllegalArgumentException("tensor type " + t.getInfo().type);
        };
        return new TensorData(name, type, t.getInfo().getShape(), raw);
    }

    OnnxTensor fromData(TensorData t) throws OrtException {
        OnnxJavaType type = switch (t.elementType()) {
            case 1 -> OnnxJavaType.FLOAT;
            case 2 -> OnnxJavaType.UINT8;
            case 3 -> OnnxJavaType.INT8;
            case 5 -> OnnxJavaType.INT16;
            case 6 -> OnnxJavaType.INT32;
            case 7 -> OnnxJavaType.INT64;
            case 9 -> OnnxJavaType.BOOL;
            case 11 -> OnnxJavaType.DOUBLE;
            default -> throw new IllegalArgumentException("element type " + t.elementType());
        };
        ByteBuffer direct = ByteBuffer.allocateDirect(t.byteSize()).order(ByteOrder.nativeOrder());
        direct.put(t.data().duplicate()).flip();
        return OnnxTensor.createTensor(env, direct, t.shape(), type);
    }

    /** Largest absolute difference between two output maps. */
    static double maxAbsDiff(Map<String, double[]> a, Map<String, double[]> b) {
        double worst = 0;
        for (Map.Entry<String, double[]> e : a.entrySet()) {
            double[] x = e.getValue();
            double[] y = b.get(e.getKey());
            if (y == null || y.length != x.length) {
                return Double.POSITIVE_INFINITY;
            }
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    @Override
    public void close() throws Exception {
        for (OrtSession s : localParts.values()) {
            s.close();
        }
        data.close();
    }
}
