package org.layerlift.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The test models (copied to target by the pom) and builders for small models made in code. */
public final class TestModels {

    public static final List<String> SHARED = List.of("bvlc_alexnet.onnx", "googlenet.onnx", "inception_v3.onnx",
            "mobilenet_v2.onnx", "resnet18.onnx", "resnet50.onnx", "squeezenet1_1.onnx", "vgg16.onnx");
    public static final String OCR = "models/ch_PP-OCRv4_det_infer.onnx";
    public static final String MINILM = "all-minilm-l6-v2-q.onnx";

    private TestModels() {
    }

    public static Path shared(String file) {
        return existing(Path.of(System.getProperty("layerlift.testdata", "target/test-classes/models"), file));
    }

    public static Path real(String file) {
        return existing(Path.of(System.getProperty("layerlift.testmodels", "target/test-models"), file));
    }

    private static Path existing(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("test model missing: " + p.toAbsolutePath()
                    + " (run through Maven: the pom copies and unpacks the models)");
        }
        return p;
    }

    public static ValueInfoProto tensor(String name, int type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String s) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(s));
            } else {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
            }
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(type)
                        .setShape(shape)))
                .build();
    }

    public static NodeProto node(String name, String op, List<String> inputs, List<String> outputs,
            AttributeProto... attributes) {
        NodeProto.Builder b = NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs)
                .addAllOutput(outputs);
        for (AttributeProto a : attributes) {
            b.addAttribute(a);
        }
        return b.build();
    }

    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    public static TensorProto floatWeight(String name, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataTypes.FLOAT);
        for (long d : dims) {
            b.addDims(d);
        }
        return b.build();
    }

    public static TensorProto int64s(String name, long... values) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(DataTypes.INT64)
                .addDims(values.length);
        for (long v : values) {
            b.addInt64Data(v);
        }
        return b.build();
    }

    /** A model of these nodes at the given default opset. */
    public static ModelProto model(int opset, List<ValueInfoProto> inputs, List<ValueInfoProto> outputs,
            List<TensorProto> initializers, List<NodeProto> nodes) {
        GraphProto g = GraphProto.newBuilder().setName("g").addAllInput(inputs).addAllOutput(outputs)
                .addAllInitializer(initializers).addAllNode(nodes).build();
        return ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).build();
    }
}
