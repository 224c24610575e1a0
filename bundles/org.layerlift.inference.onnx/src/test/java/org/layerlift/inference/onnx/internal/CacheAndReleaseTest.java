package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.layerlift.api.inference.ExecutorStats;
import org.layerlift.api.inference.SegmentException;
import org.layerlift.api.inference.SegmentException.Reason;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.runtime.Outputs;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.Part;

/** A cache too small for all segments evicts and rebuilds them, still exact; release forgets and closes by prefix. */
class CacheAndReleaseTest {

    static final Duration GUARD = Duration.ofSeconds(SegmentModels.HANG_GUARD_S * 2);

    @Test
    void aTinyCacheEvictsAndRebuilds() {
        assertTimeoutPreemptively(GUARD, () -> {
            SegmentModels.Model model = SegmentModels.model("squeezenet1_1");
            int n = model.units().size();
            CutPlan plan = model.cut(List.of(new Segment(1, n / 3), new Segment(n / 2, n - 2)));
            List<Part> server = plan.serverParts();
            long biggest = Math.max(server.get(0).externalBytes(), server.get(1).externalBytes());
            long total = server.get(0).externalBytes() + server.get(1).externalBytes();
            assertTrue(biggest < total, "both segments carry weights");
            Map<String, OnnxTensor> inputs = model.inputs(7);
            Map<String, OnnxTensor> expected = model.expected(inputs);
            // room for the bigger segment alone: every run of the plan evicts the other one
            try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults().withCacheBytes(biggest))) {
                SegmentModels.prepare(executor, model, plan, "sq/");
                ExecutorStats s = executor.stats();
                assertEquals(2, s.segments());
                assertEquals(1, s.cachedSessions(), "the first was evicted by the second");
                assertEquals(2, s.builds());
                assertTrue(s.cachedBytes() <= biggest);
                for (int round = 0; round < 2; round++) {
                    Map<String, OnnxTensor> actual = SegmentModels.run(executor, model, plan, "sq/", inputs);
                    try {
                        assertTrue(Outputs.compare(expected, actual).maxAbs() <= 1e-4);
                    } finally {
                        SegmentModels.closeAll(actual);
                    }
                }
                s = executor.stats();
                assertEquals(6, s.builds(), "each of the 4 runs rebuilt its evicted segment");
                assertEquals(1, s.cachedSessions());
                assertEquals(biggest, s.cacheLimit());

            } finally {
                SegmentModels.closeAll(inputs);
                SegmentModels.closeAll(expected);
            }
        });
    }

    @Test
    void aCachedSegmentRunsWithoutRebuilding() throws Exception {
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults())) {
            executor.prepare(TinyGraphs.matmulChain("c", 8, 3, 1));
            for (int i = 0; i < 5; i++) {
                TensorData x = OverloadAndTimeoutTest.floats("x", new long[] {1, 8}, i);
                assertEquals(x.data(), executor.run("c", List.of(x)).toCompletableFuture()
                        .get(SegmentModels.HANG_GUARD_S, TimeUnit.SECONDS).get(0).data());
            }
            assertEquals(1, executor.stats().builds());
            assertEquals(1, executor.stats().cachedSessions());
            assertEquals(4 * 8 * 8, executor.stats().cachedBytes());
        }
    }

    @Test
    void releaseForgetsAndClosesByPrefix() throws Exception {
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults())) {
            executor.prepare(TinyGraphs.matmulChain("m1/0-3", 8, 2, 1));
            executor.prepare(TinyGraphs.matmulChain("m1/5-7", 8, 2, 1));
            executor.prepare(TinyGraphs.matmulChain("m2/0-1", 8, 2, 1));
            assertEquals(3, executor.stats().cachedSessions());
            executor.release("m1/");
            assertFalse(executor.isPrepared("m1/0-3"));
            assertFalse(executor.isPrepared("m1/5-7"));
            assertTrue(executor.isPrepared("m2/0-1"));
            ExecutorStats s = executor.stats();
            assertEquals(1, s.segments());
            assertEquals(1, s.cachedSessions(), "the released segments' sessions are gone");
            assertEquals(4 * 8 * 8, s.cachedBytes());
            TensorData x = OverloadAndTimeoutTest.floats("x", new long[] {1, 8}, 1);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> executor.run("m1/0-3", List.of(x)).toCompletableFuture().get());
            assertEquals(Reason.UNKNOWN_SEGMENT, ((SegmentException) e.getCause()).reason());
            assertEquals(x.data(), executor.run("m2/0-1", List.of(x)).toCompletableFuture().get().get(0).data());
            executor.release("");
            assertEquals(0, executor.stats().segments());
            assertEquals(0, executor.stats().cachedSessions());
        }
    }

    @Test
    void prepareReplacesASegmentUnderTheSameKey() throws Exception {
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults())) {
            executor.prepare(TinyGraphs.identity("k", 1, 2));
            assertEquals(2L, executor.inputs("k").get(0).shape()[0]);
            executor.prepare(TinyGraphs.identity("k", 7, 3));
            assertEquals(7, executor.inputs("k").get(0).elementType());
            assertEquals(1, executor.stats().segments());
            assertEquals(1, executor.stats().cachedSessions());
        }
    }
}
