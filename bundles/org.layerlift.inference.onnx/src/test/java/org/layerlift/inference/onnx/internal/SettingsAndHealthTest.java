package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.Map;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.junit.jupiter.api.Test;
import org.layerlift.api.inference.ExecutorStats;

/**
 * Configuration checks name key and value; health is OK with counts, WARN on a nearly full queue or a recent
 * timeout.
 */
class SettingsAndHealthTest {

    /** An ExecutorConfig as DS would make it from configuration properties (defaults for the rest). */
    static ExecutorConfig config(Map<String, Object> values) {
        return (ExecutorConfig) java.lang.reflect.Proxy.newProxyInstance(ExecutorConfig.class.getClassLoader(),
                new Class<?>[] {ExecutorConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return ExecutorConfig.class;
                    }
                    Object v = values.get(method.getName());
                    return v != null ? v : method.getDefaultValue();
                });
    }

    static void rejected(Map<String, Object> values, String... mentions) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutorSettings.from(config(values)));
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "'" + e.getMessage() + "' should mention " + m);
        }
    }

    @Test
    void defaults() {
        ExecutorSettings s = ExecutorSettings.from(config(Map.of()));
        assertEquals(ExecutorSettings.defaults(), s);
        assertEquals(Math.min(2, Runtime.getRuntime().availableProcessors()), s.workers());
        assertEquals(16, s.queue());
        assertEquals(30_000, s.timeoutMs());
        assertEquals(1L << 30, s.cacheBytes());
        assertEquals(1, s.intraOpThreads());
        assertEquals(4096, s.maxSegments());
        assertEquals(5, ExecutorSettings.from(config(Map.of("workers", 5))).workers());
    }

    @Test
    void badValuesAreNamed() {
        rejected(Map.of("workers", -1), "workers -1");
        rejected(Map.of("queue", 0), "queue 0");
        rejected(Map.of("timeout_ms", 0L), "timeout.ms 0");
        rejected(Map.of("cache_bytes", -5L), "cache.bytes -5");
        rejected(Map.of("intra_op_threads", 0), "intra.op.threads 0");
        rejected(Map.of("max_segments", 0), "max.segments 0");
        rejected(Map.of("queue", 0, "max_segments", -3), "queue 0", "max.segments -3");
        assertTrue(Annotation.class.isAssignableFrom(ExecutorConfig.class));
    }

    static Result.Status status(ResultLog log) {
        return new Result(log).getStatus();
    }

    static ExecutorStats stats(int queued) {
        return new ExecutorStats(3, 2, 1 << 20, 1L << 30, 2, queued, 2, 40, 1, 5);
    }

    @Test
    void health() {
        ResultLog ok = ExecutorHealth.log(stats(12), 16, 0, Long.MAX_VALUE);
        assertEquals(Result.Status.OK, status(ok));
        String text = ok.iterator().next().getMessage();
        assertTrue(text.contains("3 segments") && text.contains("2 sessions cached") && text.contains("40 runs"),
                text);
        assertEquals(Result.Status.WARN, status(ExecutorHealth.log(stats(13), 16, 0, Long.MAX_VALUE)), "13/16 > 80 %");
        assertEquals(Result.Status.WARN, status(ExecutorHealth.log(stats(0), 16, 4, 5_000_000_000L)));
        assertEquals(Result.Status.OK, status(ExecutorHealth.log(stats(0), 16, 4, 61_000_000_000L)),
                "a timeout over a minute ago");
    }
}
