package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;
import org.layerlift.api.inference.SegmentException.Reason;
import org.layerlift.api.inference.SegmentSpec;
import org.layerlift.api.inference.TensorData;
import org.osgi.service.log.Logger;

/** Closing fails what is queued or running instead of hanging; the component wraps the runtime thinly. */
class CloseAndComponentTest {

    @Test
    void closeFailsQueuedAndRunningRuns() {
        assertTimeoutPreemptively(Duration.ofSeconds(SegmentModels.HANG_GUARD_S), () -> {
            CountDownLatch loading = new CountDownLatch(1);
            CountDownLatch never = new CountDownLatch(1);
            SegmentSpec chain = TinyGraphs.matmulChain("unused", 8, 1, 1);
            boolean[] prepared = {false};
            SegmentSpec stuck = new SegmentSpec("stuck", chain.graph(), chain.weightBytes(), () -> {
                if (prepared[0]) {
                    loading.countDown();
                    never.await(); // until close interrupts the worker
                }
                prepared[0] = true;
                return chain.weights().load();
            });
            // on the pool only: this test holds a run in a worker while the caller goes on
            SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults().withWorkers(1).withQueue(2)
                    .withCacheBytes(0).withCallerRuns(false));
            executor.prepare(stuck);
            TensorData x = OverloadAndTimeoutTest.floats("x", new long[] {1, 8}, 1);
            List<CompletableFuture<List<TensorData>>> runs = new ArrayList<>();
            runs.add(executor.run("stuck", List.of(x)).toCompletableFuture());
            loading.await();
            runs.add(executor.run("stuck", List.of(x)).toCompletableFuture());
            executor.close();
            for (CompletableFuture<List<TensorData>> r : runs) {
                assertEquals(Reason.RUN_FAILED, OverloadAndTimeoutTest.reason(r));
            }
            assertEquals(0, executor.stats().segments());
            assertEquals(0, executor.stats().running());
        });
    }

    static Logger logger(List<String> errors) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("error")) {
                        errors.add(args[0] + " " + (args.length > 1 ? java.util.Arrays.toString(args) : ""));
                    }
                    return method.getReturnType() == boolean.class ? false : null;
                });
    }

    @Test
    void aBadConfigurationFailsActivationNamingKeyAndValue() {
        List<String> errors = new ArrayList<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new OnnxSegmentExecutor(
                SettingsAndHealthTest.config(Map.of("timeout_ms", -1L)), logger(errors)));
        assertTrue(e.getMessage().contains("timeout.ms -1"), e.getMessage());
        assertEquals(1, errors.size(), "logged once: " + errors);
    }

    @Test
    void theComponentRunsSegmentsAndReportsHealth() throws Exception {
        List<String> errors = new ArrayList<>();
        OnnxSegmentExecutor component = new OnnxSegmentExecutor(SettingsAndHealthTest.config(Map.of("workers", 1)),
                logger(errors));
        try {
            component.prepare(TinyGraphs.identity("id", 7, 3));
            assertTrue(component.isPrepared("id"));
            assertEquals(7, component.inputs("id").get(0).elementType());
            TensorData x = new TensorData("x", 7, new long[] {3}, java.nio.ByteBuffer.allocate(24));
            assertEquals(x.data(), component.run("id", List.of(x)).toCompletableFuture().get().get(0).data());
            Result health = component.execute();
            assertEquals(Result.Status.OK, health.getStatus());
            assertEquals(1, component.stats().workers());
            component.release("id");
            assertEquals(0, component.stats().segments());
        } finally {
            component.deactivate();
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
