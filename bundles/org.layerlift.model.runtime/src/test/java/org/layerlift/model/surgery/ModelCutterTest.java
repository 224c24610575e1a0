package org.layerlift.model.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.partition.Segment;

/** Cutting on the protobuf graphs of testdata/models: structure of the parts and clear errors for bad input. */
class ModelCutterTest {

    static Path testdata(String name) {
        return Path.of(System.getProperty("layerlift.testdata.models", "../../testdata/models")).resolve(name);
    }

    static ModelProto load(String name) throws IOException {
        return ModelProto.parseFrom(Files.readAllBytes(testdata(name)));
    }

    @Test
    void partsKeepTheHeaderAndCarryOnlyTheirOwnWeights() throws IOException {
        ModelProto m = load("resnet18.onnx");
        ModelCutter cutter = new ModelCutter(m, "resnet18.onnx");
        List<List<Integer>> units = cutter.nodeUnits();
        CutPlan plan = cutter.cut(units, List.of(new Segment(3, 10), new Segment(20, 30)));
        assertEquals(5, plan.parts().size());
        Set<String> allWeights = new HashSet<>();
        for (Part p : plan.parts()) {
            ModelProto g = p.graph();
            assertEquals(m.getIrVersion(), g.getIrVersion());
            assertEquals(m.getOpsetImportList(), g.getOpsetImportList());
            assertEquals(m.getMetadataPropsList(), g.getMetadataPropsList());
            Set<String> read = new HashSet<>();
            for (NodeProto n : g.getGraph().getNodeList()) {
                read.addAll(n.getInputList());
            }
            for (TensorProto t : g.getGraph().getInitializerList()) {
                assertTrue(read.contains(t.getName()), p + " carries unused initializer " + t.getName());
                if (Tensors.isExternal(t)) {
                    allWeights.add(t.getName()); // a tensor several convs share (through Identity) may be in two
                }
            }
            for (var v : g.getGraph().getInputList()) {
                assertTrue(v.getType().getTensorType().getElemType() > 0, p + " input " + v.getName());
            }
            for (var v : g.getGraph().getOutputList()) {
                assertTrue(v.getType().getTensorType().getElemType() > 0, p + " output " + v.getName());
            }
        }
        long external = m.getGraph().getInitializerList().stream().filter(Tensors::isExternal).count();
        assertEquals(external, allWeights.size(), "every weight is in a part");
        long carried = plan.parts().stream().mapToLong(p -> p.externalTensors().size()).sum();
        assertTrue(carried <= external + 8, carried + " tensors carried for " + external);
    }

    @Test
    void aSkipTensorIsPassedAroundAServerSegment() throws IOException {
        ModelCutter cutter = new ModelCutter(load("resnet18.onnx"), "resnet18.onnx");
        List<List<Integer>> units = cutter.nodeUnits();
        // find a residual Add and put the unit just before it (the block's last conv/relu) on the server:
        // the Add, on the client after the segment, reads the skip tensor the client part before the segment made
        int add = -1;
        for (int u = 0; u < units.size(); u++) {
            if (cutter.model().getGraph().getNode(units.get(u).get(0)).getOpType().equals("Add")) {
                add = u;
                break;
            }
        }
        assertTrue(add > 2);
        CutPlan plan = cutter.cut(units, List.of(new Segment(add - 1, add - 1)));
        Part before = plan.parts().get(0);
        Part after = plan.parts().get(2);
        Part server = plan.parts().get(1);
        Set<String> skip = new HashSet<>(after.inputs());
        skip.retainAll(before.outputs());
        assertFalse(skip.isEmpty(), "the client part after reads a tensor of the client part before");
        assertFalse(server.inputs().containsAll(skip), "the skip tensor does not go through the server");
    }

    @Test
    void constantsNeverCrossACut() throws IOException {
        ModelProto m = load("mobilenet_v2.onnx");
        ModelCutter cutter = new ModelCutter(m, "mobilenet_v2.onnx");
        Set<String> constants = new HashSet<>();
        for (int i = 0; i < cutter.nodeCount(); i++) {
            if (cutter.isConstant(i)) {
                constants.addAll(m.getGraph().getNode(i).getOutputList());
            }
        }
        assertTrue(constants.size() >= 70);
        List<List<Integer>> units = cutter.nodeUnits();
        for (int s = 0; s + 5 < units.size(); s += 7) {
            CutPlan plan = cutter.cut(units, List.of(new Segment(s, s + 5)));
            for (Part p : plan.parts()) {
                for (String in : p.inputs()) {
                    assertFalse(constants.contains(in), p + " reads constant " + in + " as an input");
                }
            }
        }
    }

