package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.layerlift.api.inference.ExecutorStats;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.runtime.Outputs;
import org.layerlift.model.surgery.CutPlan;

/** 8 threads run a two-segment plan on their own inputs at once through one executor: every result is right. */
class ConcurrentRunsTest {

    static final int THREADS = 8;
    static final int RUNS_PER_THREAD = 3;

    @Test
    void eightThreadsGetTheirOwnRightAnswers() {
        assertTimeoutPreemptively(Duration.ofSeconds(SegmentModels.HANG_GUARD_S * 2), () -> {
            SegmentModels.Model model = SegmentModels.model("squeezenet1_1");
            int n = model.units().size();
            CutPlan plan = model.cut(List.of(new Segment(0, n / 3), new Segment(n / 2, n - 1)));
            // queue large enough for every thread's run: this test is about correctness, not refusal
            ExecutorSettings settings = ExecutorSettings.defaults().withWorkers(2).withQueue(THREADS);
            ExecutorService clients = Executors.newFixedThreadPool(THREADS);
            try (SegmentRuntime executor = new SegmentRuntime(settings)) {
                SegmentModels.prepare(executor, model, plan, "sq/");
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Double>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    long seed = 100 + t;
                    Callable<Double> client = () -> {
                        double worst = 0;
                        start.await();
                        for (int r = 0; r < RUNS_PER_THREAD; r++) {
                            Map<String, OnnxTensor> inputs = model.inputs(seed * 31 + r);
                            Map<String, OnnxTensor> expected = model.expected(inputs);
                            Map<String, OnnxTensor> actual = SegmentModels.run(executor, model, plan, "sq/", inputs);
                            try {
                                worst = Math.max(worst, Outputs.compare(expected, actual).maxAbs());
                            } finally {
                                SegmentModels.closeAll(inputs);
                                SegmentModels.closeAll(expected);
                                SegmentModels.closeAll(actual);
                            }
                        }
                        return worst;
                    };
                    results.add(clients.submit(client));
                }
                start.countDown();
                for (Future<Double> f : results) {
                    double worst = f.get();
                    assertTrue(worst <= 1e-4, "max abs " + worst);
                }
                ExecutorStats s = executor.stats();
                assertEquals(THREADS * RUNS_PER_THREAD * 2, s.completedRuns());
                assertEquals(0, s.failedRuns());
                assertEquals(2, s.builds(), "both sessions stayed cached and were shared");
                assertEquals(0, s.running());
            } finally {
                clients.shutdownNow();
            }
        });
    }
}
