package org.layerlift.model.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerlift.api.model.CostProfile;
import org.layerlift.model.onnx.DataTypes;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.onnx.TestModels;
import org.layerlift.model.profile.ProfileDocument;
import org.layerlift.model.profile.ProfileJson;

class UnitGroupingTest {

    static List<Object[]> models() {
        List<Object[]> m = new ArrayList<>();
        TestModels.SHARED.forEach(f -> m.add(new Object[] {f, ""}));
        m.add(new Object[] {TestModels.OCR, "1,3,640,640"});
        m.add(new Object[] {TestModels.MINILM, "batch_size=1,sequence_length=128"});
        return m;
    }

    private static OnnxGraph load(String file) {
        return OnnxGraph.load(TestModels.SHARED.contains(file) ? TestModels.shared(file) : TestModels.real(file));
    }

    /** Invariants of both groupings on every model: a partition, a topological chain, consistent cuts and sums. */
    @ParameterizedTest
    @MethodSource("models")
    void bothGroupingsPartitionTheGraphIntoAChain(String file, String shape) {
        OnnxGraph g = load(file);
        GraphShapes s = GraphShapes.infer(g, InputShapes.parse(shape));
        for (List<GraphUnit> units : List.of(UnitGrouping.dominators(g, s), UnitGrouping.nodes(g, s))) {
            int[] seen = new int[g.size()];
            java.util.Set<Integer> done = new java.util.HashSet<>();
            long weights = 0;
            long flops = 0;
            for (int u = 0; u < units.size(); u++) {
                GraphUnit unit = units.get(u);
                for (int node : unit.nodeIndices()) {
                    seen[node]++;
                    // the concatenated units are a topological order: every producer comes first
                    for (String in : g.node(node).inputs()) {
                        int p = g.producer(in);
                        assertTrue(p < 0 || done.contains(p), g.node(node).name() + " before its input " + in);
                    }
                    done.add(node);
                }
                weights += unit.weightBytes();
                flops += unit.flops();
                if (u > 0) {
                    assertEquals(units.get(u - 1).outputBytes(), unit.inputBytes(), unit.name());
                    assertEquals(units.get(u - 1).outputTensors(), unit.inputTensors(), unit.name());
                }
                assertTrue(unit.outputBytes() > 0, unit.name());
            }
            for (int i = 0; i < seen.length; i++) {
                assertEquals(1, seen[i], "node " + g.node(i).name());
            }
            assertEquals(g.weightBytes(), weights);
            assertEquals(s.totalFlops(), flops);
            long inputs = s.inputShapes().keySet().stream().mapToLong(s::bytes).sum();
            assertEquals(inputs, units.get(0).inputBytes());
            long outputs = g.outputs().stream().mapToLong(s::bytes).sum();
            assertEquals(outputs, units.get(units.size() - 1).outputBytes());
        }
    }

    @Test
    void resnet18IsStemEightResidualBlocksAndHead() {
        OnnxGraph g = load("resnet18.onnx");
        List<GraphUnit> units = UnitGrouping.dominators(g, GraphShapes.infer(g, InputShapes.none()));
        assertEquals(13, units.size());
        List<GraphUnit> blocks = units.stream().filter(u -> u.opTypes().contains("Add")).toList();
        assertEquals(8, blocks.size());
        for (GraphUnit b : blocks) {
            assertEquals(1, b.opTypes().stream().filter("Add"::equals).count(), b.name());
        }
        assertEquals(List.of("Conv", "Relu"), units.get(0).opTypes());
        assertEquals(List.of("Gemm"), units.get(12).opTypes());
        assertEquals(1000 * 4, units.get(12).outputBytes());
        // the first block's cut: 64 x 56 x 56 float32
        assertEquals(64L * 56 * 56 * 4, blocks.get(0).outputBytes());
    }

    @Test
    void googlenetHasEachInceptionModuleAsOneUnit() {
        OnnxGraph g = load("googlenet.onnx");
        List<GraphUnit> units = UnitGrouping.dominators(g, GraphShapes.infer(g, InputShapes.none()));
        List<String> inception = units.stream().filter(u -> u.opTypes().contains("Concat")).map(GraphUnit::name)
                .toList();
        assertEquals(List.of("/inception3a/Concat", "/inception3b/Concat", "/inception4a/Concat",
                "/inception4b/Concat", "/inception4c/Concat", "/inception4d/Concat", "/inception4e/Concat",
                "/inception5a/Concat", "/inception5b/Concat"), inception);
        for (GraphUnit u : units) {
            if (u.opTypes().contains("Concat")) {
                String module = u.name().substring(0, u.name().indexOf("/Concat"));
                assertTrue(u.nodeNames().stream().filter(n -> !n.startsWith("Identity"))
                        .allMatch(n -> n.startsWith(module + "/")), u.nodeNames().toString());
            }
        }
        assertEquals(19, units.size());
    }

