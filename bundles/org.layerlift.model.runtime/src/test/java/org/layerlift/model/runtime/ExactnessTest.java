package org.layerlift.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.units.UnitGrouping;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.ModelCutter;
import org.layerlift.model.surgery.Part;
import org.layerlift.model.surgery.Side;

/**
 * For every test model: at least 20 seeded plans (node-level and coarse units; a segment at the very start, at the
 * very end, several segments, everything on the server), cut, run part by part through ONNX Runtime, give the full
 * model's outputs (run by ONNX Runtime from the original file, which reads the external data itself) within 1e-4
 * absolute (1e-3 relative to the output range for the int8 model) on seeded non-constant inputs.
 */
class ExactnessTest {

    static final int PLANS_PER_GRANULARITY = 10;
    /** Models with hundreds of MB of weights: ONNX Runtime reads each part's tensors from the data file itself. */
    static final java.util.Set<String> BIG = java.util.Set.of("vgg16", "bvlc_alexnet");

    static Stream<String> models() {
        return Stream.concat(TestModels.STRIPPED.stream(), Stream.of("ppocr_det", "minilm_q"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void cutPlansReproduceTheFullModel(String name) throws Exception {
        long t0 = System.nanoTime();
        TestModels.Spec spec = TestModels.spec(name);
        ModelProto model = TestModels.load(spec.file());
        ModelCutter cutter = new ModelCutter(model, spec.file().getFileName().toString());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = RandomInputs.create(env, model, spec.dims(), TestModels.SEED);
        Map<String, OnnxTensor> expected = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                ExternalDataWeights weights = new ExternalDataWeights(spec.file());
                PlanRunner runner = BIG.contains(name)
                        ? PlanRunner.readingExternalData(env, options, spec.file().getParent(), 64L << 20)
                        : new PlanRunner(env, options, weights, 64L << 20)) {
            try (OrtSession full = env.createSession(spec.file().toString(), options);
                    OrtSession.Result r = full.run(inputs)) {
                for (String out : cutter.modelOutputs()) {
                    expected.put(out, Outputs.copy(env, (OnnxTensor) r.get(out).orElseThrow()));
                }
            }
            List<List<Integer>> nodeUnits = cutter.nodeUnits();
            List<List<Integer>> coarse = TestModels.coarse(nodeUnits, Math.max(2, nodeUnits.size() / 12), 7);
            double worstAbs = 0;
            double worstRel = 0;
            Outputs.Difference reference = null;
            int plans = 0;
            int multiSegment = 0;
            for (List<List<Integer>> units : List.of(nodeUnits, coarse)) {
                for (List<Segment> segments : TestModels.plans(units.size(), PLANS_PER_GRANULARITY, 11)) {
                    CutPlan plan = cutter.cut(units, segments);
                    checkShape(plan, segments);
                    try (PlanRunner.PlanResult result = runner.run(plan, inputs)) {
                        Outputs.Difference d = Outputs.compare(expected, result.outputs());
                        String where = name + " plan " + segments + " over " + units.size() + " units";
                        assertTrue(d.maxRel() <= 1e-3, where + ": " + d);
                        if (!spec.int8()) {
                            assertTrue(d.maxAbs() <= 1e-4, where + ": " + d);
                        }
                        worstAbs = Math.max(worstAbs, d.maxAbs());
                        worstRel = Math.max(worstRel, d.maxRel());
                        reference = d;
                    }
                    plans++;
                    multiSegment += segments.size() >= 2 ? 1 : 0;
                }
            }
            assertTrue(plans >= 20 && multiSegment >= 3, plans + " plans, " + multiSegment + " with 2+ segments");
            // the comparison means something only if the outputs do vary
            assertTrue(reference.referenceStd() > 1e-3 * reference.referenceMaxAbs(),
                    name + " outputs are nearly constant: " + reference);
            System.out.printf("exactness %-14s %2d plans  max abs %.3g  max rel %.3g  output max|x| %.3g std %.3g"
                    + "  cached sessions %d  %.1f s%n", name, plans, worstAbs, worstRel, reference.referenceMaxAbs(),
                    reference.referenceStd(), runner.cachedSessions(), (System.nanoTime() - t0) / 1e9);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
            expected.values().forEach(OnnxTensor::close);
        }
    }

    static Stream<String> dominatorModels() {
        return Stream.of("resnet18", "googlenet", "inception_v3", "ppocr_det");
    }

    /**
     * The units the planners use ({@code UnitGrouping.dominatorGroups} of org.layerlift.model) cut as they are, with
     * the cut tensors' shapes from {@code GraphShapes}: every activation crossing a cut has a static shape, and the
     * parts still reproduce the full model. Six plans each: the first third, the last third, the first and last
     * unit, everything, two segments, the middle unit.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dominatorModels")
    void dominatorUnitsWithInferredShapes(String name) throws Exception {
        long t0 = System.nanoTime();
        TestModels.Spec spec = TestModels.spec(name);
        ModelProto model = TestModels.load(spec.file());
        String fileName = spec.file().getFileName().toString();
        OnnxGraph graph = OnnxGraph.of(model, fileName);
        GraphShapes shapes = GraphShapes.infer(graph, InputShapes.of(Map.of(), spec.dims()));
        List<List<Integer>> units = UnitGrouping.dominatorGroups(graph);
        ModelCutter cutter = new ModelCutter(model, fileName, shapes);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = RandomInputs.create(env, model, spec.dims(), TestModels.SEED);
        Map<String, OnnxTensor> expected = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                ExternalDataWeights weights = new ExternalDataWeights(spec.file());
                PlanRunner runner = new PlanRunner(env, options, weights, 0)) {
            try (OrtSession full = env.createSession(spec.file().toString(), options);
                    OrtSession.Result r = full.run(inputs)) {
                for (String out : cutter.modelOutputs()) {
                    expected.put(out, Outputs.copy(env, (OnnxTensor) r.get(out).orElseThrow()));
                }
            }
            double worstAbs = 0;
            int plans = 0;
            int shaped = 0;
            for (List<Segment> segments : TestModels.plans(units.size(), 6, 13)) {
                CutPlan plan = cutter.cut(units, segments);
                checkShape(plan, segments);
                for (Part p : plan.parts()) {
                    var g = p.graph().getGraph();
                    for (var v : concat(g.getInputList(), g.getOutputList())) {
                        if (cutter.modelInputs().contains(v.getName()) || cutter.modelOutputs().contains(v.getName())) {
                            continue;
                        }
                        var dims = v.getType().getTensorType().getShape().getDimList();
                        assertTrue(!dims.isEmpty() || shapes.shape(v.getName()).length == 0, v.toString());
                        for (int i = 0; i < dims.size(); i++) {
                            assertEquals(shapes.shape(v.getName())[i], dims.get(i).getDimValue(),
                                    name + " " + v.getName() + " dim " + i);
                        }
                        shaped++;
                    }
                }
                try (PlanRunner.PlanResult result = runner.run(plan, inputs)) {
                    Outputs.Difference d = Outputs.compare(expected, result.outputs());
                    String where = name + " plan " + segments + " over " + units.size() + " dominator units";
                    assertTrue(d.maxAbs() <= 1e-4 && d.maxRel() <= 1e-3, where + ": " + d);
                    worstAbs = Math.max(worstAbs, d.maxAbs());
                }
                plans++;
            }
            assertTrue(shaped > 0, name + ": no cut tensor");
            System.out.printf("dominator units %-14s %2d units %d plans, %d cut tensors shaped, max abs %.3g  %.1f s%n",
                    name, units.size(), plans, shaped, worstAbs, (System.nanoTime() - t0) / 1e9);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
            expected.values().forEach(OnnxTensor::close);
        }
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Parts alternate client and server runs, one server part per segment, covering every unit once. */
    private static void checkShape(CutPlan plan, List<Segment> segments) {
        List<Part> server = plan.serverParts();
        assertEquals(segments.size(), server.size());
        for (int i = 0; i < segments.size(); i++) {
            assertEquals(segments.get(i), server.get(i).units());
        }
        int next = 0;
        List<Side> sides = new ArrayList<>();
        for (Part p : plan.parts()) {
            assertEquals(next, p.units().first());
            next = p.units().last() + 1;
            sides.add(p.side());
        }
        assertEquals(plan.unitCount(), next);
        for (int i = 1; i < sides.size(); i++) {
            assertFalse(sides.get(i) == Side.CLIENT && sides.get(i - 1) == Side.CLIENT, "two client parts in a row");
        }
    }
}
