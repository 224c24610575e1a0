package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.runtime.Outputs;
import org.layerlift.model.surgery.Part;

/** Weights as external initializers and weights embedded give the same session: bit-identical outputs. */
class WeightPassingTest {

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