    @Test
    void badSegmentsAreRefusedByName() throws IOException {
        ModelCutter cutter = new ModelCutter(load("resnet18.onnx"), "resnet18.onnx");
        List<List<Integer>> units = cutter.nodeUnits();
        int n = units.size();
        SurgeryException overlap = assertThrows(SurgeryException.class,
                () -> cutter.cut(units, List.of(new Segment(2, 5), new Segment(4, 7))));
        assertEquals("model resnet18.onnx: segments [2..5] and [4..7] overlap", overlap.getMessage());
        SurgeryException order = assertThrows(SurgeryException.class,
                () -> cutter.cut(units, List.of(new Segment(8, 9), new Segment(2, 3))));
        assertEquals("model resnet18.onnx: segments [8..9] and [2..3] are not ascending", order.getMessage());
        SurgeryException range = assertThrows(SurgeryException.class,
                () -> cutter.cut(units, List.of(new Segment(n - 2, n))));
        assertEquals("model resnet18.onnx: segment [" + (n - 2) + ".." + n + "] is out of range: the model has " + n
                + " units (0.." + (n - 1) + ")", range.getMessage());
    }

    @Test
    void badUnitsAreRefusedByName() throws IOException {
        ModelCutter cutter = new ModelCutter(load("resnet18.onnx"), "resnet18.onnx");
        List<List<Integer>> units = new ArrayList<>(cutter.nodeUnits());
        List<List<Integer>> twice = new ArrayList<>(units);
        int first = units.get(0).get(0);
        twice.set(1, List.of(units.get(1).get(0), first));
        assertEquals("model resnet18.onnx: node " + first + " '/conv1/Conv' (Conv) is in unit 0 and in unit 1",
                assertThrows(SurgeryException.class, () -> cutter.cut(twice, List.of())).getMessage());
        List<List<Integer>> outside = new ArrayList<>(units);
        outside.set(0, List.of(999));
        assertEquals("model resnet18.onnx: unit 0 names node 999, but the graph has nodes 0..64",
                assertThrows(SurgeryException.class, () -> cutter.cut(outside, List.of())).getMessage());
        List<List<Integer>> missing = new ArrayList<>(units.subList(1, units.size()));
        assertTrue(assertThrows(SurgeryException.class, () -> cutter.cut(missing, List.of())).getMessage()
                .contains("(Conv) is in no unit"));
        List<List<Integer>> reversed = new ArrayList<>(units);
        java.util.Collections.swap(reversed, 0, 1);
        assertTrue(assertThrows(SurgeryException.class,
                () -> cutter.cut(reversed, List.of(new Segment(0, 0)))).getMessage()
                .contains("units are not in topological order"));
    }

