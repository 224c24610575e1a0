package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.layerlift.api.inference.SegmentException;
import org.layerlift.api.inference.SegmentException.Reason;
import org.layerlift.api.inference.SegmentSpec;

/** What cannot make a session fails prepare with BUILD_FAILED saying why, and registers nothing. */
class BuildFailureTest {

    static SegmentException prepareFails(SegmentRuntime executor, SegmentSpec spec, String... mentions) {
        SegmentException e = assertThrows(SegmentException.class, () -> executor.prepare(spec));
        assertEquals(Reason.BUILD_FAILED, e.reason(), e.getMessage());
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "'" + e.getMessage() + "' should mention " + m);
        }
        assertFalse(executor.isPrepared(spec.key()));
        return e;
    }

    @Test
    void badSpecs() {
        SegmentSpec chain = TinyGraphs.matmulChain("chain", 4, 1, 1);
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults())) {
            prepareFails(executor, new SegmentSpec("junk", new byte[] {1, 2, 3, 4, 5}, 0, Map::of), "junk");
            prepareFails(executor, new SegmentSpec("nothing", chain.graph(), 64, Map::of), "nothing", "'W'",
                    "not among the weights");
            prepareFails(executor, new SegmentSpec("short", chain.graph(), 64,
                    () -> Map.of("W", ByteBuffer.allocate(60))), "'W'", "needs 64 bytes, got 60");
            prepareFails(executor, new SegmentSpec("throws", chain.graph(), 64, () -> {
                throw new java.io.IOException("disk gone");
            }), "throws", "disk gone");
            assertEquals(0, executor.stats().segments());
            assertEquals(0, executor.stats().builds());
        }
    }

    @Test
    void maxSegmentsIsABound() throws Exception {
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults().withMaxSegments(2))) {
            executor.prepare(TinyGraphs.identity("a", 1, 1));
            executor.prepare(TinyGraphs.identity("b", 1, 1));
            prepareFails(executor, TinyGraphs.identity("c", 1, 1), "max.segments");
            executor.prepare(TinyGraphs.identity("b", 1, 2)); // replacing is not adding
            executor.release("a");
            executor.prepare(TinyGraphs.identity("c", 1, 1));
            assertEquals(2, executor.stats().segments());
        }
    }

    @Test
    void aClosedExecutorRefuses() throws Exception {
        SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults());
        executor.prepare(TinyGraphs.identity("a", 1, 1));
        executor.close();
        prepareFails(executor, TinyGraphs.identity("b", 1, 1), "closed");
        assertEquals(0, executor.stats().cachedSessions());
        var run = executor.run("a", java.util.List.of()).toCompletableFuture();
        assertTrue(run.isCompletedExceptionally());
    }
}
