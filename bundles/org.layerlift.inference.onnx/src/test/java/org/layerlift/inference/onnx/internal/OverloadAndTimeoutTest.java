package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.layerlift.api.inference.SegmentException;
import org.layerlift.api.inference.SegmentException.Reason;
import org.layerlift.api.inference.SegmentSpec;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.Part;

/** The bounded queue refuses at once when full; runs past timeout.ms end with TIMEOUT and free their worker. */
class OverloadAndTimeoutTest {

    static final Duration GUARD = Duration.ofSeconds(SegmentModels.HANG_GUARD_S);

    static Reason reason(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> f.get(SegmentModels.HANG_GUARD_S, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof SegmentException, e.toString());
        System.out.println("failed as expected: " + e.getCause().getMessage());
        return ((SegmentException) e.getCause()).reason();
    }

    static TensorData floats(String name, long[] shape, float value) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(value + i % 7);
        }
        return new TensorData(name, 1, shape, b.flip());
    }

    /**
     * A worker held by a slow segment (its weights load blocks: with cache.bytes 0 every run rebuilds the session
     * from the spec on the worker), one run in the queue of one: the next run is refused at once with OVERLOADED,
     * and the held runs still finish correctly once the segment comes free.
     */
    @Test
    void aFullQueueRefusesAtOnce() {
        assertTimeoutPreemptively(GUARD, () -> {
            CountDownLatch loading = new CountDownLatch(1);
            CountDownLatch proceed = new CountDownLatch(1);
            AtomicInteger loads = new AtomicInteger();
            SegmentSpec chain = TinyGraphs.matmulChain("unused", 64, 2, 1);
            SegmentSpec slow = new SegmentSpec("slow", chain.graph(), chain.weightBytes(), () -> {
                if (loads.getAndIncrement() > 0) { // prepare's load goes through; the runs' rebuilds wait
                    loading.countDown();
                    proceed.await();
                }
                return chain.weights().load();
            });
            // on the pool only: the test holds the one worker while the caller queues more
            ExecutorSettings settings = ExecutorSettings.defaults().withWorkers(1).withQueue(1).withCacheBytes(0)
                    .withCallerRuns(false);
            try (SegmentRuntime executor = new SegmentRuntime(settings)) {
                executor.prepare(slow);
                long[] shape = {1, 64};
                CompletableFuture<List<TensorData>> first = executor.run("slow", List.of(floats("x", shape, 1)))
                        .toCompletableFuture();
                loading.await(); // the worker is in the first run's rebuild
                CompletableFuture<List<TensorData>> second = executor.run("slow", List.of(floats("x", shape, 2)))
                        .toCompletableFuture();
                assertEquals(1, executor.stats().queued());
                CompletableFuture<List<TensorData>> third = executor.run("slow", List.of(floats("x", shape, 3)))
                        .toCompletableFuture();
                assertTrue(third.isDone(), "refused at once, not queued");
                assertEquals(Reason.OVERLOADED, reason(third));
                proceed.countDown();
                // x·I·I = x
                assertEquals(floats("x", shape, 1).data(), first.get().get(0).data());
                assertEquals(floats("x", shape, 2).data(), second.get().get(0).data());
                assertEquals("y", first.get().get(0).name());
                assertArrayEquals(shape, first.get().get(0).shape());
                var s = executor.stats();
                assertEquals(3, s.completedRuns());
                assertEquals(1, s.failedRuns());
                assertEquals(3, s.builds(), "prepare, then a rebuild per run with cache.bytes 0");
                assertEquals(0, s.cachedSessions());
            }
        });
    }

    /**
     * A chain of 300 MatMuls of [4096, 2048]·[2048, 2048] (10 TFLOP: minutes of work even at 100 GFLOP/s) with
     * timeout.ms 1000: TIMEOUT, and the worker comes free
     * because ORT's terminate flag stops the run (without it the hang guard would fail). The executor then still
     * runs other segments.
     */
    @Test
    void aRunPastItsTimeoutIsTerminated() {
        assertTimeoutPreemptively(GUARD, () -> {
            ExecutorSettings settings = ExecutorSettings.defaults().withWorkers(1).withTimeoutMs(1000);
            try (SegmentRuntime executor = new SegmentRuntime(settings)) {
                long t0 = System.nanoTime();
                executor.prepare(TinyGraphs.matmulChain("chain", 2048, 300, 4096));
                long t1 = System.nanoTime();
                executor.prepare(TinyGraphs.identity("small", 1, 2, 3));
                CompletableFuture<List<TensorData>> run = executor.run("chain",
                        List.of(floats("x", new long[] {4096, 2048}, 0))).toCompletableFuture();
                assertEquals(Reason.TIMEOUT, reason(run));
                long t2 = System.nanoTime();
                while (executor.stats().running() > 0) {
                    Thread.sleep(10); // the terminated run leaves ORT
                }
                System.out.printf("chain: build %.1f s, timeout after %.1f s, terminated %.1f s later%n",
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
                assertEquals(1, executor.timeouts());
                assertTrue(executor.nanosSinceLastTimeout() < ExecutorHealth.RECENT_TIMEOUT_NANOS);
                TensorData x = floats("x", new long[] {2, 3}, 5);
                List<TensorData> out = executor.run("small", List.of(x)).toCompletableFuture().get();
                assertEquals(x.data(), out.get(0).data());
                assertEquals(1, executor.stats().failedRuns());
            }
        });
    }

    /** A tiny timeout on a big segment (all of resnet18): TIMEOUT, whether it ran out queued or in ORT. */
    @Test
    void aTinyTimeoutOnABigSegment() {
        assertTimeoutPreemptively(GUARD, () -> {
            SegmentModels.Model model = SegmentModels.model("resnet18");
            CutPlan plan = model.cut(List.of(new Segment(0, model.units().size() - 1)));
            Part all = plan.serverParts().get(0);
            ExecutorSettings settings = ExecutorSettings.defaults().withTimeoutMs(1);
            Map<String, OnnxTensor> inputs = model.inputs(1);
            try (SegmentRuntime executor = new SegmentRuntime(settings)) {
                executor.prepare(model.spec("resnet18/all", all));
                List<TensorData> in = new ArrayList<>();
                for (String name : all.inputs()) {
                    in.add(TensorConversion.fromOnnx(name, inputs.get(name)));
                }
                List<CompletableFuture<List<TensorData>>> runs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    runs.add(executor.run("resnet18/all", in).toCompletableFuture());
                }
                for (CompletableFuture<List<TensorData>> r : runs) {
                    assertEquals(Reason.TIMEOUT, reason(r));
                }
                while (executor.stats().running() > 0 || executor.stats().queued() > 0) {
                    Thread.sleep(10);
                }
                assertEquals(3, executor.timeouts());
            } finally {
                SegmentModels.closeAll(inputs);
            }
        });
    }
}
