package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.runtime.Outputs;
import org.layerlift.model.surgery.Part;

/** Weights as external initializers and weights embedded give the same session: bit-identical outputs. */
class WeightPassingTest {

    /** A Constant node's external value and an external uint16 initializer are embedded, and computed with. */
    @Test
    void whatCannotBeAnExternalInitializerIsEmbedded() throws Exception {
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults())) {
            executor.prepare(TinyGraphs.constantAndUint16("e"));
            ByteBuffer x = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(-1)
                    .putFloat(4);
            TensorData y = executor.run("e", List.of(new TensorData("x", 1, new long[] {3}, x.flip())))
                    .toCompletableFuture().get().get(0);
            FloatBuffer f = y.data().asFloatBuffer();
            assertEquals(11.5f, f.get(0));
            assertEquals(21f, f.get(1));
            assertEquals(37f, f.get(2));
        }
    }

    @Test
    void bothWaysGiveTheSameOutputs() throws Exception {
        SegmentModels.Model model = SegmentModels.model("resnet18");
        Part part = model.cut(List.of(new Segment(0, model.units().size() - 1))).serverParts().get(0);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = model.inputs(3);
        try (BuiltSession external = new SessionBuilder(env, 1).build(model.spec("e", part));
                BuiltSession embedded = new SessionBuilder(env, 1, SessionBuilder.WeightPassing.EMBEDDED)
                        .build(model.spec("m", part));
                OrtSession.Result a = external.session().run(inputs);
                OrtSession.Result b = embedded.session().run(inputs)) {
            Map<String, OnnxTensor> x = new HashMap<>();
            Map<String, OnnxTensor> y = new HashMap<>();
            for (String out : part.outputs()) {
                x.put(out, (OnnxTensor) a.get(out).orElseThrow());
                y.put(out, (OnnxTensor) b.get(out).orElseThrow());
            }
            Outputs.Difference d = Outputs.compare(y, x);
            assertEquals(0.0, d.maxAbs(), d.toString());
            assertEquals(part.outputs(), external.outputs());
        } finally {
            SegmentModels.closeAll(inputs);
        }
    }
}
