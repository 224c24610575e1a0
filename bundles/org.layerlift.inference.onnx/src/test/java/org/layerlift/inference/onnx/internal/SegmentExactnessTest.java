package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerlift.api.inference.ExecutorStats;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.runtime.Outputs;
import org.layerlift.model.surgery.CutPlan;

/**
 * Real models cut by dominator units into client and server parts: the server parts run through the executor (graph
 * as cut, weights as external initializers from the materialised data file), the client parts with plain ORT, and
 * the model outputs equal the full model's within 1e-4.
 */
class SegmentExactnessTest {

    static Stream<String> models() {
        return Stream.of("squeezenet1_1", "resnet18");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void serverSegmentsReproduceTheFullModel(String name) {
        assertTimeoutPreemptively(Duration.ofSeconds(SegmentModels.HANG_GUARD_S * 2), () -> check(name));
    }

    private static void check(String name) throws Exception {
        SegmentModels.Model model = SegmentModels.model(name);
        int n = model.units().size();
        assertTrue(n >= 6, name + " has only " + n + " dominator units");
        List<List<Segment>> plans = List.of(
                List.of(new Segment(n / 3, 2 * n / 3)), // one segment in the middle
                List.of(new Segment(1, n / 3), new Segment(n / 2, n - 2)), // two segments
                List.of(new Segment(0, n / 4), new Segment(n - 1, n - 1)), // both ends
                List.of(new Segment(0, n - 1))); // everything on the server
        Map<String, OnnxTensor> inputs = model.inputs(SegmentModels.SEED);
        Map<String, OnnxTensor> expected = model.expected(inputs);
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults())) {
            int prepared = 0;
            for (int i = 0; i < plans.size(); i++) {
                CutPlan plan = model.cut(plans.get(i));
                String prefix = name + "/plan" + i + "/";
                SegmentModels.prepare(executor, model, plan, prefix);
                prepared += plan.serverParts().size();
                Map<String, OnnxTensor> actual = SegmentModels.run(executor, model, plan, prefix, inputs);
                try {
                    Outputs.Difference d = Outputs.compare(expected, actual);
                    assertTrue(d.maxAbs() <= 1e-4, name + " plan " + plans.get(i) + ": " + d);
                    // the comparison means something only if the outputs vary
                    assertTrue(d.referenceStd() > 1e-3 * d.referenceMaxAbs(), name + " outputs are constant: " + d);
                    System.out.printf("executor exactness %-14s plan %-28s max abs %.3g%n", name, plans.get(i),
                            d.maxAbs());
                } finally {
                    SegmentModels.closeAll(actual);
                }
            }
            ExecutorStats s = executor.stats();
            assertEquals(prepared, s.segments());
            assertEquals(prepared, s.builds(), "every session was built once, at prepare");
            assertEquals(prepared, s.completedRuns());
            assertEquals(0, s.failedRuns());
        } finally {
            SegmentModels.closeAll(inputs);
            SegmentModels.closeAll(expected);
        }
    }
}