    @Test
    void inceptionV3ModulesAreUnits() {
        OnnxGraph g = load("inception_v3.onnx");
        List<GraphUnit> units = UnitGrouping.dominators(g, GraphShapes.infer(g, InputShapes.none()));
        assertEquals(11, units.stream().filter(u -> u.opTypes().contains("Concat")).count());
    }

    /** x feeds a Relu and a Sigmoid whose results are added: cuts inside the diamond carry both branches. */
    @Test
    void nodeLevelCutsCountEveryOpenBranch() {
        ModelProto m = TestModels.model(13, List.of(TestModels.tensor("x", DataTypes.FLOAT, 1, 4)),
                List.of(TestModels.tensor("z", DataTypes.FLOAT, 1, 4)), List.of(),
                List.of(TestModels.node("a", "Relu", List.of("x"), List.of("ya")),
                        TestModels.node("b", "Sigmoid", List.of("x"), List.of("yb")),
                        TestModels.node("sum", "Add", List.of("ya", "yb"), List.of("y")),
                        TestModels.node("out", "Neg", List.of("y"), List.of("z"))));
        OnnxGraph g = OnnxGraph.of(m, "diamond");
        GraphShapes s = GraphShapes.infer(g, InputShapes.none());
        List<GraphUnit> nodes = UnitGrouping.nodes(g, s);
        assertEquals(4, nodes.size());
        assertEquals(List.of("x"), nodes.get(0).inputTensors());
        assertEquals(List.of("x", "ya"), nodes.get(0).outputTensors());
        assertEquals(32, nodes.get(0).outputBytes());
        assertEquals(List.of("ya", "yb"), nodes.get(1).outputTensors());
        assertEquals(32, nodes.get(1).outputBytes());
        assertEquals(16, nodes.get(2).outputBytes());
        List<List<Integer>> dom = UnitGrouping.dominatorGroups(g);
        assertEquals(List.of(List.of(0, 1, 2), List.of(3)), dom);
    }

    @Test
    void shapeSubgraphsJoinTheirConsumerAndDoNotCountAsActivations() {
        OnnxGraph g = load(TestModels.MINILM);
        GraphShapes s = GraphShapes.infer(g, InputShapes.parse("batch_size=1,sequence_length=128"));
        List<GraphUnit> nodes = UnitGrouping.nodes(g, s);
        for (GraphUnit u : nodes) {
            assertEquals(1, u.nodeIndices().stream().filter(i -> !g.isFree(i)).count(), u.name());
            for (String t : u.outputTensors()) {
                assertTrue(g.isActivation(t), t);
            }
        }
        // the attention mask stays live across every layer: every cut inside the encoder carries it
        GraphUnit inLayer3 = nodes.stream().filter(u -> u.name().startsWith("/encoder/layer.3/attention/self/"))
                .findFirst().orElseThrow();
        assertTrue(inLayer3.outputTensors().size() >= 2, inLayer3.outputTensors().toString());
    }

    @Test
    void unitsBecomeACostProfileAndAProfileDocument() {
        OnnxGraph g = load("resnet18.onnx");
        GraphShapes s = GraphShapes.infer(g, InputShapes.none());
        List<GraphUnit> units = UnitGrouping.dominators(g, s);
        List<UnitTimes> times = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            times.add(new UnitTimes(i + 1, 0.5, 0.1));
        }
        CostProfile p = UnitGrouping.toCostProfile("resnet18", units, times, 0.25);
        assertEquals(13, p.units().size());
        assertEquals(units.get(3).weightBytes(), p.units().get(3).weightBytes());
        assertEquals(units.get(3).nodeNames(), p.units().get(3).layers());
        assertEquals(4.0, p.units().get(3).clientMs());
        ProfileDocument doc = UnitGrouping.toDocument(s, "dominator", units, times, 0.25);
        assertEquals(List.of(1L, 3L, 224L, 224L), doc.inputShape().get("input"));
        ProfileDocument back = ProfileJson.read(new java.io.ByteArrayInputStream(ProfileJson.toJson(doc)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)), "mem");
        assertEquals(doc, back);
        assertThrows(IllegalArgumentException.class,
                () -> UnitGrouping.toCostProfile("resnet18", units, times.subList(0, 3), 0));
    }

    @Test
    void inspectTableRowsAndText() {
        InspectTable t = InspectTable.inspect(TestModels.shared("bvlc_alexnet.onnx"), "", "node");
        assertEquals(22, t.rows().size());
        InspectTable.Row conv1 = t.rows().get(0);
        assertEquals("Conv", conv1.ops());
        assertEquals(96L * 55 * 55 * 4, conv1.activationBytes());
        String text = t.render();
        assertTrue(text.contains("input  data_0 [1,3,227,227]"), text);
        assertTrue(text.contains("total"), text);
        assertEquals(Arrays.stream(text.split("\n")).filter(l -> l.matches("\\s*\\d+\\s.*")).count(), 22);
        assertEquals("232.6 MiB", InspectTable.bytes(t.totalWeightBytes()));
    }
}
