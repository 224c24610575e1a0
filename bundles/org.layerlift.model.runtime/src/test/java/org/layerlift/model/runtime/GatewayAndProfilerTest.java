package org.layerlift.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.ModelCutter;
import org.layerlift.model.surgery.Part;
import org.layerlift.model.surgery.Tensors;
import org.layerlift.model.surgery.WeightSource;
import org.layerlift.model.surgery.Weights;

/** The gateway's view (graph + uploaded weights only), saved parts, and profiling. */
class GatewayAndProfilerTest {

    private static Map<String, OnnxTensor> reference(OrtEnvironment env, Path file, Map<String, OnnxTensor> inputs)
            throws Exception {
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        try (OrtSession s = env.createSession(file.toString(), new OrtSession.SessionOptions());
                OrtSession.Result r = s.run(inputs)) {
            for (var e : r) {
                out.put(e.getKey(), Outputs.copy(env, (OnnxTensor) e.getValue()));
            }
        }
        return out;
    }

    @Test
    void serverPartsBuiltFromTheGraphAndUploadedWeightsOnly(@TempDir Path dir) throws Exception {
        Path file = TestModels.materialized("resnet18");
        ModelProto model = TestModels.load(file);
        ModelCutter cutter = new ModelCutter(model, "resnet18.onnx");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = RandomInputs.create(env, model, Map.of(), 5);
        Map<String, OnnxTensor> expected = reference(env, file, inputs);
        List<List<Integer>> units = cutter.nodeUnits();
        try (ExternalDataWeights client = new ExternalDataWeights(file);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            for (List<Segment> segments : List.of(List.of(new Segment(0, 9)),
                    List.of(new Segment(5, 20), new Segment(30, units.size() - 1)))) {
                CutPlan plan = cutter.cut(units, segments);
                // the client uploads exactly the weights of the server units; the gateway has nothing else
                Map<String, ByteString> uploaded = new HashMap<>();
                for (Part p : plan.serverParts()) {
                    for (TensorProto t : p.graph().getGraph().getInitializerList()) {
                        if (Tensors.isExternal(t)) {
                            uploaded.put(t.getName(), client.bytes(t));
                        }
                    }
                }
                WeightSource gateway = WeightSource.of("uploaded weights", uploaded);
                try (PlanRunner runner = new PlanRunner(env, options, client, gateway, 0);
                        PlanRunner.PlanResult r = runner.run(plan, inputs)) {
                    Outputs.Difference d = Outputs.compare(expected, r.outputs());
                    assertTrue(d.maxAbs() <= 1e-4, segments + ": " + d);
                }
                // a server part saved with its own data file loads and gives the same outputs as embedded
                Part server = plan.serverParts().get(0);
                Path saved = dir.resolve("server" + segments.size() + ".onnx");
                Path data = server.save(saved, gateway);
                assertEquals(server.externalBytes(), Files.size(data) - padding(server),
                        "the data file holds the part's weights");
                // the empty plan: the whole model as one client part
                try (PlanRunner.PlanResult all = PlanRunner.runOnce(env, cutter.cut(units, List.of()), client,
                        inputs)) {
                    // inputs of the server part: the model input, or run the client prefix to get them
                    CutPlan prefix = cutter.cut(units, segments);
                    try (OrtSession s1 = env.createSession(saved.toString(), options);
                            OrtSession s2 = env.createSession(server.model(gateway).toByteArray(), options)) {
                        Map<String, OnnxTensor> partInputs = partInputs(env, prefix, server, client, inputs);
                        try (OrtSession.Result a = s1.run(partInputs); OrtSession.Result b = s2.run(partInputs)) {
                            Map<String, OnnxTensor> x = new LinkedHashMap<>();
                            Map<String, OnnxTensor> y = new LinkedHashMap<>();
                            for (String out : server.outputs()) {
                                x.put(out, (OnnxTensor) a.get(out).orElseThrow());
                                y.put(out, (OnnxTensor) b.get(out).orElseThrow());
                            }
                            assertEquals(0.0, Outputs.compare(y, x).maxAbs());
                        }
                        partInputs.values().forEach(OnnxTensor::close);
                    }
                    assertTrue(Outputs.compare(expected, all.outputs()).maxAbs() <= 1e-4);
                }
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
            expected.values().forEach(OnnxTensor::close);
        }
    }

    private static long padding(Part part) {
        long offset = 0;
        long padding = 0;
        for (TensorProto t : part.graph().getGraph().getInitializerList()) {
            if (Tensors.isExternal(t)) {
                long aligned = (offset + 63) / 64 * 64;
                padding += aligned - offset;
                offset = aligned + Tensors.byteLength(t);
            }
        }
        return padding;
    }

    /** The tensors {@code part} reads, computed by running the parts before it. */
    private static Map<String, OnnxTensor> partInputs(OrtEnvironment env, CutPlan plan, Part part,
            WeightSource weights, Map<String, OnnxTensor> inputs) throws Exception {
        Map<String, OnnxTensor> map = new HashMap<>();
        for (var e : inputs.entrySet()) {
            map.put(e.getKey(), Outputs.copy(env, e.getValue()));
        }
        for (Part p : plan.parts()) {
            if (p.index() == part.index()) {
                break;
            }
            try (OrtSession s = env.createSession(p.model(weights).toByteArray(), new OrtSession.SessionOptions())) {
                Map<String, OnnxTensor> feed = new HashMap<>();
                p.inputs().forEach(i -> feed.put(i, map.get(i)));
                try (OrtSession.Result r = s.run(feed)) {
                    for (String out : p.outputs()) {
                        map.put(out, Outputs.copy(env, (OnnxTensor) r.get(out).orElseThrow()));
                    }
                }
            }
        }
        Map<String, OnnxTensor> out = new HashMap<>();
        for (var e : map.entrySet()) {
            if (part.inputs().contains(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            } else {
                e.getValue().close();
            }
        }
        return out;
    }

    @Test
    void profilesNodesUnitsPartsAndLoads() throws Exception {
        Path file = TestModels.materialized("resnet18");
        ModelProto model = TestModels.load(file);
        ModelCutter cutter = new ModelCutter(model, "resnet18.onnx");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = RandomInputs.create(env, model, Map.of(), 5);
        try (ExternalDataWeights weights = new ExternalDataWeights(file)) {
            ModelProto embedded = Weights.embed(model, weights, "resnet18.onnx");
            OrtProfiler.Settings settings = new OrtProfiler.Settings(1, 3, 1,
                    OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            NodeProfile profile = OrtProfiler.profile(env, embedded, inputs, settings);
            assertEquals(model.getGraph().getNodeCount(), profile.nodeMs().length);
            for (int i = 0; i < model.getGraph().getNodeCount(); i++) {
                if (model.getGraph().getNode(i).getOpType().equals("Conv")) {
                    assertTrue(profile.nodeMs()[i] > 0, "conv " + i + " has a time");
                }
            }
            double attributed = profile.attributedMs() + profile.unattributedTotalMs();
            assertTrue(attributed > 0.3 * profile.runMs() && attributed <= 1.05 * profile.runMs(),
                    attributed + " of " + profile.runMs() + " ms attributed");
            List<List<Integer>> units = TestModels.coarse(cutter.nodeUnits(), 6, 3);
            double[] perUnit = profile.perUnit(units);
            assertEquals(units.size(), perUnit.length);
            assertEquals(profile.attributedMs() - constantMs(cutter, profile),
                    java.util.Arrays.stream(perUnit).sum(), 1e-9);
            assertTrue(profile.loadMs() > 0);
            System.out.printf("profile resnet18: run %.1f ms (median of %d), nodes %.1f ms, ORT-made kernels %.1f ms,"
                    + " load %.1f ms%n", profile.runMs(), profile.runs(), profile.attributedMs(),
                    profile.unattributedTotalMs(), profile.loadMs());

            CutPlan plan = cutter.cut(units, List.of(new Segment(2, 4)));
            List<OrtProfiler.PartTiming> parts = OrtProfiler.timeParts(env, plan, weights, inputs, settings);
            assertEquals(plan.parts().size(), parts.size());
            for (OrtProfiler.PartTiming t : parts) {
                assertTrue(t.loadMs() > 0 && t.runMs() > 0, t.toString());
                System.out.println("part timing " + t);
            }
            double load = OrtProfiler.loadMs(env, plan.serverParts().get(0).model(weights), settings, 3);
            assertTrue(load > 0);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Test
    void kernelsOfFusedNodesCountForTheNodeTheFusionStartedFrom() throws Exception {
        Map<String, Integer> index = Map.of("/16/Gemm", 16, "/17/Relu", 17, "/0/Conv", 0);
        Map<String, Integer> producers = Map.of("relu_out", 1);
        assertEquals(16, OrtProfiler.attribute("fused /16/Gemm", index, producers));
        assertEquals(16, OrtProfiler.attribute("fused /16/Gemm_token_3", index, producers));
        assertEquals(0, OrtProfiler.attribute("/0/Conv", index, producers));
        assertEquals(1, OrtProfiler.attribute("relu_out_nchwc", index, producers));
        assertEquals(null, OrtProfiler.attribute("fused /99/Gemm", index, producers));
        assertEquals(null, OrtProfiler.attribute("ReorderOutput_token_16", index, producers));

        // AlexNet under ORT's full optimisation: fc6 and fc7 are Gemm+Relu fused ("fused /16/Gemm"), the largest
        // kernels of the model; they must have their time, and little may stay unattributed (layout reorders)
        Path file = TestModels.materialized("bvlc_alexnet");
        ModelProto model = TestModels.load(file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = RandomInputs.create(env, model, Map.of(), 5);
        try (ExternalDataWeights weights = new ExternalDataWeights(file)) {
            NodeProfile p = OrtProfiler.profile(env, Weights.embed(model, weights, "bvlc_alexnet.onnx"), inputs,
                    new OrtProfiler.Settings(1, 2, 1, OrtSession.SessionOptions.OptLevel.ALL_OPT));
            int gemms = 0;
            for (int i = 0; i < model.getGraph().getNodeCount(); i++) {
                if (model.getGraph().getNode(i).getOpType().equals("Gemm")) {
                    assertTrue(p.nodeMs()[i] > 0, "Gemm " + i + " has a time: " + p.byName());
                    gemms++;
                }
            }
            assertEquals(3, gemms);
            assertTrue(p.unattributedTotalMs() < 0.1 * p.runMs(), "unattributed " + p.unattributedMs() + " of "
                    + p.runMs() + " ms");
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static double constantMs(ModelCutter cutter, NodeProfile profile) {
        double ms = 0;
        for (int i = 0; i < cutter.nodeCount(); i++) {
            if (cutter.isConstant(i)) {
                ms += profile.nodeMs()[i];
            }
        }
        return ms;
    }

    @Test
    void profilesARealModelWithUnnamedNodes() throws Exception {
        TestModels.Spec spec = TestModels.spec("ppocr_det");
        ModelProto model = TestModels.load(spec.file());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = RandomInputs.create(env, model, spec.dims(), 5);
        try {
            NodeProfile p = OrtProfiler.profile(env, model, inputs, OrtProfiler.Settings.of(1, 3));
            long timed = java.util.Arrays.stream(p.nodeMs()).filter(v -> v > 0).count();
            assertTrue(timed >= 50, timed + " nodes timed");
            assertEquals(p.nodeNames().size(), new java.util.HashSet<>(p.nodeNames()).size());
            System.out.printf("profile ppocr_det 1x3x320x320: run %.1f ms, %d nodes timed, load %.1f ms%n",
                    p.runMs(), timed, p.loadMs());
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }
}
