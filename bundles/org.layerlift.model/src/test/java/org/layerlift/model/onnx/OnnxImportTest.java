package org.layerlift.model.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OnnxImportTest {

    static List<String> shared() {
        return TestModels.SHARED;
    }

    /** What the file says independently of our dims arithmetic: the external file length plus every inline byte. */
    private static long storedBytes(ModelProto m) {
        long sum = 0;
        for (TensorProto t : m.getGraph().getInitializerList()) {
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                sum += t.getRawData().size();
            }
        }
        for (NodeProto n : m.getGraph().getNodeList()) {
            if (n.getOpType().equals("Constant")) {
                sum += n.getAttribute(0).getT().getRawData().size();
            }
        }
        return sum;
    }

    @ParameterizedTest
    @MethodSource("shared")
    void sharedModelsImportWithWeightsMatchingTheExternalFile(String file) {
        OnnxGraph g = OnnxGraph.load(TestModels.shared(file));
        assertEquals(13, g.opset());
        long external = Long.parseLong(g.metadata("external_weights_length"));
        assertEquals(external + storedBytes(g.proto()), g.weightBytes(), file);
        GraphShapes s = GraphShapes.infer(g, InputShapes.none());
        assertEquals(1, g.outputs().size());
        assertArrayEquals(new long[] {1, 1000}, s.shape(g.outputs().get(0)), file);
        assertTrue(s.totalFlops() > 0);
        for (OnnxNode n : g.nodes()) {
            for (String out : n.outputs()) {
                assertTrue(s.bytes(out) >= 0);
            }
        }
    }

    @Test
    void alexnetLayerShapesAndFlops() {
        OnnxGraph g = OnnxGraph.load(TestModels.shared("bvlc_alexnet.onnx"));
        GraphShapes s = GraphShapes.infer(g, InputShapes.none());
        OnnxNode conv1 = g.nodes().stream().filter(n -> n.opType().equals("Conv")).findFirst().orElseThrow();
        assertArrayEquals(new long[] {1, 96, 55, 55}, s.shape(conv1.outputs().get(0)));
        assertEquals(96L * 55 * 55 * 4, s.bytes(conv1.outputs().get(0)));
        assertEquals(2L * 96 * 55 * 55 * 3 * 11 * 11, s.flops(conv1.index()));
        assertEquals((96L * 3 * 11 * 11 + 96) * 4, conv1.weightBytes());
        assertArrayEquals(new long[] {1, 3, 227, 227}, s.inputShapes().get("data_0"));
    }

    @Test
    void resnetAndInceptionShapes() {
        OnnxGraph r = OnnxGraph.load(TestModels.shared("resnet18.onnx"));
        GraphShapes rs = GraphShapes.infer(r, InputShapes.none());
        // 1.82 G multiply-adds for ResNet-18 at 224x224
        assertEquals(3.63e9, rs.totalFlops(), 0.02e9);
        assertArrayEquals(new long[] {1, 512, 1, 1}, rs.shape("/avgpool/GlobalAveragePool_output_0"));

        OnnxGraph inc = OnnxGraph.load(TestModels.shared("inception_v3.onnx"));
        GraphShapes is = GraphShapes.infer(inc, InputShapes.none());
        OnnxNode lastConcat = inc.nodes().stream().filter(n -> n.opType().equals("Concat"))
                .reduce((a, b) -> b).orElseThrow();
        assertArrayEquals(new long[] {1, 2048, 8, 8}, is.shape(lastConcat.outputs().get(0)));
    }

    @Test
    void freeNodesAreConstantsWeightIdentitiesAndShapes() {
        OnnxGraph g = OnnxGraph.load(TestModels.shared("googlenet.onnx"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i : g.topologicalOrder()) {
            OnnxNode n = g.node(i);
            if (n.opType().equals("Identity")) {
                assertTrue(g.isFree(n.index()), n.name() + " reads only a weight");
                String weight = n.inputs().get(0);
                assertTrue(g.initializers().containsKey(weight));
                // the exporter lets several Identity nodes read one initializer: its bytes count once, at the first
                assertEquals(seen.add(weight) ? g.initializers().get(weight).bytes() : 0, n.weightBytes(), n.name());
            } else {
                assertFalse(g.isFree(n.index()), n.name());
            }
        }
    }

    @Test
    void ocrDetectorWithWeightsInConstantNodesAndDynamicSize() {
        OnnxGraph g = OnnxGraph.load(TestModels.real(TestModels.OCR));
        assertEquals(0, g.initializers().size());
        assertEquals(storedBytes(g.proto()), g.weightBytes());
        assertTrue(g.weightBytes() > 4_000_000, "PP-OCRv4 det has ~4.7 MB of weights: " + g.weightBytes());
        GraphShapes s = GraphShapes.infer(g, InputShapes.parse("1,3,640,640"));
        assertArrayEquals(new long[] {1, 1, 640, 640}, s.shape(g.outputs().get(0)));
        GraphShapes small = GraphShapes.infer(g, InputShapes.parse("x=1,3,320,480"));
        assertArrayEquals(new long[] {1, 1, 320, 480}, small.shape(g.outputs().get(0)));
    }

    @Test
    void quantizedMiniLmWithShapeSubgraphs() {
        OnnxGraph g = OnnxGraph.load(TestModels.real(TestModels.MINILM));
        assertEquals(List.of("input_ids", "attention_mask", "token_type_ids"), g.inputNames());
        GraphShapes s = GraphShapes.infer(g, InputShapes.parse("batch_size=1,sequence_length=128"));
        assertArrayEquals(new long[] {1, 128, 384}, s.shape("last_hidden_state"));
        assertEquals(128L * 384 * 4, s.bytes("last_hidden_state"));
        GraphShapes s64 = GraphShapes.infer(g, InputShapes.parse(
                "input_ids=1,64;attention_mask=1,64;token_type_ids=1,64"));
        assertArrayEquals(new long[] {1, 64, 384}, s64.shape("last_hidden_state"));
        // int8 weights: 6 layers x (4 x 384^2 + 2 x 384 x 1536) MatMulInteger bytes and the 30522 x 384 word embedding
        long int8 = 6L * (4 * 384 * 384 + 2 * 384 * 1536) + 30522L * 384;
        assertTrue(g.weightBytes() > int8 && g.weightBytes() < int8 * 11 / 10, "" + g.weightBytes());
        OnnxNode words = g.nodes().stream().filter(n -> n.name().equals("/embeddings/word_embeddings/Gather"))
                .findFirst().orElseThrow();
        assertEquals(30522L * 384, words.weightBytes());
        long matmulIntegerFlops = 0;
        for (OnnxNode n : g.nodes()) {
            if (n.opType().equals("MatMulInteger")) {
                matmulIntegerFlops += s.flops(n.index());
            }
        }
        assertEquals(2L * 128 * (6L * (4 * 384 * 384 + 2 * 384 * 1536)), matmulIntegerFlops);
    }

    @Test
    void emptyAndDuplicateNodeNamesAreSynthesized() {
        ModelProto m = TestModels.model(13, List.of(TestModels.tensor("x", DataTypes.FLOAT, 1, 4)),
                List.of(TestModels.tensor("z", DataTypes.FLOAT, 1, 4)), List.of(),
                List.of(TestModels.node("", "Relu", List.of("x"), List.of("y")),
                        TestModels.node("", "Sigmoid", List.of("y"), List.of("y2")),
                        TestModels.node("Sigmoid_1", "Neg", List.of("y2"), List.of("y3")),
                        TestModels.node("Sigmoid_1", "Abs", List.of("y3"), List.of("z"))));
        OnnxGraph g = OnnxGraph.of(m, "names");
        assertEquals(List.of("Relu_0", "Sigmoid_1_2", "Sigmoid_1", "Abs_3"),
                g.nodes().stream().map(OnnxNode::name).toList());
    }

    @Test
    void weightSharedByTwoNodesCountsOnceAtTheFirstConsumer() {
        ModelProto m = TestModels.model(13, List.of(TestModels.tensor("x", DataTypes.FLOAT, 2, 8)),
                List.of(TestModels.tensor("z", DataTypes.FLOAT, 2, 8)),
                List.of(TestModels.floatWeight("w", 8, 8)),
                List.of(TestModels.node("b", "MatMul", List.of("y", "w"), List.of("z")),
                        TestModels.node("a", "MatMul", List.of("x", "w"), List.of("y"))));
        OnnxGraph g = OnnxGraph.of(m, "shared");
        // file order b, a; topological order a, b
        assertArrayEquals(new int[] {1, 0}, g.topologicalOrder());
        assertEquals(256, g.node(1).weightBytes());
        assertEquals(0, g.node(0).weightBytes());
        GraphShapes s = GraphShapes.infer(g, InputShapes.none());
        assertEquals(2L * 2 * 8 * 8, s.flops(0));
    }
}
