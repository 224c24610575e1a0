package org.layerlift.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.inference.onnx.internal.ExecutorSettings;
import org.layerlift.inference.onnx.internal.SegmentRuntime;
import org.layerlift.model.surgery.Materializer;

/** {@code layerlift:ort <model.onnx>} with the real executor (ONNX Runtime), no framework. */
class ModelRunTest {

    @TempDir
    Path dir;

    @Test
    void aModelWithItsWeightsRunsAndIsTimed() throws Exception {
        Path model = dir.resolve("squeezenet1_1.onnx");
        Files.copy(Path.of(System.getProperty("layerlift.testdata.models"), "squeezenet1_1.onnx"), model);
        Materializer.materialize(model, 1L);
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults())) {
            String out = ModelRun.run(executor, model.toString(), 2);
            assertTrue(out.contains("squeezenet1_1.onnx: built in"), out);
            assertTrue(out.contains("2 runs: first"), out);
            assertTrue(out.contains("output logits [1, 1000]"), out);
            assertTrue(executor.stats().cachedSessions() == 0, "released after the run");
        }
    }

    @Test
    void aStrippedModelOrAForeignFileSaysWhat() throws Exception {
        Path model = dir.resolve("resnet18.onnx");
        Files.copy(Path.of(System.getProperty("layerlift.testdata.models"), "resnet18.onnx"), model);
        Path text = Files.writeString(dir.resolve("notes.onnx"), "not a model");
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults())) {
            String stripped = ModelRun.run(executor, model.toString(), 1);
            assertTrue(stripped.contains("stripped of its weights"), stripped);
            String foreign = ModelRun.run(executor, text.toString(), 1);
            assertTrue(foreign.contains("is not an ONNX model"), foreign);
            String missing = ModelRun.run(executor, dir.resolve("nope.onnx").toString(), 1);
            assertTrue(missing.contains("no such file"), missing);
        }
    }
}
