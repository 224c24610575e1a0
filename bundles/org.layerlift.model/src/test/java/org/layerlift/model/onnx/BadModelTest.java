package org.layerlift.model.onnx;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class BadModelTest {

    @TempDir
    Path dir;

    private static void fails(Executable call, String... mentions) {
        OnnxImportException e = assertThrows(OnnxImportException.class, call);
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "'" + m + "' not in: " + e.getMessage());
        }
    }

    private static ModelProto chain(int opset) {
        return TestModels.model(opset, List.of(TestModels.tensor("x", DataTypes.FLOAT, 1, 3, 8, 8)),
                List.of(TestModels.tensor("z", DataTypes.FLOAT, 1, 3, 8, 8)), List.of(),
                List.of(TestModels.node("r", "Relu", List.of("x"), List.of("y")),
                        TestModels.node("s", "Sigmoid", List.of("y"), List.of("z"))));
    }

    @Test
    void truncatedRealFile() throws IOException {
        byte[] full = Files.readAllBytes(TestModels.shared("resnet18.onnx"));
        Path cut = dir.resolve("resnet18-truncated.onnx");
        Files.write(cut, Arrays.copyOf(full, full.length / 2));
        fails(() -> OnnxGraph.load(cut), "resnet18-truncated.onnx", "truncated");
    }

    @Test
    void notAnOnnxFile() throws IOException {
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "{\"model\": \"this is JSON, not ONNX\"}\n");
        fails(() -> OnnxGraph.load(text), "notes.onnx", "not an ONNX model");
        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        fails(() -> OnnxGraph.load(empty), "empty.onnx");
        fails(() -> OnnxGraph.load(dir.resolve("absent.onnx")), "absent.onnx", "no such file");
    }

    @Test
    void unsupportedOpsets() {
        fails(() -> OnnxGraph.of(chain(6), "old"), "'old'", "opset 6", "7 to 21");
        fails(() -> OnnxGraph.of(chain(22), "new"), "'new'", "opset 22");
        ModelProto noDefault = chain(13).toBuilder().clearOpsetImport().build();
        fails(() -> OnnxGraph.of(noDefault, "none"), "'none'", "default");
    }

    @Test
    void controlFlowIsRefusedNamingTheNode() {
        ModelProto m = TestModels.model(13, List.of(TestModels.tensor("c", DataTypes.BOOL)),
                List.of(TestModels.tensor("z", DataTypes.FLOAT, 1)), List.of(),
                List.of(TestModels.node("branch", "If", List.of("c"), List.of("z"),
                        AttributeProto.newBuilder().setName("then_branch").setType(AttributeProto.AttributeType.GRAPH)
                                .setG(GraphProto.newBuilder().setName("then")).build())));
        fails(() -> OnnxGraph.of(m, "cf"), "'cf'", "branch", "If", "control flow");
    }

    @Test
    void cycleNamesANodeOnIt() {
        ModelProto m = TestModels.model(13, List.of(TestModels.tensor("x", DataTypes.FLOAT, 1, 4)),
                List.of(TestModels.tensor("z", DataTypes.FLOAT, 1, 4)), List.of(),
                List.of(TestModels.node("entry", "Add", List.of("x", "b"), List.of("a")),
                        TestModels.node("loop_b", "Relu", List.of("a"), List.of("b")),
                        TestModels.node("out", "Relu", List.of("b"), List.of("z"))));
        fails(() -> OnnxGraph.of(m, "cyclic"), "'cyclic'", "cycle", "loop_b", "entry");
    }

    @Test
    void danglingInputAndDoubleProducer() {
        ModelProto dangling = TestModels.model(13, List.of(TestModels.tensor("x", DataTypes.FLOAT, 1, 4)),
                List.of(TestModels.tensor("z", DataTypes.FLOAT, 1, 4)), List.of(),
                List.of(TestModels.node("add", "Add", List.of("x", "ghost"), List.of("z"))));
        fails(() -> OnnxGraph.of(dangling, "m"), "node 'add'", "'ghost'");
        ModelProto twice = TestModels.model(13, List.of(TestModels.tensor("x", DataTypes.FLOAT, 1, 4)),
                List.of(TestModels.tensor("z", DataTypes.FLOAT, 1, 4)), List.of(),
                List.of(TestModels.node("one", "Relu", List.of("x"), List.of("z")),
                        TestModels.node("two", "Relu", List.of("x"), List.of("z"))));
        fails(() -> OnnxGraph.of(twice, "m"), "node 'two'", "'z'", "'one'");
    }

    @Test
    void inputShapesThatContradictTheModel() {
        OnnxGraph g = OnnxGraph.load(TestModels.shared("resnet18.onnx"));
        fails(() -> GraphShapes.infer(g, InputShapes.parse("1,3,224")), "resnet18.onnx", "input 'input'", "rank 4");
        fails(() -> GraphShapes.infer(g, InputShapes.parse("input=1,3,300,224")), "input 'input'", "dimension 2",
                "fixed at 224");
        fails(() -> GraphShapes.infer(g, InputShapes.parse("image=1,3,224,224")), "'image'", "[input]");
        OnnxGraph ocr = OnnxGraph.load(TestModels.real(TestModels.OCR));
        fails(() -> GraphShapes.infer(ocr, InputShapes.none()), "ch_PP-OCRv4_det_infer.onnx", "input 'x'",
                "dimension 0", "p2o.DynamicDimension.0", "not bound");
        OnnxGraph bert = OnnxGraph.load(TestModels.real(TestModels.MINILM));
        fails(() -> GraphShapes.infer(bert, InputShapes.parse("batch_size=1")), "input 'input_ids'", "dimension 1",
                "sequence_length");
        fails(() -> GraphShapes.infer(bert, InputShapes.parse("1,128")), "3 inputs", "name them");
    }

    @Test
    void shapeErrorsNameNodeAndTensors() {
        ModelProto conv = TestModels.model(13, List.of(TestModels.tensor("x", DataTypes.FLOAT, 1, 3, 8, 8)),
                List.of(TestModels.tensor("z", DataTypes.FLOAT)), List.of(TestModels.floatWeight("w", 16, 4, 3, 3)),
                List.of(TestModels.node("conv1", "Conv", List.of("x", "w"), List.of("z"))));
        OnnxGraph g = OnnxGraph.of(conv, "conv.onnx");
        fails(() -> GraphShapes.infer(g, InputShapes.none()), "conv.onnx", "node 'conv1'", "'x' has 3 channels",
                "'w'");
        // a Reshape whose target shape is computed from data (not from shapes) cannot be sized
        ModelProto reshape = TestModels.model(13, List.of(TestModels.tensor("x", DataTypes.FLOAT, 2, 6),
                TestModels.tensor("s", DataTypes.INT64, 2)), List.of(TestModels.tensor("z", DataTypes.FLOAT)),
                List.of(), List.of(TestModels.node("rs", "Reshape", List.of("x", "s"), List.of("z"))));
        fails(() -> GraphShapes.infer(OnnxGraph.of(reshape, "rs.onnx"), InputShapes.none()), "node 'rs'",
                "target shape", "'s'");
        ModelProto unknown = TestModels.model(13, List.of(TestModels.tensor("x", DataTypes.FLOAT, 2, 6)),
                List.of(TestModels.tensor("z", DataTypes.FLOAT)), List.of(),
                List.of(TestModels.node("fancy", "NonMaxSuppression", List.of("x"), List.of("z"))));
        fails(() -> GraphShapes.infer(OnnxGraph.of(unknown, "u.onnx"), InputShapes.none()), "node 'fancy'",
                "NonMaxSuppression");
    }
}
