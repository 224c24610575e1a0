package org.layerlift.model.surgery;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.HashMap;
import java.util.Map;

/**
 * Element types of every tensor of a graph: declared ones (inputs, outputs, value_info, initializers) first, the rest
 * propagated through the nodes in file order by operator rules. Shapes are not inferred here; a cut tensor without a
 * declared shape gets an element type and an unknown shape, which ONNX Runtime accepts.
 */
final class ElemTypes {

    private static final int FLOAT = DataType.FLOAT_VALUE;
    private static final int INT64 = DataType.INT64_VALUE;
    private static final int INT32 = DataType.INT32_VALUE;
    private static final int UINT8 = DataType.UINT8_VALUE;
    private static final int BOOL = DataType.BOOL_VALUE;

    private ElemTypes() {}

    /** Tensor name → ONNX element type, for every tensor whose type is declared or can be inferred. */
    static Map<String, Integer> of(GraphProto g) {
        Map<String, Integer> types = new HashMap<>();
        for (var t : g.getInitializerList()) {
            types.put(t.getName(), t.getDataType());
        }
        declare(types, g.getInputList());
        declare(types, g.getOutputList());
        declare(types, g.getValueInfoList());
        for (NodeProto n : g.getNodeList()) {
            for (int i = 0; i < n.getOutputCount(); i++) {
                String out = n.getOutput(i);
                if (out.isEmpty() || types.containsKey(out)) {
                    continue;
                }
                int t = infer(n, i, types);
                if (t > 0) {
                    types.put(out, t);
                }
            }
        }
        return types;
    }

    private static void declare(Map<String, Integer> types, Iterable<ValueInfoProto> infos) {
        for (ValueInfoProto v : infos) {
            if (v.getType().hasTensorType() && v.getType().getTensorType().getElemType() > 0) {
                types.putIfAbsent(v.getName(), v.getType().getTensorType().getElemType());
            }
        }
    }

    private static int input(NodeProto n, int i, Map<String, Integer> types) {
        if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
            return 0;
        }
        return types.getOrDefault(n.getInput(i), 0);
    }

    private static int firstInput(NodeProto n, Map<String, Integer> types) {
        for (int i = 0; i < n.getInputCount(); i++) {
            if (!n.getInput(i).isEmpty()) {
                return types.getOrDefault(n.getInput(i), 0);
            }
        }
        return 0;
    }

    private static AttributeProto attribute(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** The element type of output {@code i} of node {@code n}, or 0 if no rule knows it. */
    static int infer(NodeProto n, int i, Map<String, Integer> types) {
        String op = n.getOpType();
        switch (op) {
            case "Constant": {
                for (AttributeProto a : n.getAttributeList()) {
                    switch (a.getName()) {
                        case "value": return a.getT().getDataType();
                        case "value_float", "value_floats": return FLOAT;
                        case "value_int", "value_ints": return INT64;
                        case "value_string", "value_strings": return DataType.STRING_VALUE;
                        case "sparse_value": return a.getSparseTensor().getValues().getDataType();
                        default: break;
                    }
                }
                return 0;
            }
            case "Shape", "Size", "NonZero", "ArgMax", "ArgMin", "NonMaxSuppression":
                return INT64;
            case "Cast", "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "EyeLike": {
                AttributeProto to = attribute(n, op.equals("Cast") ? "to" : "dtype");
                if (to != null) {
                    return (int) to.getI();
                }
                return op.endsWith("Like") ? firstInput(n, types) : FLOAT;
            }
            case "CastLike":
                return input(n, 1, types);
            case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Xor", "IsNaN",
                    "IsInf":
                return BOOL;
            case "DynamicQuantizeLinear":
                return i == 1 ? FLOAT : UINT8;
            case "QuantizeLinear": {
                int zp = input(n, 2, types);
                return zp > 0 ? zp : UINT8;
            }
            case "DequantizeLinear":
                return input(n, 1, types);
            case "MatMulInteger", "ConvInteger":
                return INT32;
            case "QLinearConv", "QLinearMatMul":
                return input(n, 7, types);
            case "ConstantOfShape": {
                AttributeProto v = attribute(n, "value");
                return v != null ? v.getT().getDataType() : FLOAT;
            }
            case "Where":
                return input(n, 1, types);
            case "OneHot":
                return input(n, 2, types);
            case "TopK":
                return i == 1 ? INT64 : firstInput(n, types);
            case "MaxPool":
                return i == 1 ? INT64 : firstInput(n, types);
            case "Dropout":
                return i == 1 ? BOOL : firstInput(n, types);
            case "Unique":
                return i == 0 ? firstInput(n, types) : INT64;
            case "If", "Loop", "Scan", "SequenceConstruct", "SequenceAt", "SplitToSequence":
                return 0; // declared value_info or bust
            default:
                // elementwise, shape-moving, pooling, normalisation, convolution, matmul, reduction: the first input
                return firstInput(n, types);
        }
    }
}
