package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerlift.api.inference.SegmentException;
import org.layerlift.api.inference.SegmentException.Reason;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.Part;

/** Inputs that do not match the segment's declared inputs fail with BAD_INPUT naming the tensor; nothing runs. */
class BadInputTest {

    static SegmentRuntime executor;
    static String key;
    static TensorSpec declared;

    @BeforeAll
    static void prepare() throws Exception {
        SegmentModels.Model model = SegmentModels.model("squeezenet1_1");
        int n = model.units().size();
        CutPlan plan = model.cut(List.of(new Segment(2, n / 2)));
        Part server = plan.serverParts().get(0);
        executor = new SegmentRuntime(ExecutorSettings.defaults());
        key = "bad/" + server.units();
        executor.prepare(model.spec(key, server));
        List<TensorSpec> inputs = executor.inputs(key);
        assertEquals(1, inputs.size(), inputs.toString());
        declared = inputs.get(0);
        assertEquals(server.inputs(), List.of(declared.name()));
        assertEquals(1, declared.elementType());
        for (long d : declared.shape()) {
            assertTrue(d > 0, "cut tensors have static shapes: " + declared);
        }
    }

    @AfterAll
    static void close() {
        executor.close();
    }

    static TensorData tensor(String name, int type, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return new TensorData(name, type, shape, ByteBuffer.allocate((int) (n * TensorData.elementSize(type)))
                .order(ByteOrder.LITTLE_ENDIAN));
    }

    static SegmentException failure(String key, List<TensorData> inputs) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> executor.run(key, inputs).toCompletableFuture().get(SegmentModels.HANG_GUARD_S,
                        TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof SegmentException, e.toString());
        return (SegmentException) e.getCause();
    }

    static void assertBad(List<TensorData> inputs, String... mentions) throws Exception {
        SegmentException e = failure(key, inputs);
        assertEquals(Reason.BAD_INPUT, e.reason(), e.getMessage());
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "'" + e.getMessage() + "' should mention " + m);
        }
    }

    @Test
    void theRightInputRuns() throws Exception {
        List<TensorData> out = executor.run(key, List.of(tensor(declared.name(), 1, declared.shape())))
                .toCompletableFuture().get(SegmentModels.HANG_GUARD_S, TimeUnit.SECONDS);
        assertFalse(out.isEmpty());
    }

    @Test
    void wrongName() throws Exception {
        assertBad(List.of(tensor("not_" + declared.name(), 1, declared.shape())), "'not_" + declared.name() + "'",
                declared.name());
    }

    @Test
    void wrongElementType() throws Exception {
        assertBad(List.of(tensor(declared.name(), 11, declared.shape())), "'" + declared.name() + "'",
                "double (11)", "expected float (1)");
    }

    @Test
    void wrongShape() throws Exception {
        long[] shape = declared.shape();
        shape[shape.length - 1] += 1;
        assertBad(List.of(tensor(declared.name(), 1, shape)), "'" + declared.name() + "'",
                java.util.Arrays.toString(shape), java.util.Arrays.toString(declared.shape()));
    }

    @Test
    void wrongRank() throws Exception {
        long[] shape = declared.shape();
        long[] flat = {1, shape.length > 1 ? shape[1] * shape[shape.length - 1] : shape[0]};
        assertBad(List.of(tensor(declared.name(), 1, flat)), "'" + declared.name() + "'", "shape");
    }

    @Test
    void missing() throws Exception {
        assertBad(List.of(), "'" + declared.name() + "'", "missing");
    }

    @Test
    void extra() throws Exception {
        List<TensorData> inputs = new ArrayList<>();
        inputs.add(tensor(declared.name(), 1, declared.shape()));
        inputs.add(tensor("surplus", 1, 1));
        assertBad(inputs, "'surplus'", declared.name());
    }

    @Test
    void givenTwice() throws Exception {
        TensorData t = tensor(declared.name(), 1, declared.shape());
        assertBad(List.of(t, t), "'" + declared.name() + "'", "twice");
    }

    @Test
    void noInputsAtAll() throws Exception {
        assertBad(null, declared.name());
    }

    @Test
    void unknownSegment() throws Exception {
        SegmentException e = failure("no/such/segment", List.of(tensor(declared.name(), 1, declared.shape())));
        assertEquals(Reason.UNKNOWN_SEGMENT, e.reason());
        assertTrue(e.getMessage().contains("no/such/segment"), e.getMessage());
        SegmentException i = assertThrows(SegmentException.class, () -> executor.inputs("no/such/segment"));
        assertEquals(Reason.UNKNOWN_SEGMENT, i.reason());
        assertFalse(executor.isPrepared("no/such/segment"));
        assertTrue(executor.isPrepared(key));
    }
}
