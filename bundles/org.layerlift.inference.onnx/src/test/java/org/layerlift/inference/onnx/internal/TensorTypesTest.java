package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.layerlift.api.inference.SegmentException;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;

/**
 * Every element type TensorData and ORT's Java API share goes through a segment and back bit for bit (an Identity
 * graph), and a symbolic dimension accepts any size.
 */
class TensorTypesTest {

    /** float uint8 int8 int16 int32 int64 bool float16 double bfloat16 */
    @ParameterizedTest(name = "type {0}")
    @ValueSource(ints = {1, 2, 3, 5, 6, 7, 9, 10, 11, 16})
    void roundTripsBitForBit(int type) throws Exception {
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults())) {
            executor.prepare(TinyGraphs.identity("id", type, 2, 3));
            assertEquals(List.of(new TensorSpec("x", type, new long[] {2, 3})), executor.inputs("id"));
            int size = TensorData.elementSize(type);
            ByteBuffer bytes = ByteBuffer.allocate(6 * size).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < bytes.capacity(); i++) {
                // bool must stay 0/1; the rest gets distinct non-trivial bytes (valid float16/bfloat16 values)
                bytes.put(i, type == 9 ? (byte) (i % 2) : (byte) (0x11 * (i % 5) + 1));
            }
            TensorData x = new TensorData("x", type, new long[] {2, 3}, bytes.asReadOnlyBuffer());
            TensorData y = executor.run("id", List.of(x)).toCompletableFuture().get(SegmentModels.HANG_GUARD_S,
                    TimeUnit.SECONDS).get(0);
            assertEquals("y", y.name());
            assertEquals(type, y.elementType());
            assertArrayEquals(new long[] {2, 3}, y.shape());
            assertEquals(bytes.rewind(), y.data());
            assertTrue(y.data().hasArray(), "outputs are heap buffers");
            assertEquals(ByteOrder.LITTLE_ENDIAN, y.data().order());
        }
    }

    @Test
    void aSymbolicDimensionTakesAnySize() throws Exception {
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults())) {
            executor.prepare(TinyGraphs.identity("dyn", 1, -1, 4));
            assertArrayEquals(new long[] {-1, 4}, executor.inputs("dyn").get(0).shape());
            for (long rows : new long[] {1, 5}) {
                TensorData x = OverloadAndTimeoutTest.floats("x", new long[] {rows, 4}, 3);
                TensorData y = executor.run("dyn", List.of(x)).toCompletableFuture().get().get(0);
                assertArrayEquals(new long[] {rows, 4}, y.shape());
                assertEquals(x.data(), y.data());
            }
            TensorData wrong = OverloadAndTimeoutTest.floats("x", new long[] {5, 3}, 3);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> executor.run("dyn", List.of(wrong)).toCompletableFuture().get());
            assertEquals(SegmentException.Reason.BAD_INPUT, ((SegmentException) e.getCause()).reason());
            assertTrue(e.getCause().getMessage().contains("[-1, 4]"), e.getCause().getMessage());
        }
    }
}
