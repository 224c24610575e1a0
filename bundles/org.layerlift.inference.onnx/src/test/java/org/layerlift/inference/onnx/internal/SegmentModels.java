package org.layerlift.inference.onnx.internal;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.layerlift.api.inference.SegmentExecutor;
import org.layerlift.api.inference.SegmentSpec;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.runtime.Outputs;
import org.layerlift.model.runtime.RandomInputs;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.Materializer;
import org.layerlift.model.surgery.ModelCutter;
import org.layerlift.model.surgery.Part;
import org.layerlift.model.surgery.Side;
import org.layerlift.model.units.UnitGrouping;

/**
 * The real models the executor tests cut: a stripped graph of testdata/models copied into target/test-work with
 * seeded weights materialised next to it, its dominator units (what the planners use) and a cutter with inferred
 * shapes. Plans run client parts here with plain ONNX Runtime and server parts through a {@link SegmentExecutor}.
 */
final class SegmentModels {

    static final long SEED = 20260101L;
    static final long HANG_GUARD_S = 120;

    /** One materialised model, cut by dominator units. */
    record Model(String name, Path file, ModelProto proto, ModelCutter cutter, List<List<Integer>> units) {

        CutPlan cut(List<Segment> segments) {
            return cutter.cut(units, segments);
        }

        /** Seeded inputs for the whole model, owned by the caller. */
        Map<String, OnnxTensor> inputs(long seed) throws OrtException {
            return RandomInputs.create(OrtEnvironment.getEnvironment(), proto, Map.of(), seed);
        }

        /** The full model's outputs on {@code inputs}, ORT reading the external data itself; owned by the caller. */
        Map<String, OnnxTensor> expected(Map<String, OnnxTensor> inputs) throws OrtException {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            Map<String, OnnxTensor> out = new LinkedHashMap<>();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                    OrtSession full = env.createSession(file.toString(), options);
                    OrtSession.Result r = full.run(inputs)) {
                for (String name : cutter.modelOutputs()) {
                    out.put(name, Outputs.copy(env, (OnnxTensor) r.get(name).orElseThrow()));
                }
            }
            return out;
        }

        /** The spec of a server part: its graph as cut (weights external) and its weights read from the file. */
        SegmentSpec spec(String key, Part part) {
            return new SegmentSpec(key, part.graph().toByteArray(), part.externalBytes(), () -> weights(part));
        }

        /** Every external tensor of the part, read from the model's data file. */
        Map<String, ByteBuffer> weights(Part part) throws IOException {
            Map<String, ByteBuffer> out = new HashMap<>();
            try (ExternalDataWeights source = new ExternalDataWeights(file)) {
                for (TensorProto t : externalTensors(part.graph())) {
                    out.put(t.getName(), source.bytes(t).asReadOnlyByteBuffer());
                }
            }
            return out;
        }
    }

    private SegmentModels() {}

    static Path work() {
        return Path.of(System.getProperty("layerlift.test.work", "target/test-work")).toAbsolutePath().normalize();
    }

    static Path testdata() {
        return Path.of(System.getProperty("layerlift.testdata.models", "../../testdata/models")).toAbsolutePath()
                .normalize();
    }

    private static final Map<String, Model> LOADED = new HashMap<>();

    /** The model, materialised once per test run. */
    static synchronized Model model(String name) {
        return LOADED.computeIfAbsent(name, SegmentModels::load);
    }

    private static Model load(String name) {
        try {
            Path dir = work().resolve("models");
            Files.createDirectories(dir);
            Path copy = dir.resolve(name + ".onnx");
            Files.copy(testdata().resolve(name + ".onnx"), copy, StandardCopyOption.REPLACE_EXISTING);
            Materializer.materialize(copy, SEED);
            ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(copy));
            OnnxGraph graph = OnnxGraph.of(proto, copy.getFileName().toString());
            GraphShapes shapes = GraphShapes.infer(graph, InputShapes.none());
            List<List<Integer>> units = UnitGrouping.dominatorGroups(graph);
            return new Model(name, copy, proto, new ModelCutter(proto, copy.getFileName().toString(), shapes), units);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<TensorProto> externalTensors(ModelProto m) {
        List<TensorProto> out = new ArrayList<>();
        for (TensorProto t : m.getGraph().getInitializerList()) {
            if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                out.add(t);
            }
        }
        for (NodeProto n : m.getGraph().getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasT() && a.getT().getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                    out.add(a.getT());
                }
            }
        }
        return out;
    }

    /** The key a plan's server part is prepared under. */
    static String key(String prefix, Part part) {
        return prefix + part.units().first() + "-" + part.units().last();
    }

    /** Prepares every server part of {@code plan} under {@code prefix}. */
    static void prepare(SegmentExecutor executor, Model model, CutPlan plan, String prefix) throws Exception {
        for (Part p : plan.serverParts()) {
            if (!p.isEmpty()) {
                executor.prepare(model.spec(key(prefix, p), p));
            }
        }
    }

    /**
     * Runs {@code plan} over {@code inputs}: client parts with plain ORT (weights embedded from the file), server
     * parts through {@code executor} (prepared under {@code prefix}). Returns the model outputs, owned by the caller.
     */
    static Map<String, OnnxTensor> run(SegmentExecutor executor, Model model, CutPlan plan, String prefix,
            Map<String, OnnxTensor> inputs) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> values = new HashMap<>(inputs);
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            for (Part part : plan.parts()) {
                if (part.isEmpty()) {
                    continue;
                }
                if (part.side() == Side.CLIENT) {
                    runClient(env, model, part, values, owned);
                } else {
                    List<TensorData> in = new ArrayList<>();
                    for (String name : part.inputs()) {
                        in.add(TensorConversion.fromOnnx(name, values.get(name)));
                    }
                    List<TensorData> out = executor.run(key(prefix, part), in).toCompletableFuture()
                            .get(HANG_GUARD_S, TimeUnit.SECONDS);
                    for (TensorData t : out) {
                        OnnxTensor x = TensorConversion.toOnnx(env, t);
                        owned.add(x);
                        values.put(t.name(), x);
                    }
                }
            }
            Map<String, OnnxTensor> outputs = new LinkedHashMap<>();
            for (String name : plan.modelOutputs()) {
                OnnxTensor x = Outputs.copy(env, values.get(name));
                outputs.put(name, x);
            }
            return outputs;
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    private static void runClient(OrtEnvironment env, Model model, Part part, Map<String, OnnxTensor> values,
            List<OnnxTensor> owned) throws Exception {
        byte[] bytes;
        try (ExternalDataWeights w = new ExternalDataWeights(model.file())) {
            bytes = part.model(w).toByteArray();
        }
        Map<String, OnnxTensor> feed = new HashMap<>();
        for (String name : part.inputs()) {
            feed.put(name, values.get(name));
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession s = env.createSession(bytes, options);
                OrtSession.Result r = s.run(feed)) {
            for (String name : part.outputs()) {
                OnnxTensor x = Outputs.copy(env, (OnnxTensor) r.get(name).orElseThrow());
                owned.add(x);
                values.put(name, x);
            }
        }
    }

    static void closeAll(Map<String, OnnxTensor> tensors) {
        tensors.values().forEach(OnnxTensor::close);
    }
}
