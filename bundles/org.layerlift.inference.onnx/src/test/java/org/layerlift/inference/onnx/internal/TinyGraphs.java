package org.layerlift.inference.onnx.internal;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.layerlift.api.inference.SegmentSpec;

/** Small hand-made segment graphs: identities of each element type, and a long MatMul chain that runs for minutes. */
final class TinyGraphs {

    private TinyGraphs() {}

    /**
     * y = Identity(x) for element type {@code type}; a dimension of -1 in {@code dims} becomes a symbolic one.
     */
    static SegmentSpec identity(String key, int type, long... dims) {
        GraphProto g = GraphProto.newBuilder().setName("identity")
                .addNode(NodeProto.newBuilder().setOpType("Identity").setName("id").addInput("x").addOutput("y"))
                .addInput(info("x", type, dims)).addOutput(info("y", type, dims)).build();
        return new SegmentSpec(key, model(g).toByteArray(), 0, Map::of);
    }

    /**
     * y = x·W·…·W: {@code length} MatMuls of x[batch, n] by one W[n, n] = I, with W external (supplied by the spec's
     * weights), so y = x. ORT checks its terminate flag between nodes: a long chain of heavy nodes runs for
     * minutes, yet a terminated run stops within one node's time.
     */
    static SegmentSpec matmulChain(String key, int n, int length, long batch) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("chain");
        String prev = "x";
        for (int i = 0; i < length; i++) {
            String out = i == length - 1 ? "y" : "h" + i;
            g.addNode(NodeProto.newBuilder().setOpType("MatMul").setName("mm" + i).addInput(prev).addInput("W")
                    .addOutput(out));
            prev = out;
        }
        g.addInitializer(TensorProto.newBuilder().setName("W").setDataType(1).addDims(n).addDims(n)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("uploaded"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length")
                        .setValue(Long.toString(4L * n * n))));
        g.addInput(info("x", 1, batch, n)).addOutput(info("y", 1, batch, n));
        long bytes = 4L * n * n;
        return new SegmentSpec(key, model(g.build()).toByteArray(), bytes, () -> Map.of("W", identityMatrix(n)));
    }

    /** W = I: the chain keeps x as it is, so its result is checkable. */
    private static ByteBuffer identityMatrix(int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(4 * (i * n + i), 1f);
        }
        return b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * y = x + Constant(c) + Cast(u, float), x and y float[3]: {@code c} is an external tensor in a Constant node's
     * value and {@code u} an external uint16 initializer, the two kinds the builder embeds rather than passing as
     * external initializers. Weights: c = [1, 2, 3], u = [10, 20, 30].
     */
    static SegmentSpec constantAndUint16(String key) {
        TensorProto c = external(TensorProto.newBuilder().setName("c").setDataType(1).addDims(3), 12);
        TensorProto u = external(TensorProto.newBuilder().setName("u").setDataType(4).addDims(3), 6);
        GraphProto g = GraphProto.newBuilder().setName("embedded")
                .addNode(NodeProto.newBuilder().setOpType("Constant").setName("const").addOutput("cv")
                        .addAttribute(ai.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("value")
                                .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.TENSOR).setT(c)))
                .addNode(NodeProto.newBuilder().setOpType("Cast").setName("cast").addInput("u").addOutput("uf")
                        .addAttribute(ai.onnx.proto.OnnxMl.AttributeProto.newBuilder().setName("to")
                                .setType(ai.onnx.proto.OnnxMl.AttributeProto.AttributeType.INT).setI(1)))
                .addNode(NodeProto.newBuilder().setOpType("Add").setName("add1").addInput("x").addInput("cv")
                        .addOutput("s"))
                .addNode(NodeProto.newBuilder().setOpType("Add").setName("add2").addInput("s").addInput("uf")
                        .addOutput("y"))
                .addInitializer(u).addInput(info("x", 1, 3)).addOutput(info("y", 1, 3)).build();
        ByteBuffer cb = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(1).putFloat(2).putFloat(3)
                .flip();
        ByteBuffer ub = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 10)
                .putShort((short) 20).putShort((short) 30).flip();
        // fresh views per load: the loader is called again whenever the session is rebuilt
        return new SegmentSpec(key, model(g).toByteArray(), 18, () -> Map.of("c", cb.asReadOnlyBuffer(),
                "u", ub.asReadOnlyBuffer()));
    }

    private static TensorProto external(TensorProto.Builder t, long length) {
        return t.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("uploaded"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(length)))
                .build();
    }

    static ValueInfoProto info(String name, int type, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (int i = 0; i < dims.length; i++) {
            shape.addDim(dims[i] >= 0 ? TensorShapeProto.Dimension.newBuilder().setDimValue(dims[i])
                    : TensorShapeProto.Dimension.newBuilder().setDimParam("d" + i));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
    }

    static ModelProto model(GraphProto g) {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("layerlift-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
    }
}