    @Test
    void aMissingWeightIsNamedWithItsPart() throws IOException {
        ModelCutter cutter = new ModelCutter(load("resnet18.onnx"), "resnet18.onnx");
        CutPlan plan = cutter.cut(cutter.nodeUnits(), List.of(new Segment(0, 2)));
        Part server = plan.serverParts().get(0);
        assertFalse(server.externalTensors().isEmpty());
        // "uploaded": every tensor of the part but the last one, with the right sizes
        Map<String, ByteString> uploaded = new HashMap<>();
        List<String> names = server.externalTensors();
        for (TensorProto t : server.graph().getGraph().getInitializerList()) {
            if (!t.getName().equals(names.get(names.size() - 1)) && Tensors.isExternal(t)) {
                uploaded.put(t.getName(), ByteString.copyFrom(new byte[(int) Tensors.byteLength(t)]));
            }
        }
        MissingWeightException e = assertThrows(MissingWeightException.class,
                () -> server.model(WeightSource.of("weights uploaded for units 0..2", uploaded)));
        assertEquals(names.get(names.size() - 1), e.tensor());
        assertTrue(e.getMessage().startsWith("model resnet18.onnx, part 0 (server, units 0..2) needs weight tensor '"
                + e.tensor() + "'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("which weights uploaded for units 0..2 does not hold"), e.getMessage());

        uploaded.put(e.tensor(), ByteString.copyFrom(new byte[3]));
        SurgeryException size = assertThrows(SurgeryException.class,
                () -> server.model(WeightSource.of("upload", uploaded)));
        assertTrue(size.getMessage().contains("'" + e.tensor() + "'") && size.getMessage().contains("upload gave 3"),
                size.getMessage());
    }

    @Test
    void aMissingExternalDataFileIsNamed(@TempDir Path dir) throws IOException {
        Path copy = dir.resolve("resnet18.onnx");
        Files.copy(testdata("resnet18.onnx"), copy);
        ModelCutter cutter = new ModelCutter(load("resnet18.onnx"), "resnet18.onnx");
        CutPlan plan = cutter.cut(cutter.nodeUnits(), List.of(new Segment(0, 2)));
        try (ExternalDataWeights weights = new ExternalDataWeights(copy)) {
            MissingWeightException e = assertThrows(MissingWeightException.class,
                    () -> plan.serverParts().get(0).model(weights));
            assertTrue(e.getMessage().startsWith("model " + copy + ": external data file "
                    + dir.resolve("resnet18.weights") + " (location 'resnet18.weights' of tensor '"), e.getMessage());
            assertTrue(e.getMessage().endsWith("') does not exist"), e.getMessage());
        }
        // a file that is too short
        Files.write(dir.resolve("resnet18.weights"), new byte[100]);
        try (ExternalDataWeights weights = new ExternalDataWeights(copy)) {
            MissingWeightException e = assertThrows(MissingWeightException.class,
                    () -> plan.serverParts().get(0).model(weights));
            assertTrue(e.getMessage().contains("is 100 bytes, too short for tensor"), e.getMessage());
        }
    }

    @Test
    void materialisedWeightsHaveTheRecordedLengthAndAreSeeded(@TempDir Path dir) throws IOException {
        Path copy = dir.resolve("squeezenet1_1.onnx");
        Files.copy(testdata("squeezenet1_1.onnx"), copy);
        ModelProto m = load("squeezenet1_1.onnx");
        List<Path> files = Materializer.materialize(copy, 1);
        assertEquals(List.of(dir.resolve("squeezenet1_1.weights")), files);
        String recorded = m.getMetadataPropsList().stream()
                .filter(p -> p.getKey().equals("external_weights_length")).findFirst().orElseThrow().getValue();
        assertEquals(Long.parseLong(recorded), Files.size(files.get(0)));
        byte[] first = Files.readAllBytes(files.get(0));
        Materializer.materialize(copy, 1); // reused
        assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(files.get(0))));
        Materializer.materialize(copy, 2);
        byte[] other = Files.readAllBytes(files.get(0));
        assertFalse(java.util.Arrays.equals(first, other), "another seed gives other weights");
        // each weight tensor: non-zero, varying, within its bound
        try (ExternalDataWeights weights = new ExternalDataWeights(copy)) {
            for (TensorProto t : m.getGraph().getInitializerList()) {
                if (!Tensors.isExternal(t)) {
                    continue;
                }
                java.nio.FloatBuffer f = weights.bytes(t).asReadOnlyByteBuffer()
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                float min = Float.MAX_VALUE;
                float max = -Float.MAX_VALUE;
                while (f.hasRemaining()) {
                    float v = f.get();
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
                assertTrue(min < 0 && max > 0 && max - min > 1e-3, t.getName() + " [" + min + ", " + max + "]");
                if (t.getDimsCount() == 4) {
                    double bound = Math.sqrt(3.0 / (t.getDims(1) * t.getDims(2) * t.getDims(3)));
                    assertTrue(max <= bound && min >= -bound, t.getName() + " within ±" + bound);
                }
            }
        }
    }

    @Test
    void uniqueNodeNames() throws IOException {
        ModelProto m = load("squeezenet1_1.onnx");
        ModelProto.Builder b = m.toBuilder();
        b.getGraphBuilder().getNodeBuilder(0).setName("");
        b.getGraphBuilder().getNodeBuilder(2).setName(m.getGraph().getNode(1).getName());
        List<String> names = ModelNames.uniqueNodeNames(b.getGraph());
        assertEquals(new HashSet<>(names).size(), names.size());
        assertEquals(m.getGraph().getNode(0).getOpType() + "_0", names.get(0));
        assertEquals(m.getGraph().getNode(1).getName(), names.get(1));
        assertEquals(m.getGraph().getNode(2).getOpType() + "_2", names.get(2));
        ModelProto renamed = ModelNames.withUniqueNodeNames(b.build());
        assertEquals(names.get(2), renamed.getGraph().getNode(2).getName());
        assertEquals(m, ModelNames.withUniqueNodeNames(m));
    }
}
