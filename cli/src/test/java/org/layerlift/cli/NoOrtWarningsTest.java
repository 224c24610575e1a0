package org.layerlift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Cut models load in ORT with no warnings": {@code model verify} runs in a JVM of its own, so that ONNX Runtime's
 * native logger (level WARNING, writing to the process's standard error) is captured, and any warning or error line
 * from it fails the test. A model with a wrong declared shape shows that such a line is caught.
 */
class NoOrtWarningsTest {

    /** ONNX Runtime's log lines: {@code 2026-01-01 10:00:00.000 [W:onnxruntime:layerlift, graph.cc:123 F] ...}. */
    static final Pattern ORT_WARNING = Pattern.compile("\\[[WEF]:onnxruntime|\\] W:onnxruntime| W:onnxruntime");

    @TempDir
    Path dir;

    record Run(int exitCode, String output) {}

    /** {@code layerlift <args>} in a new JVM with the test class path; stdout and stderr together. */
    static Run fork(Path dir, String... args) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djava.awt.headless=true", "-XX:+UseSerialGC", "-cp", classPath,
                "org.layerlift.cli.Main"));
        command.addAll(List.of(args));
        Path log = dir.resolve("output.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("layerlift " + String.join(" ", args) + " did not end in 240 s");
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    static List<String> ortLines(String output) {
        return output.lines().filter(l -> ORT_WARNING.matcher(l).find()).toList();
    }

    @Test
    void squeezenetPartsLoadWithoutWarnings() throws Exception {
        Path model = dir.resolve("squeezenet1_1.onnx");
        Files.copy(ModelVerifyCommandTest.SQUEEZENET, model);
        Run run = fork(dir, "model", "verify", model.toString(), "--materialize", "--plans", "5");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("5 plans (") && run.output().contains("all within tolerance"), run.output());
        assertEquals(List.of(), ortLines(run.output()), run.output());
    }

    /** x [1,4] -> Relu -> h, declared [1,5] in value_info (wrong) -> Neg -> y [1,4]. */
    @Test
    void aWarningWouldBeSeen() throws Exception {
        Path model = dir.resolve("wrong.onnx");
        Files.write(model, wrongShapeModel().toByteArray());
        Run run = fork(dir, "model", "verify", model.toString(), "--plans", "1");
        assertTrue(!ortLines(run.output()).isEmpty(), "ONNX Runtime did not warn: " + run.output());
    }

    static ValueInfoProto tensor(String name, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(shape))).build();
    }

    static ModelProto wrongShapeModel() {
        GraphProto graph = GraphProto.newBuilder().setName("wrong")
                .addNode(NodeProto.newBuilder().setOpType("Relu").setName("relu").addInput("x").addOutput("h"))
                .addNode(NodeProto.newBuilder().setOpType("Neg").setName("neg").addInput("h").addOutput("y"))
                .addInput(tensor("x", 1, 4)).addOutput(tensor("y", 1, 4)).addValueInfo(tensor("h", 1, 5)).build();
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(graph).build();
    }
}
