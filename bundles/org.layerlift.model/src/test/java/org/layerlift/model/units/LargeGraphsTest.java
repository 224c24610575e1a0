package org.layerlift.model.units;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.onnx.OnnxNode;
import org.layerlift.model.onnx.TestModels;

/**
 * The two large graphs exported by testdata/models/export.py (densenet121: deep concatenation; vit_b_16: a
 * transformer at opset 13, LayerNorm and GELU decomposed) import, infer shapes at 1x3x224x224 and group.
 */
class LargeGraphsTest {

    private static final long INPUT_BYTES = 3L * 224 * 224 * 4;
    private static final long LOGITS_BYTES = 1000L * 4;

    private static OnnxGraph load(String model) {
        return OnnxGraph.load(TestModels.shared(model + ".onnx"));
    }

    private static GraphShapes shapes(OnnxGraph g) {
        return GraphShapes.infer(g, InputShapes.parse("1,3,224,224"));
    }

    /** Bytes the file holds inline (small initializers and Constant values), read from the proto, not from dims. */
    private static long inlineBytes(OnnxGraph g) {
        long sum = 0;
        for (TensorProto t : g.proto().getGraph().getInitializerList()) {
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                sum += t.getRawData().size();
            }
        }
        for (NodeProto n : g.proto().getGraph().getNodeList()) {
            if (n.getOpType().equals("Constant")) {
                sum += n.getAttribute(0).getT().getRawData().size();
            }
        }
        return sum;
    }

    @ParameterizedTest
    @CsvSource({
        // model, top-level nodes, node units, dominator units, params (external length), GFLOPs (2 x MACs + rest)
        "densenet121, 623, 375, 18, 31708832, 5.708",
        "vit_b_16, 1024, 616, 35, 345981856, 35.273"})
    void importShapesAndUnitCounts(String model, int nodes, int nodeUnits, int dominatorUnits, long external,
            double gflops) {
        OnnxGraph g = load(model);
        assertEquals(13, g.opset());
        assertEquals(nodes, g.size());
        assertEquals(external, Long.parseLong(g.metadata("external_weights_length")));
        // dims x element size of every stored tensor = the external file's length + the inline bytes
        assertEquals(external + inlineBytes(g), g.weightBytes(), model);
        GraphShapes s = shapes(g);
        assertEquals(List.of("output"), g.outputs());
        assertArrayEquals(new long[] {1, 1000}, s.shape("output"));
        assertEquals(gflops, s.totalFlops() / 1e9, 0.001);

        List<GraphUnit> units = UnitGrouping.nodes(g, s);
        assertEquals(nodeUnits, units.size());
        long working = g.nodes().stream().filter(n -> !g.isFree(n.index())).count();
        assertEquals(working, units.size(), "one working node per node unit");
        assertEquals(dominatorUnits, UnitGrouping.dominators(g, s).size());
        assertChain(g, s, units);
    }

    /** A partition of the nodes into a topological chain whose cuts and sums agree with the graph. */
    private static void assertChain(OnnxGraph g, GraphShapes s, List<GraphUnit> units) {
        Set<Integer> done = new HashSet<>();
        long weights = 0;
        long flops = 0;
        for (int u = 0; u < units.size(); u++) {
            GraphUnit unit = units.get(u);
            int workingNodes = 0;
            for (int node : unit.nodeIndices()) {
                for (String in : g.node(node).inputs()) {
                    int p = g.producer(in);
                    assertTrue(p < 0 || done.contains(p), g.node(node).name() + " before its input " + in);
                }
                assertTrue(done.add(node), "node in two units: " + g.node(node).name());
                workingNodes += g.isFree(node) ? 0 : 1;
            }
            assertEquals(1, workingNodes, unit.name());
            if (u > 0) {
                assertEquals(units.get(u - 1).outputBytes(), unit.inputBytes(), unit.name());
            }
            assertTrue(unit.outputBytes() > 0, unit.name());
            weights += unit.weightBytes();
            flops += unit.flops();
        }
        assertEquals(g.size(), done.size());
        assertEquals(g.weightBytes(), weights);
        assertEquals(s.totalFlops(), flops);
        assertEquals(INPUT_BYTES, units.get(0).inputBytes());
        assertEquals(LOGITS_BYTES, units.get(units.size() - 1).outputBytes());
    }

    @Test
    void densenetBlocksAreDominatorUnitsAndConcatenationsGrow() {
        OnnxGraph g = load("densenet121");
        GraphShapes s = shapes(g);
        List<GraphUnit> dom = UnitGrouping.dominators(g, s);
        // each dense block (6, 12, 24, 16 layers of 1x1 and 3x3 conv) is one unit, with the next transition's BN+ReLU
        List<Long> convsPerBlock = new ArrayList<>();
        for (GraphUnit u : dom) {
            long convs = u.opTypes().stream().filter("Conv"::equals).count();
            if (convs > 1) {
                convsPerBlock.add(convs);
            }
        }
        assertEquals(List.of(12L, 24L, 48L, 32L), convsPerBlock);
        // the last block ends at 1024 channels, 7x7; the head is GlobalAveragePool, Flatten, Gemm
        OnnxNode lastConcat = g.nodes().stream().filter(n -> n.opType().equals("Concat")).reduce((a, b) -> b)
                .orElseThrow();
        assertArrayEquals(new long[] {1, 1024, 7, 7}, s.shape(lastConcat.outputs().get(0)));
        assertEquals(List.of("GlobalAveragePool", "Flatten", "Gemm"),
                dom.subList(dom.size() - 3, dom.size()).stream().map(u -> u.opTypes().get(0)).toList());
        // classifier 1024 -> 1000 with bias
        assertEquals((1024L * 1000 + 1000) * 4, dom.get(dom.size() - 1).weightBytes());
        // inside a block every earlier feature map stays live: a node cut there carries more than one tensor
        List<GraphUnit> nodes = UnitGrouping.nodes(g, s);
        int maxLive = nodes.stream().mapToInt(u -> u.outputTensors().size()).max().orElseThrow();
        assertTrue(maxLive >= 2, "live tensors at the widest node cut: " + maxLive);
    }

    @Test
    void vitHasTwelveEncoderLayersOfAttentionAndMlp() {
        OnnxGraph g = load("vit_b_16");
        GraphShapes s = shapes(g);
        OnnxNode patches = g.nodes().stream().filter(n -> n.opType().equals("Conv")).findFirst().orElseThrow();
        assertArrayEquals(new long[] {1, 768, 14, 14}, s.shape(patches.outputs().get(0)));
        List<OnnxNode> softmax = g.nodes().stream().filter(n -> n.opType().equals("Softmax")).toList();
        assertEquals(12, softmax.size());
        for (OnnxNode n : softmax) {
            // 12 heads x 197 tokens (196 patches + class token)
            assertArrayEquals(new long[] {12, 197, 197}, s.shape(n.outputs().get(0)), n.name());
        }
        List<GraphUnit> dom = UnitGrouping.dominators(g, s);
        long attention = dom.stream().filter(u -> u.opTypes().contains("Softmax")).count();
        long mlp = dom.stream().filter(u -> u.opTypes().contains("Erf")).count();
        assertEquals(12, attention);
        assertEquals(12, mlp);
        // every cut inside the encoder carries the token matrix 197 x 768 float
        for (GraphUnit u : dom) {
            if (u.name().startsWith("/encoder/layers/")) {
                assertEquals(197L * 768 * 4, u.outputBytes(), u.name());
            }
        }
        // the MLP of one layer, 768 -> 3072 -> 768, with LayerNorm: both matrices, at most all biases and scales
        // (random init makes biases zero and LayerNorm scales one: the exporter stores equal tensors once, and a
        // tensor counts at its first reader, so later layers may hold fewer of them)
        GraphUnit mlp0 = dom.stream().filter(u -> u.name().equals("/encoder/layers/encoder_layer_0/Add_1"))
                .findFirst().orElseThrow();
        long matrices = 768L * 3072 * 2 * 4;
        long vectors = (3072L + 768 + 2 * 768) * 4;
        assertTrue(mlp0.weightBytes() >= matrices && mlp0.weightBytes() <= matrices + vectors,
                "" + mlp0.weightBytes());
        OnnxNode classToken = g.nodes().stream().filter(n -> n.opType().equals("Gather") && !g.isFree(n.index()))
                .reduce((a, b) -> b).orElseThrow();
        assertArrayEquals(new long[] {1, 768}, s.shape(classToken.outputs().get(0)));
    }
}
