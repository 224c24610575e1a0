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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelInspectCommandTest {

    /** At the repository root; its weights ({@code resnet18.weights}) are not in the repository. */
    static final Path RESNET18 = Cli.ROOT.resolve("testdata/models/resnet18.onnx");

    @TempDir
    Path dir;

    /** The model alone in a fresh folder, so no external weights file can be next to it. */
    private Path resnet18Alone() throws IOException {
        Path copy = dir.resolve("resnet18.onnx");
        Files.copy(RESNET18, copy);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(copy), files.toList());
        }
        return copy;
    }

    private static List<String> unitRows(String out) {
        return out.lines().filter(l -> l.matches(" *\\d+  .*")).toList();
    }

    @Test
    void printsTheDominatorUnitsWithoutTheWeightsFile() throws IOException {
        Cli.Result result = Cli.run("model", "inspect", resnet18Alone().toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals("", result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals("model resnet18.onnx (opset 13, 65 nodes, 13 dominator units)", lines.get(0));
        assertEquals("input  input [1,3,224,224] 588.0 KiB", lines.get(1));
        assertTrue(lines.get(3).matches(" *# +unit +ops +weights +activations +FLOPs"), lines.get(3));
        List<String> units = unitRows(result.out());
        assertEquals(13, units.size(), result.out());
        // docs/onnx-import.md: conv1+relu, maxpool, 8 residual blocks, avgpool, flatten, fc
        assertTrue(units.get(0).matches(" *0  /relu/Relu +Conv, Relu +36\\.8 KiB +3\\.1 MiB +236\\.83 M"), units.get(0));
        assertTrue(units.get(12).matches(" *12  /fc/Gemm +Gemm +2\\.0 MiB +3\\.9 KiB +1\\.03 M"), units.get(12));
        String total = lines.get(lines.size() - 1);
        assertTrue(total.matches(" +total +44\\.6 MiB +3\\.63 G"), total);
    }

    @Test
    void nodeGranularityHasAUnitPerWorkingNode() {
        Cli.Result result = Cli.run("model", "inspect", RESNET18.toString(), "--granularity", "node",
                "--input-shape", "1,3,224,224");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().startsWith("model resnet18.onnx (opset 13, 65 nodes, 49 node units)"), result.out());
        assertEquals(49, unitRows(result.out()).size());
        assertTrue(result.out().lines().anyMatch(l -> l.matches(" +total +44\\.6 MiB +3\\.63 G")), result.out());
        Cli.Result upper = Cli.run("model", "inspect", RESNET18.toString(), "--granularity", "NODE");
        assertEquals(result.out(), upper.out());
    }

    /** One Relu over an input of shape [batch, 4]: sizes need the value of 'batch'. */
    private Path dynamicModel() throws IOException {
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1)
                .setShape(TensorShapeProto.newBuilder()
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                        .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(4)))).build();
        ModelProto model = ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(GraphProto.newBuilder().setName("dyn")
                        .addInput(ValueInfoProto.newBuilder().setName("x").setType(type))
                        .addNode(NodeProto.newBuilder().setName("act").setOpType("Relu").addInput("x").addOutput("y"))
                        .addOutput(ValueInfoProto.newBuilder().setName("y").setType(type)))
                .build();
        Path file = dir.resolve("dynamic.onnx");
        Files.write(file, model.toByteArray());
        return file;
    }

    @Test
    void dynamicDimensionsNeedAValue() throws IOException {
        Path model = dynamicModel();
        Cli.Result unbound = Cli.run("model", "inspect", model.toString());
        assertEquals(ExitCodes.INPUT, unbound.exitCode(), unbound.err());
        assertTrue(unbound.err().startsWith("layerlift model inspect: error: ONNX model 'dynamic.onnx'"),
                unbound.err());
        assertTrue(unbound.err().contains("batch"), unbound.err());
        assertTrue(unbound.noStackTrace(), unbound.err());
        assertEquals("", unbound.out());

        Cli.Result bound = Cli.run("model", "inspect", model.toString(), "--input-shape", "batch=2");
        assertEquals(0, bound.exitCode(), bound.err());
        assertTrue(bound.out().contains("input  x [2,4] 32 B"), bound.out());
        List<String> units = unitRows(bound.out());
        assertEquals(1, units.size(), bound.out());
        assertTrue(units.get(0).matches(" *0  act +Relu +0 B +32 B +8"), units.get(0));
    }

    @Test
    void inputErrorsAreMessagesNotStackTraces() throws IOException {
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "this is not a protobuf message, just text\n");
        Path empty = dir.resolve("empty.onnx");
        Files.write(empty, new byte[0]);
        record Case(List<String> args, int code, String expected) {
        }
        String model = RESNET18.toString();
        List<Case> cases = List.of(
                new Case(List.of(dir.resolve("missing.onnx").toString()), ExitCodes.USAGE, "missing.onnx: no such file"),
                new Case(List.of(dir.toString()), ExitCodes.USAGE, "not a regular file"),
                new Case(List.of(text.toString()), ExitCodes.INPUT, "ONNX model 'notes.onnx': not an ONNX model"),
                new Case(List.of(empty.toString()), ExitCodes.INPUT, "ONNX model 'empty.onnx': not an ONNX model"),
                new Case(List.of(Cli.ALEXNET), ExitCodes.INPUT, "ONNX model 'alexnet.json': not an ONNX model"),
                new Case(List.of(model, "--input-shape", "1,3,abc,224"), ExitCodes.USAGE,
                        "Invalid value for option '--input-shape': input shape '1,3,abc,224': dimension 2"),
                new Case(List.of(model, "--input-shape", "1,3,0,224"), ExitCodes.USAGE, "must be positive"),
                new Case(List.of(model, "--input-shape", "1,3,224"), ExitCodes.INPUT,
                        "input 'input' has rank 4"),
                new Case(List.of(model, "--input-shape", "1,3,200,200"), ExitCodes.INPUT,
                        "dimension 2 is fixed at 224"),
                new Case(List.of(model, "--input-shape", "pixels=1,3,224,224"), ExitCodes.INPUT, "'pixels'"),
                new Case(List.of(model, "--granularity", "layer"), ExitCodes.USAGE,
                        "Invalid value for option '--granularity'"),
                new Case(List.of(), ExitCodes.USAGE, "Missing required parameter: '<model.onnx>'"));
        for (Case c : cases) {
            List<String> line = new java.util.ArrayList<>(List.of("model", "inspect"));
            line.addAll(c.args());
            Cli.Result result = Cli.run(line.toArray(String[]::new));
            assertEquals(c.code(), result.exitCode(), c + ": " + result.err());
            assertTrue(result.err().contains(c.expected()), c + ": " + result.err());
            assertTrue(result.noStackTrace(), result.err());
            assertEquals("", result.out(), "nothing on stdout when it fails: " + c);
            if (c.code() == ExitCodes.USAGE) {
                assertTrue(result.isShortUsageError("model inspect"), result.err());
            } else {
                assertTrue(result.err().startsWith("layerlift model inspect: error: "), result.err());
                assertEquals(1, result.err().strip().lines().count(), "one line: " + result.err());
            }
        }
    }

    @Test
    void theModelGroupNeedsACommandAndListsIt() {
        Cli.Result none = Cli.run("model");
        assertEquals(ExitCodes.USAGE, none.exitCode());
        assertTrue(none.err().contains("Missing command: say which (e.g. 'model inspect')"), none.err());
        assertTrue(none.err().contains("inspect"), none.err());
        Cli.Result help = Cli.run("--help");
        assertTrue(help.out().lines().anyMatch(l -> l.matches(" +model +.*")), help.out());
        Cli.Result inspectHelp = Cli.run("model", "inspect", "--help");
        assertEquals(0, inspectHelp.exitCode());
        assertTrue(inspectHelp.out().contains("--granularity") && inspectHelp.out().contains("dominator, node"),
                inspectHelp.out());
        java.io.PrintWriter sink = new java.io.PrintWriter(java.io.Writer.nullWriter());
        assertTrue(Main.commandLine(sink, sink).getSubcommands().get("model").getSubcommands().containsKey("inspect"));
    }
}
