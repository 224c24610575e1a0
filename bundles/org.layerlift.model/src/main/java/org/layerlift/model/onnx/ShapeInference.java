package org.layerlift.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward shape inference over the topological order, with constant folding of small tensors (shape arithmetic such
 * as {@code Shape -> Gather -> Unsqueeze -> Concat -> Reshape}), and a FLOP estimate per node: 2 x MACs for
 * Conv/ConvTranspose/Gemm/MatMul/MatMulInteger, output elements x kernel size for pooling, input elements for
 * reductions and global pooling, output elements (times a small constant for transcendental ops) for elementwise
 * ops, 0 for data movement.
 */
final class ShapeInference {

    /** Largest tensor (elements) whose value is decoded or folded. */
    static final long FOLD_LIMIT = 1 << 16;

    private final OnnxGraph graph;
    private final Map<String, long[]> inputShapes;
    private final Map<String, TensorValue> tensors = new HashMap<>();
    private final long[] flops;
    private final int opset;

    ShapeInference(OnnxGraph graph, Map<String, long[]> inputShapes) {
        this.graph = graph;
        this.inputShapes = inputShapes;
        this.flops = new long[graph.size()];
        this.opset = graph.opset();
    }

    GraphShapes run() {
        for (TensorProto t : graph.proto().getGraph().getInitializerList()) {
            tensors.put(t.getName(), TensorValue.stored(t));
        }
        for (var v : graph.inputs()) {
            tensors.put(v.getName(), new TensorValue(v.getType().getTensorType().getElemType(),
                    inputShapes.get(v.getName())));
        }
        for (int i : graph.topologicalOrder()) {
            OnnxNode node = graph.node(i);
            Ctx c = new Ctx(node);
            try {
                infer(c);
            } catch (ArithmeticException | IndexOutOfBoundsException | NegativeArraySizeException e) {
                throw c.error("cannot infer output shapes from inputs " + c.describeInputs() + ": " + e);
            }
            for (int k = 0; k < node.outputs().size(); k++) {
                String out = node.outputs().get(k);
                if (!out.isEmpty() && !tensors.containsKey(out)) {
                    throw c.error("no shape inferred for output '" + out + "'");
                }
            }
        }
        return new GraphShapes(graph, inputShapes, tensors, flops);
    }

    /** One node being inferred. */
    private final class Ctx {
        final OnnxNode node;

        Ctx(OnnxNode node) {
            this.node = node;
        }

        boolean has(int i) {
            return !node.input(i).isEmpty();
        }

        TensorValue in(int i) {
            String name = node.input(i);
            if (name.isEmpty()) {
                throw error("input #" + i + " is required but missing");
            }
            return tensors.get(name);
        }

        long[] shape(int i) {
            return in(i).shape;
        }

        /** The known integer value of input i, or an error naming it. */
        long[] ints(int i, String what) {
            long[] v = in(i).ints();
            if (v == null) {
                throw error(what + " (input '" + node.input(i) + "') must be a constant the importer can fold,"
                        + " but its value is not known (" + in(i) + ")");
            }
            return v;
        }

        double[] floats(int i, String what) {
            double[] v = in(i).floats();
            if (v == null) {
                throw error(what + " (input '" + node.input(i) + "') must be a constant the importer can fold,"
                        + " but its value is not known (" + in(i) + ")");
            }
            return v;
        }

        void out(int k, TensorValue v) {
            if (k < node.outputs().size() && !node.outputs().get(k).isEmpty()) {
                for (long d : v.shape) {
                    if (d < 0) {
                        throw error("output '" + node.outputs().get(k) + "' would have a negative dimension: "
                                + Arrays.toString(v.shape) + "; inputs " + describeInputs());
                    }
                }
                tensors.put(node.outputs().get(k), v);
            }
        }

        void out(int k, int dataType, long[] shape) {
            out(k, new TensorValue(dataType, shape));
        }

        void flops(long f) {
            flops[node.index()] = f;
        }

        OnnxImportException error(String message) {
            return OnnxImportException.node(graph.name(), node, message);
        }

        String describeInputs() {
            List<String> parts = new ArrayList<>();
            for (String in : node.inputs()) {
                parts.add(in.isEmpty() ? "-" : in + ":" + tensors.get(in));
            }
            return parts.toString();
        }

        int axis(long axis, int rank, String what) {
            long a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a >= rank) {
                throw error(what + " " + axis + " is out of range for rank " + rank + "; inputs " + describeInputs());
            }
            return (int) a;
        }
    }

    private void infer(Ctx c) {
        OnnxNode n = c.node;
        if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
            throw c.error("operator domain '" + n.domain() + "' is not supported (only the default ONNX domain)");
        }
        String op = n.opType();
        switch (op) {
            case "Constant" -> constant(c);
            case "Identity", "Dropout" -> {
                TensorValue x = c.in(0);
                c.out(0, x);
                if (op.equals("Dropout")) {
                    c.out(1, DataTypes.BOOL, x.shape);
                }
            }
            case "Relu", "Clip", "LeakyRelu", "Elu", "Selu", "Celu", "ThresholdedRelu", "Abs", "Neg", "Floor", "Ceil",
                    "Round", "Sign", "Reciprocal", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Sigmoid",
                    "Tanh", "Exp", "Log", "Erf", "Sqrt", "Sin", "Cos", "Mish", "Gelu", "BatchNormalization",
                    "InstanceNormalization", "MeanVarianceNormalization", "Shrink" -> unary(c, op);
            case "Not", "IsNaN", "IsInf" -> {
                c.out(0, DataTypes.BOOL, c.shape(0));
                c.flops(c.in(0).elements());
            }
            case "LRN" -> {
                long size = n.intAttr("size", 1);
                c.out(0, c.in(0).dataType, c.shape(0));
                c.flops(c.in(0).elements() * (size + 3));
            }
            case "Softmax", "LogSoftmax", "Hardmax" -> {
                c.out(0, c.in(0).dataType, c.shape(0));
                c.flops(c.in(0).elements() * 5);
            }
            case "LayerNormalization" -> layerNorm(c);
            case "Add", "Sub", "Mul", "Div", "Pow", "Mod", "PRelu", "BitShift" -> binary(c, op, c.in(0).dataType);
            case "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor" ->
                binary(c, op, DataTypes.BOOL);
            case "Sum", "Min", "Max", "Mean" -> variadic(c);
            case "Where" -> where(c);
            case "Cast", "CastLike" -> cast(c, op);
            case "Conv", "ConvInteger" -> conv(c);
            case "ConvTranspose" -> convTranspose(c);
            case "MaxPool", "AveragePool", "LpPool" -> pool(c);
            case "GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool" -> {
                long[] x = c.shape(0);
                long[] out = x.clone();
                for (int i = 2; i < out.length; i++) {
                    out[i] = 1;
                }
                c.out(0, c.in(0).dataType, out);
                c.flops(c.in(0).elements());
            }
            case "Gemm" -> gemm(c);
            case "MatMul", "MatMulInteger" -> matmul(c, op);
            case "Flatten" -> flatten(c);
            case "Concat" -> concat(c);
            case "Reshape" -> reshape(c);
            case "Transpose" -> transpose(c);
            case "Resize", "Upsample" -> resize(c, op);
            case "Shape" -> shapeOp(c);
            case "Size" -> c.out(0, TensorValue.ofInts(DataTypes.INT64, new long[0], new long[] {c.in(0).elements()}));
            case "Gather" -> gather(c);
            case "Unsqueeze" -> unsqueeze(c);
            case "Squeeze" -> squeeze(c);
            case "Slice" -> slice(c);
            case "ConstantOfShape" -> constantOfShape(c);
            case "Expand" -> expand(c);
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
                    "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare" -> reduce(c, op);
            case "ArgMax", "ArgMin" -> argReduce(c);
            case "Pad" -> pad(c);
            case "Split" -> split(c);
            case "Range" -> range(c);
            case "Tile" -> tile(c);
            case "DynamicQuantizeLinear" -> {
                c.out(0, DataTypes.UINT8, c.shape(0));
                c.out(1, DataTypes.FLOAT, new long[0]);
                c.out(2, DataTypes.UINT8, new long[0]);
                c.flops(4 * c.in(0).elements());
            }
            case "QuantizeLinear" -> {
                int type = c.has(2) ? c.in(2).dataType : DataTypes.UINT8;
                c.out(0, type, c.shape(0));
                c.flops(2 * c.in(0).elements());
            }
            case "DequantizeLinear" -> {
                int type = opset >= 19 ? c.in(1).dataType : DataTypes.FLOAT;
                c.out(0, type, c.shape(0));
                c.flops(2 * c.in(0).elements());
            }
            default -> throw c.error("no shape inference for operator '" + op + "' (opset " + opset + ")");
        }
    }

    // ---- elementwise ----

    private void unary(Ctx c, String op) {
        TensorValue x = c.in(0);
        c.out(0, x.dataType, x.shape);
        long factor = switch (op) {
            case "Erf", "Exp", "Log", "Tanh", "Sigmoid", "Sqrt", "Sin", "Cos", "Softplus", "Mish", "Gelu" -> 4;
            case "BatchNormalization", "InstanceNormalization", "MeanVarianceNormalization" -> 2;
            default -> 1;
        };
        c.flops(factor * x.elements());
        if (op.equals("BatchNormalization")) {
            long[] ch = {x.shape.length > 1 ? x.shape[1] : 1};
            for (int k = 1; k < c.node.outputs().size(); k++) {
                c.out(k, x.dataType, ch);
            }
        }
    }

    private void layerNorm(Ctx c) {
        TensorValue x = c.in(0);
        int axis = c.axis(c.node.intAttr("axis", -1), x.shape.length, "axis");
        c.out(0, x.dataType, x.shape);
        long[] stat = x.shape.clone();
        for (int i = axis; i < stat.length; i++) {
            stat[i] = 1;
        }
        c.out(1, DataTypes.FLOAT, stat);
        c.out(2, DataTypes.FLOAT, stat);
        c.flops(8 * x.elements());
    }

    private void binary(Ctx c, String op, int outType) {
        TensorValue a = c.in(0);
        TensorValue b = c.in(1);
        long[] shape = broadcast(c, a.shape, b.shape);
        long elements = product(shape, 0, shape.length);
        c.flops(op.equals("Pow") ? 4 * elements : elements);
        if (elements <= FOLD_LIMIT && a.known() && b.known() && !op.equals("PRelu") && !op.equals("BitShift")) {
            c.out(0, foldBinary(op, a, b, shape, outType));
        } else {
            c.out(0, outType, shape);
        }
    }

    private void variadic(Ctx c) {
        long[] shape = c.shape(0);
        for (int i = 1; i < c.node.inputs().size(); i++) {
            shape = broadcast(c, shape, c.shape(i));
        }
        c.out(0, c.in(0).dataType, shape);
        c.flops(product(shape, 0, shape.length) * Math.max(1, c.node.inputs().size() - 1));
    }

    private void where(Ctx c) {
        TensorValue cond = c.in(0);
        TensorValue x = c.in(1);
        TensorValue y = c.in(2);
        long[] shape = broadcast(c, broadcast(c, cond.shape, x.shape), y.shape);
        long elements = product(shape, 0, shape.length);
        c.flops(elements);
        if (elements <= FOLD_LIMIT && cond.known() && x.known() && y.known()) {
            long[] cv = cond.ints();
            boolean ints = x.isInteger();
            long[] xi = ints ? x.ints() : null;
            long[] yi = ints ? y.ints() : null;
            double[] xf = ints ? null : x.floats();
            double[] yf = ints ? null : y.floats();
            long[] ri = ints ? new long[(int) elements] : null;
            double[] rf = ints ? null : new double[(int) elements];
            for (int k = 0; k < elements; k++) {
                boolean t = cv[index(k, shape, cond.shape)] != 0;
                if (ints) {
                    ri[k] = t ? xi[index(k, shape, x.shape)] : yi[index(k, shape, y.shape)];
                } else {
                    rf[k] = t ? xf[index(k, shape, x.shape)] : yf[index(k, shape, y.shape)];
                }
            }
            c.out(0, ints ? TensorValue.ofInts(x.dataType, shape, ri) : TensorValue.ofFloats(x.dataType, shape, rf));
        } else {
            c.out(0, x.dataType, shape);
        }
    }

    private void cast(Ctx c, String op) {
        TensorValue x = c.in(0);
        int to = op.equals("CastLike") ? c.in(1).dataType : (int) c.node.intAttr("to", 0);
        if (DataTypes.elementSize(to) < 0 && to != DataTypes.STRING) {
            throw c.error("attribute 'to' names no known element type: " + to);
        }
        c.flops(x.elements());
        if (x.elements() <= FOLD_LIMIT && x.known() && to != DataTypes.STRING) {
            if (DataTypes.isInteger(to)) {
                long[] v = x.ints().clone();
                if (to == DataTypes.BOOL) {
                    for (int i = 0; i < v.length; i++) {
                        v[i] = v[i] != 0 ? 1 : 0;
                    }
                }
                c.out(0, TensorValue.ofInts(to, x.shape, v));
            } else {
                c.out(0, TensorValue.ofFloats(to, x.shape, x.floats()));
            }
        } else {
            c.out(0, to, x.shape);
        }
    }

    private TensorValue foldBinary(String op, TensorValue a, TensorValue b, long[] shape, int outType) {
        int n = (int) product(shape, 0, shape.length);
        boolean ints = a.isInteger() && b.isInteger();
        if (ints) {
            long[] x = a.ints();
            long[] y = b.ints();
            long[] r = new long[n];
            for (int k = 0; k < n; k++) {
                long p = x[index(k, shape, a.shape)];
                long q = y[index(k, shape, b.shape)];
                r[k] = switch (op) {
                    case "Add" -> p + q;
                    case "Sub" -> p - q;
                    case "Mul" -> p * q;
                    case "Div" -> q == 0 ? 0 : p / q;
                    case "Mod" -> q == 0 ? 0 : Math.floorMod(p, q);
                    case "Pow" -> (long) Math.pow(p, q);
                    case "Equal" -> p == q ? 1 : 0;
                    case "Less" -> p < q ? 1 : 0;
                    case "Greater" -> p > q ? 1 : 0;
                    case "LessOrEqual" -> p <= q ? 1 : 0;
                    case "GreaterOrEqual" -> p >= q ? 1 : 0;
                    case "And" -> (p != 0 && q != 0) ? 1 : 0;
                    case "Or" -> (p != 0 || q != 0) ? 1 : 0;
                    case "Xor" -> ((p != 0) != (q != 0)) ? 1 : 0;
                    default -> throw new IllegalStateException(op);
                };
            }
            return TensorValue.ofInts(outType, shape, r);
        }
        double[] x = a.floats();
        double[] y = b.floats();
        boolean bool = outType == DataTypes.BOOL;
        long[] ri = bool ? new long[n] : null;
        double[] rf = bool ? null : new double[n];
        for (int k = 0; k < n; k++) {
            double p = x[index(k, shape, a.shape)];
            double q = y[index(k, shape, b.shape)];
            if (bool) {
                ri[k] = switch (op) {
                    case "Equal" -> p == q ? 1 : 0;
                    case "Less" -> p < q ? 1 : 0;
                    case "Greater" -> p > q ? 1 : 0;
                    case "LessOrEqual" -> p <= q ? 1 : 0;
                    case "GreaterOrEqual" -> p >= q ? 1 : 0;
                    default -> (p != 0) == (q != 0) ? 0 : 1;
                };
            } else {
                rf[k] = switch (op) {
                    case "Add" -> p + q;
                    case "Sub" -> p - q;
                    case "Mul" -> p * q;
                    case "Div" -> p / q;
                    case "Mod" -> p % q;
                    case "Pow" -> Math.pow(p, q);
                    default -> throw new IllegalStateException(op);
                };
            }
        }
        return bool ? TensorValue.ofInts(outType, shape, ri) : TensorValue.ofFloats(outType, shape, rf);
    }

    // ---- convolution, pooling, dense ----

    private void conv(Ctx c) {
        TensorValue xv = c.in(0);
        long[] x = xv.shape;
        long[] w = c.shape(1);
        if (x.length < 3 || w.length != x.length) {
            throw c.error("input " + Arrays.toString(x) + " and weight " + Arrays.toString(w)
                    + " must have the same rank, at least 3");
        }
        int sp = x.length - 2;
        long group = c.node.intAttr("group", 1);
        if (x[1] != w[1] * group) {
            throw c.error("input '" + c.node.input(0) + "' has " + x[1] + " channels " + Arrays.toString(x)
                    + " but weight '" + c.node.input(1) + "' " + Arrays.toString(w) + " with group " + group
                    + " expects " + w[1] * group);
        }
        long[] kernel = kernel(c, w, 2, sp);
        long[] out = new long[x.length];
        out[0] = x[0];
        out[1] = w[0];
        long[] strides = ints(c, "strides", sp, 1);
        long[] dilations = ints(c, "dilations", sp, 1);
        long[] pads = ints(c, "pads", 2 * sp, 0);
        String autoPad = c.node.stringAttr("auto_pad", "NOTSET");
        for (int i = 0; i < sp; i++) {
            out[2 + i] = windowOut(c, x[2 + i], kernel[i], strides[i], dilations[i], pads[i], pads[i + sp], autoPad,
                    false);
        }
        int outType = c.node.opType().equals("ConvInteger") ? DataTypes.INT32 : xv.dataType;
        c.out(0, outType, out);
        c.flops(2 * product(out, 0, out.length) * w[1] * product(kernel, 0, sp));
    }

    private void convTranspose(Ctx c) {
        TensorValue xv = c.in(0);
        long[] x = xv.shape;
        long[] w = c.shape(1);
        if (x.length < 3 || w.length != x.length) {
            throw c.error("input " + Arrays.toString(x) + " and weight " + Arrays.toString(w)
                    + " must have the same rank, at least 3");
        }
        if (x[1] != w[0]) {
            throw c.error("input '" + c.node.input(0) + "' has " + x[1] + " channels but weight '" + c.node.input(1)
                    + "' " + Arrays.toString(w) + " expects " + w[0]);
        }
        int sp = x.length - 2;
        long group = c.node.intAttr("group", 1);
        long[] kernel = kernel(c, w, 2, sp);
        long[] strides = ints(c, "strides", sp, 1);
        long[] dilations = ints(c, "dilations", sp, 1);
        long[] pads = ints(c, "pads", 2 * sp, 0);
        long[] outputPadding = ints(c, "output_padding", sp, 0);
        long[] outputShape = c.node.intsAttr("output_shape");
        String autoPad = c.node.stringAttr("auto_pad", "NOTSET");
        long[] out = new long[x.length];
        out[0] = x[0];
        out[1] = w[1] * group;
        for (int i = 0; i < sp; i++) {
            if (outputShape != null && outputShape.length >= sp) {
                out[2 + i] = outputShape[outputShape.length - sp + i];
            } else if (autoPad.startsWith("SAME")) {
                out[2 + i] = x[2 + i] * strides[i];
            } else {
                out[2 + i] = strides[i] * (x[2 + i] - 1) + outputPadding[i] + (kernel[i] - 1) * dilations[i] + 1
                        - pads[i] - pads[i + sp];
            }
        }
        c.out(0, xv.dataType, out);
        c.flops(2 * xv.elements() * w[1] * product(kernel, 0, sp));
    }

    private void pool(Ctx c) {
        TensorValue xv = c.in(0);
        long[] x = xv.shape;
        if (x.length < 3) {
            throw c.error("input '" + c.node.input(0) + "' " + Arrays.toString(x) + " must have rank 3 or more");
        }
        int sp = x.length - 2;
        long[] kernel = c.node.intsAttr("kernel_shape");
        if (kernel == null || kernel.length != sp) {
            throw c.error("attribute 'kernel_shape' must give " + sp + " values, found "
                    + (kernel == null ? "none" : Arrays.toString(kernel)));
        }
        long[] strides = ints(c, "strides", sp, 1);
        long[] dilations = ints(c, "dilations", sp, 1);
        long[] pads = ints(c, "pads", 2 * sp, 0);
        String autoPad = c.node.stringAttr("auto_pad", "NOTSET");
        boolean ceil = c.node.intAttr("ceil_mode", 0) != 0;
        long[] out = x.clone();
        for (int i = 0; i < sp; i++) {
            out[2 + i] = windowOut(c, x[2 + i], kernel[i], strides[i], dilations[i], pads[i], pads[i + sp], autoPad,
                    ceil);
        }
        c.out(0, xv.dataType, out);
        c.out(1, DataTypes.INT64, out);
        c.flops(product(out, 0, out.length) * product(kernel, 0, sp));
    }

    private long[] kernel(Ctx c, long[] w, int from, int sp) {
        long[] k = c.node.intsAttr("kernel_shape");
        if (k == null) {
            return Arrays.copyOfRange(w, from, from + sp);
        }
        if (k.length != sp) {
            throw c.error("attribute 'kernel_shape' " + Arrays.toString(k) + " must give " + sp + " values");
        }
        return k;
    }

    private static long[] ints(Ctx c, String attribute, int length, long fallback) {
        long[] v = c.node.intsAttr(attribute);
        if (v == null || v.length == 0) {
            long[] d = new long[length];
            Arrays.fill(d, fallback);
            return d;
        }
        if (v.length != length) {
            throw c.error("attribute '" + attribute + "' " + Arrays.toString(v) + " must give " + length + " values");
        }
        return v;
    }

    private static long windowOut(Ctx c, long in, long k, long s, long d, long padBegin, long padEnd, String autoPad,
            boolean ceil) {
        if (s <= 0 || d <= 0 || k <= 0) {
            throw c.error("kernel " + k + ", stride " + s + " and dilation " + d + " must be positive");
        }
        long effective = d * (k - 1) + 1;
        long out;
        switch (autoPad) {
            case "SAME_UPPER", "SAME_LOWER" -> out = ceilDiv(in, s);
            case "VALID" -> out = ceil ? ceilDiv(in - effective, s) + 1 : Math.floorDiv(in - effective, s) + 1;
            default -> {
                long span = in + padBegin + padEnd - effective;
                out = (ceil ? ceilDiv(span, s) : Math.floorDiv(span, s)) + 1;
                if (ceil && (out - 1) * s >= in + padBegin) {
                    out--;
                }
            }
        }
        if (out <= 0) {
            throw c.error("a window of " + k + " (dilation " + d + ", stride " + s + ", pads " + padBegin + "/" + padEnd
                    + ") does not fit a dimension of " + in + "; inputs " + c.describeInputs());
        }
        return out;
    }

    private void gemm(Ctx c) {
        long[] a = c.shape(0);
        long[] b = c.shape(1);
        if (a.length != 2 || b.length != 2) {
            throw c.error("inputs must be matrices: " + c.describeInputs());
        }
        boolean ta = c.node.intAttr("transA", 0) != 0;
        boolean tb = c.node.intAttr("transB", 0) != 0;
        long m = ta ? a[1] : a[0];
        long k = ta ? a[0] : a[1];
        long kb = tb ? b[1] : b[0];
        long n = tb ? b[0] : b[1];
        if (k != kb) {
            throw c.error("inner dimensions differ: A '" + c.node.input(0) + "' " + Arrays.toString(a)
                    + (ta ? " (transposed)" : "") + " has " + k + ", B '" + c.node.input(1) + "' "
                    + Arrays.toString(b) + (tb ? " (transposed)" : "") + " has " + kb);
        }
        c.out(0, c.in(0).dataType, new long[] {m, n});
        c.flops(2 * m * n * k + (c.has(2) ? m * n : 0));
    }

    private void matmul(Ctx c, String op) {
        long[] a = c.shape(0);
        long[] b = c.shape(1);
        if (a.length == 0 || b.length == 0) {
            throw c.error("inputs must not be scalars: " + c.describeInputs());
        }
        long[] a2 = a.length == 1 ? new long[] {1, a[0]} : a;
        long[] b2 = b.length == 1 ? new long[] {b[0], 1} : b;
        long m = a2[a2.length - 2];
        long k = a2[a2.length - 1];
        long kb = b2[b2.length - 2];
        long n = b2[b2.length - 1];
        if (k != kb) {
            throw c.error("inner dimensions differ: '" + c.node.input(0) + "' " + Arrays.toString(a) + " and '"
                    + c.node.input(1) + "' " + Arrays.toString(b));
        }
        long[] batch = broadcast(c, Arrays.copyOf(a2, a2.length - 2), Arrays.copyOf(b2, b2.length - 2));
        List<Long> out = new ArrayList<>();
        for (long d : batch) {
            out.add(d);
        }
        if (a.length > 1) {
            out.add(m);
        }
        if (b.length > 1) {
            out.add(n);
        }
        int type = op.equals("MatMulInteger") ? DataTypes.INT32 : c.in(0).dataType;
        c.out(0, type, out.stream().mapToLong(Long::longValue).toArray());
        c.flops(2 * product(batch, 0, batch.length) * m * n * k);
    }

    // ---- shape manipulation ----

    private void constant(Ctx c) {
        for (AttributeProto a : c.node.proto().getAttributeList()) {
            switch (a.getName()) {
                case "value" -> {
                    c.out(0, TensorValue.stored(a.getT()));
                    return;
                }
                case "value_float" -> {
                    c.out(0, TensorValue.ofFloats(DataTypes.FLOAT, new long[0], new double[] {a.getF()}));
                    return;
                }
                case "value_floats" -> {
                    double[] v = new double[a.getFloatsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getFloats(i);
                    }
                    c.out(0, TensorValue.ofFloats(DataTypes.FLOAT, new long[] {v.length}, v));
                    return;
                }
                case "value_int" -> {
                    c.out(0, TensorValue.ofInts(DataTypes.INT64, new long[0], new long[] {a.getI()}));
                    return;
                }
                case "value_ints" -> {
                    long[] v = new long[a.getIntsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getInts(i);
                    }
                    c.out(0, TensorValue.ofInts(DataTypes.INT64, new long[] {v.length}, v));
                    return;
                }
                case "value_string" -> {
                    c.out(0, DataTypes.STRING, new long[0]);
                    return;
                }
                case "value_strings" -> {
                    c.out(0, DataTypes.STRING, new long[] {a.getStringsCount()});
                    return;
                }
                case "sparse_value" -> {
                    c.out(0, a.getSparseTensor().getValues().getDataType(),
                            a.getSparseTensor().getDimsList().stream().mapToLong(Long::longValue).toArray());
                    return;
                }
                default -> {
                }
            }
        }
        throw c.error("has no value attribute");
    }

    private void flatten(Ctx c) {
        TensorValue x = c.in(0);
        int rank = x.shape.length;
        long axis = c.node.intAttr("axis", 1);
        int a = (int) (axis < 0 ? axis + rank : axis);
        if (a < 0 || a > rank) {
            throw c.error("axis " + axis + " is out of range for rank " + rank);
        }
        long[] out = {product(x.shape, 0, a), product(x.shape, a, rank)};
        c.out(0, reshaped(x, out));
    }

    private void concat(Ctx c) {
        TensorValue first = c.in(0);
        int rank = first.shape.length;
        int axis = c.axis(c.node.intAttr("axis", 0), Math.max(rank, 1), "axis");
        long[] out = first.shape.clone();
        boolean known = true;
        for (int i = 0; i < c.node.inputs().size(); i++) {
            if (!c.has(i)) {
                continue;
            }
            TensorValue v = c.in(i);
            if (v.shape.length != rank) {
                throw c.error("input '" + c.node.input(i) + "' has rank " + v.shape.length + ", not " + rank + ": "
                        + c.describeInputs());
            }
            for (int d = 0; d < rank; d++) {
                if (d != axis && v.shape[d] != first.shape[d]) {
                    throw c.error("input '" + c.node.input(i) + "' " + Arrays.toString(v.shape)
                            + " differs outside the concat axis " + axis + ": " + c.describeInputs());
                }
            }
            if (i > 0) {
                out[axis] += v.shape[axis];
            }
            known &= v.known();
        }
        long elements = product(out, 0, rank);
        if (known && elements <= FOLD_LIMIT) {
            long outer = product(out, 0, axis);
            long inner = product(out, axis + 1, rank);
            boolean ints = first.isInteger();
            long[] ri = ints ? new long[(int) elements] : null;
            double[] rf = ints ? null : new double[(int) elements];
            int pos = 0;
            for (long o = 0; o < outer; o++) {
                for (int i = 0; i < c.node.inputs().size(); i++) {
                    if (!c.has(i)) {
                        continue;
                    }
                    TensorValue v = c.in(i);
                    int block = (int) (v.shape[axis] * inner);
                    if (ints) {
                        System.arraycopy(v.ints(), (int) (o * block), ri, pos, block);
                    } else {
                        System.arraycopy(v.floats(), (int) (o * block), rf, pos, block);
                    }
                    pos += block;
                }
            }
            c.out(0, ints ? TensorValue.ofInts(first.dataType, out, ri)
                    : TensorValue.ofFloats(first.dataType, out, rf));
        } else {
            c.out(0, first.dataType, out);
        }
    }

    private void reshape(Ctx c) {
        TensorValue x = c.in(0);
        long[] target = c.ints(1, "the target shape");
        boolean allowZero = c.node.intAttr("allowzero", 0) != 0;
        long[] out = new long[target.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            long d = target[i];
            if (d == 0 && !allowZero) {
                if (i >= x.shape.length) {
                    throw c.error("target shape " + Arrays.toString(target) + " copies dimension " + i
                            + " that input '" + c.node.input(0) + "' " + Arrays.toString(x.shape) + " lacks");
                }
                d = x.shape[i];
            }
            if (d == -1) {
                if (infer >= 0) {
                    throw c.error("target shape " + Arrays.toString(target) + " has more than one -1");
                }
                infer = i;
            } else if (d < 0) {
                throw c.error("target shape " + Arrays.toString(target) + " has a negative dimension");
            } else {
                out[i] = d;
                known *= d;
            }
        }
        long elements = x.elements();
        if (infer >= 0) {
            if (known == 0 || elements % known != 0) {
                throw c.error("cannot reshape '" + c.node.input(0) + "' " + Arrays.toString(x.shape) + " ("
                        + elements + " elements) to " + Arrays.toString(target));
            }
            out[infer] = elements / known;
        } else if (known != elements) {
            throw c.error("cannot reshape '" + c.node.input(0) + "' " + Arrays.toString(x.shape) + " (" + elements
                    + " elements) to " + Arrays.toString(target) + " (" + known + " elements)");
        }
        c.out(0, reshaped(x, out));
    }

    private static TensorValue reshaped(TensorValue x, long[] shape) {
        if (x.elements() <= FOLD_LIMIT && x.known()) {
            return x.isInteger() ? TensorValue.ofInts(x.dataType, shape, x.ints())
                    : TensorValue.ofFloats(x.dataType, shape, x.floats());
        }
        return new TensorValue(x.dataType, shape);
    }

    private void transpose(Ctx c) {
        TensorValue x = c.in(0);
        int rank = x.shape.length;
        long[] perm = c.node.intsAttr("perm");
        if (perm == null || perm.length == 0) {
            perm = new long[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = rank - 1 - i;
            }
        }
        if (perm.length != rank) {
            throw c.error("perm " + Arrays.toString(perm) + " does not match rank " + rank + " of '"
                    + c.node.input(0) + "'");
        }
        long[] out = new long[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int p = c.axis(perm[i], rank, "perm entry");
            if (seen[p]) {
                throw c.error("perm " + Arrays.toString(perm) + " repeats " + p);
            }
            seen[p] = true;
            out[i] = x.shape[p];
        }
        c.out(0, x.dataType, out);
    }

    private void resize(Ctx c, String op) {
        TensorValue x = c.in(0);
        int rank = x.shape.length;
        long[] out = x.shape.clone();
        long[] sizes = null;
        double[] scales = null;
        if (op.equals("Upsample") && opset < 9) {
            AttributeProto a = c.node.attribute("scales");
            if (a == null) {
                throw c.error("attribute 'scales' is missing");
            }
            scales = new double[a.getFloatsCount()];
            for (int i = 0; i < scales.length; i++) {
                scales[i] = a.getFloats(i);
            }
        } else if (op.equals("Upsample") || opset < 11) {
            scales = c.floats(1, "scales");
        } else {
            if (c.has(3) && c.in(3).elements() > 0) {
                sizes = c.ints(3, "sizes");
            } else if (c.has(2) && c.in(2).elements() > 0) {
                scales = c.floats(2, "scales");
            } else {
                throw c.error("needs either 'scales' or 'sizes': " + c.describeInputs());
            }
        }
        long[] axes = c.node.intsAttr("axes");
        int count = sizes != null ? sizes.length : scales.length;
        if (axes == null || axes.length == 0) {
            if (count != rank) {
                throw c.error((sizes != null ? "sizes " + Arrays.toString(sizes) : "scales " + Arrays.toString(scales))
                        + " must give one value per dimension of '" + c.node.input(0) + "' "
                        + Arrays.toString(x.shape));
            }
            axes = new long[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        }
        for (int i = 0; i < axes.length; i++) {
            int a = c.axis(axes[i], rank, "axis");
            out[a] = sizes != null ? sizes[i] : (long) Math.floor(x.shape[a] * scales[i]);
        }
        c.out(0, x.dataType, out);
        c.flops(4 * product(out, 0, rank));
    }

    private void shapeOp(Ctx c) {
        long[] s = c.shape(0);
        int rank = s.length;
        long start = c.node.intAttr("start", 0);
        long end = c.node.intAttr("end", rank);
        int from = (int) Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        int to = (int) Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
        long[] value = Arrays.copyOfRange(s, from, Math.max(from, to));
        c.out(0, TensorValue.ofInts(DataTypes.INT64, new long[] {value.length}, value));
    }

    private void gather(Ctx c) {
        TensorValue data = c.in(0);
        TensorValue idx = c.in(1);
        int rank = data.shape.length;
        int axis = c.axis(c.node.intAttr("axis", 0), rank, "axis");
        long[] out = new long[rank - 1 + idx.shape.length];
        int p = 0;
        for (int i = 0; i < axis; i++) {
            out[p++] = data.shape[i];
        }
        for (long d : idx.shape) {
            out[p++] = d;
        }
        for (int i = axis + 1; i < rank; i++) {
            out[p++] = data.shape[i];
        }
        long elements = product(out, 0, out.length);
        if (elements <= FOLD_LIMIT && data.elements() <= FOLD_LIMIT && idx.known() && data.known()) {
            long[] indices = idx.ints();
            long outer = product(data.shape, 0, axis);
            long len = data.shape[axis];
            long inner = product(data.shape, axis + 1, rank);
            boolean ints = data.isInteger();
            long[] ri = ints ? new long[(int) elements] : null;
            double[] rf = ints ? null : new double[(int) elements];
            long[] di = ints ? data.ints() : null;
            double[] df = ints ? null : data.floats();
            int pos = 0;
            for (long o = 0; o < outer; o++) {
                for (long raw : indices) {
                    long j = raw < 0 ? raw + len : raw;
                    if (j < 0 || j >= len) {
                        throw c.error("index " + raw + " in '" + c.node.input(1) + "' is out of range for dimension "
                                + len);
                    }
                    for (long in = 0; in < inner; in++) {
                        int src = (int) ((o * len + j) * inner + in);
                        if (ints) {
                            ri[pos++] = di[src];
                        } else {
                            rf[pos++] = df[src];
                        }
                    }
                }
            }
            c.out(0, ints ? TensorValue.ofInts(data.dataType, out, ri) : TensorValue.ofFloats(data.dataType, out, rf));
        } else {
            c.out(0, data.dataType, out);
        }
    }

    private long[] axesOf(Ctx c, int input, String attribute) {
        if (opset >= 13 && c.node.attribute(attribute) == null) {
            return c.has(input) ? c.ints(input, "axes") : null;
        }
        return c.node.intsAttr(attribute);
    }

    private void unsqueeze(Ctx c) {
        TensorValue x = c.in(0);
        long[] axes = axesOf(c, 1, "axes");
        if (axes == null) {
            throw c.error("needs axes");
        }
        int rank = x.shape.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int k = c.axis(a, rank, "axis");
            if (inserted[k]) {
                throw c.error("axis " + a + " is repeated");
            }
            inserted[k] = true;
        }
        long[] out = new long[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            out[i] = inserted[i] ? 1 : x.shape[j++];
        }
        c.out(0, reshaped(x, out));
    }

    private void squeeze(Ctx c) {
        TensorValue x = c.in(0);
        long[] axes = axesOf(c, 1, "axes");
        int rank = x.shape.length;
        boolean[] drop = new boolean[rank];
        if (axes == null || axes.length == 0) {
            for (int i = 0; i < rank; i++) {
                drop[i] = x.shape[i] == 1;
            }
        } else {
            for (long a : axes) {
                int k = c.axis(a, rank, "axis");
                if (x.shape[k] != 1) {
                    throw c.error("cannot squeeze dimension " + a + " of '" + c.node.input(0) + "' "
                            + Arrays.toString(x.shape) + ": it is not 1");
                }
                drop[k] = true;
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (!drop[i]) {
                out.add(x.shape[i]);
            }
        }
        c.out(0, reshaped(x, out.stream().mapToLong(Long::longValue).toArray()));
    }

    private void slice(Ctx c) {
        TensorValue x = c.in(0);
        int rank = x.shape.length;
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (opset < 10) {
            starts = c.node.intsAttr("starts");
            ends = c.node.intsAttr("ends");
            axes = c.node.intsAttr("axes");
            if (starts == null || ends == null) {
                throw c.error("needs attributes 'starts' and 'ends'");
            }
        } else {
            starts = c.ints(1, "starts");
            ends = c.ints(2, "ends");
            axes = c.has(3) ? c.ints(3, "axes") : null;
            steps = c.has(4) ? c.ints(4, "steps") : null;
        }
        if (ends.length != starts.length || (axes != null && axes.length != starts.length)
                || (steps != null && steps.length != starts.length)) {
            throw c.error("starts, ends, axes and steps must have the same length: " + c.describeInputs());
        }
        long[] begin = new long[rank];
        long[] step = new long[rank];
        long[] out = x.shape.clone();
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int a = axes == null ? i : c.axis(axes[i], rank, "axis");
            long s = steps == null ? 1 : steps[i];
            if (s == 0) {
                throw c.error("step 0 on axis " + a);
            }
            long dim = x.shape[a];
            long st = starts[i] < 0 ? starts[i] + dim : starts[i];
            long en = ends[i] < 0 ? ends[i] + dim : ends[i];
            long count;
            if (s > 0) {
                st = Math.max(0, Math.min(dim, st));
                en = Math.max(0, Math.min(dim, en));
                count = Math.max(0, ceilDiv(en - st, s));
            } else {
                st = Math.max(-1, Math.min(dim - 1, st));
                en = Math.max(-1, Math.min(dim - 1, en));
                count = Math.max(0, ceilDiv(st - en, -s));
            }
            begin[a] = st;
            step[a] = s;
            out[a] = count;
        }
        long elements = product(out, 0, rank);
        if (elements <= FOLD_LIMIT && x.elements() <= FOLD_LIMIT && x.known()) {
            boolean ints = x.isInteger();
            long[] xi = ints ? x.ints() : null;
            double[] xf = ints ? null : x.floats();
            long[] ri = ints ? new long[(int) elements] : null;
            double[] rf = ints ? null : new double[(int) elements];
            long[] strides = strides(x.shape);
            for (int k = 0; k < elements; k++) {
                long rem = k;
                long src = 0;
                for (int d = rank - 1; d >= 0; d--) {
                    long coord = rem % out[d];
                    rem /= out[d];
                    src += (begin[d] + coord * step[d]) * strides[d];
                }
                if (ints) {
                    ri[k] = xi[(int) src];
                } else {
                    rf[k] = xf[(int) src];
                }
            }
            c.out(0, ints ? TensorValue.ofInts(x.dataType, out, ri) : TensorValue.ofFloats(x.dataType, out, rf));
        } else {
            c.out(0, x.dataType, out);
        }
    }

    private void constantOfShape(Ctx c) {
        long[] shape = c.ints(0, "the shape");
        AttributeProto value = c.node.attribute("value");
        TensorValue fill = value == null ? TensorValue.ofFloats(DataTypes.FLOAT, new long[] {1}, new double[] {0})
                : TensorValue.stored(value.getT());
        long elements = product(shape, 0, shape.length);
        if (elements <= FOLD_LIMIT && fill.known()) {
            if (fill.isInteger()) {
                long[] v = new long[(int) elements];
                Arrays.fill(v, fill.ints()[0]);
                c.out(0, TensorValue.ofInts(fill.dataType, shape, v));
            } else {
                double[] v = new double[(int) elements];
                Arrays.fill(v, fill.floats()[0]);
                c.out(0, TensorValue.ofFloats(fill.dataType, shape, v));
            }
        } else {
            c.out(0, fill.dataType, shape);
        }
    }

    private void expand(Ctx c) {
        TensorValue x = c.in(0);
        long[] shape = broadcast(c, x.shape, c.ints(1, "the shape"));
        long elements = product(shape, 0, shape.length);
        if (elements <= FOLD_LIMIT && x.known()) {
            boolean ints = x.isInteger();
            long[] ri = ints ? new long[(int) elements] : null;
            double[] rf = ints ? null : new double[(int) elements];
            for (int k = 0; k < elements; k++) {
                int src = index(k, shape, x.shape);
                if (ints) {
                    ri[k] = x.ints()[src];
                } else {
                    rf[k] = x.floats()[src];
                }
            }
            c.out(0, ints ? TensorValue.ofInts(x.dataType, shape, ri) : TensorValue.ofFloats(x.dataType, shape, rf));
        } else {
            c.out(0, x.dataType, shape);
        }
    }

    private void reduce(Ctx c, String op) {
        TensorValue x = c.in(0);
        int rank = x.shape.length;
        boolean axesAsInput = (op.equals("ReduceSum") && opset >= 13) || opset >= 18;
        long[] axes = axesAsInput ? (c.has(1) ? c.ints(1, "axes") : null) : c.node.intsAttr("axes");
        boolean keep = c.node.intAttr("keepdims", 1) != 0;
        boolean noop = c.node.intAttr("noop_with_empty_axes", 0) != 0;
        boolean[] reduced = new boolean[rank];
        if (axes == null || axes.length == 0) {
            Arrays.fill(reduced, !noop);
        } else {
            for (long a : axes) {
                reduced[c.axis(a, rank, "axis")] = true;
            }
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (!reduced[i]) {
                out.add(x.shape[i]);
            } else if (keep) {
                out.add(1L);
            }
        }
        c.out(0, x.dataType, out.stream().mapToLong(Long::longValue).toArray());
        c.flops(x.elements());
    }

    private void argReduce(Ctx c) {
        TensorValue x = c.in(0);
        int rank = x.shape.length;
        int axis = c.axis(c.node.intAttr("axis", 0), rank, "axis");
        boolean keep = c.node.intAttr("keepdims", 1) != 0;
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (i != axis) {
                out.add(x.shape[i]);
            } else if (keep) {
                out.add(1L);
            }
        }
        c.out(0, DataTypes.INT64, out.stream().mapToLong(Long::longValue).toArray());
        c.flops(x.elements());
    }

    private void pad(Ctx c) {
        TensorValue x = c.in(0);
        int rank = x.shape.length;
        long[] pads = opset < 11 ? c.node.intsAttr("pads") : c.ints(1, "pads");
        if (pads == null) {
            throw c.error("needs pads");
        }
        long[] axes = null;
        if (opset >= 18 && c.has(3)) {
            axes = c.ints(3, "axes");
        }
        int count = axes == null ? rank : axes.length;
        if (pads.length != 2 * count) {
            throw c.error("pads " + Arrays.toString(pads) + " must give " + 2 * count + " values for '"
                    + c.node.input(0) + "' " + Arrays.toString(x.shape));
        }
        long[] out = x.shape.clone();
        for (int i = 0; i < count; i++) {
            int a = axes == null ? i : c.axis(axes[i], rank, "axis");
            out[a] += pads[i] + pads[i + count];
        }
        c.out(0, x.dataType, out);
    }

    private void split(Ctx c) {
        TensorValue x = c.in(0);
        int rank = x.shape.length;
        int axis = c.axis(c.node.intAttr("axis", 0), rank, "axis");
        int outputs = c.node.outputs().size();
        long[] parts = opset >= 13 ? (c.has(1) ? c.ints(1, "split") : null) : c.node.intsAttr("split");
        if (parts == null || parts.length == 0) {
            long dim = x.shape[axis];
            long each = ceilDiv(dim, outputs);
            parts = new long[outputs];
            for (int i = 0; i < outputs; i++) {
                parts[i] = Math.max(0, Math.min(each, dim - each * i));
            }
        }
        if (parts.length != outputs || Arrays.stream(parts).sum() != x.shape[axis]) {
            throw c.error("split " + Arrays.toString(parts) + " does not divide dimension " + axis + " of '"
                    + c.node.input(0) + "' " + Arrays.toString(x.shape) + " into " + outputs + " outputs");
        }
        for (int i = 0; i < outputs; i++) {
            long[] out = x.shape.clone();
            out[axis] = parts[i];
            c.out(i, x.dataType, out);
        }
    }

    private void range(Ctx c) {
        TensorValue start = c.in(0);
        double s = c.floats(0, "start")[0];
        double limit = c.floats(1, "limit")[0];
        double delta = c.floats(2, "delta")[0];
        if (delta == 0) {
            throw c.error("delta is 0");
        }
        long n = Math.max(0, (long) Math.ceil((limit - s) / delta));
        long[] shape = {n};
        if (n <= FOLD_LIMIT) {
            if (start.isInteger()) {
                long[] v = new long[(int) n];
                for (int i = 0; i < n; i++) {
                    v[i] = (long) (s + i * delta);
                }
                c.out(0, TensorValue.ofInts(start.dataType, shape, v));
            } else {
                double[] v = new double[(int) n];
                for (int i = 0; i < n; i++) {
                    v[i] = s + i * delta;
                }
                c.out(0, TensorValue.ofFloats(start.dataType, shape, v));
            }
        } else {
            c.out(0, start.dataType, shape);
        }
    }

    private void tile(Ctx c) {
        TensorValue x = c.in(0);
        long[] repeats = c.ints(1, "repeats");
        if (repeats.length != x.shape.length) {
            throw c.error("repeats " + Arrays.toString(repeats) + " must match the rank of '" + c.node.input(0) + "' "
                    + Arrays.toString(x.shape));
        }
        long[] out = x.shape.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= repeats[i];
        }
        c.out(0, x.dataType, out);
    }

    // ---- helpers ----

    private static long[] broadcast(Ctx c, long[] a, long[] b) {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long x = i - (rank - a.length) >= 0 ? a[i - (rank - a.length)] : 1;
            long y = i - (rank - b.length) >= 0 ? b[i - (rank - b.length)] : 1;
            if (x != y && x != 1 && y != 1) {
                throw c.error("shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast; inputs " + c.describeInputs());
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** Flat index into a broadcast operand of the given shape for flat index k of the output shape. */
    private static int index(int k, long[] outShape, long[] shape) {
        long rem = k;
        long idx = 0;
        long stride = 1;
        for (int d = outShape.length - 1, e = shape.length - 1; d >= 0; d--, e--) {
            long coord = rem % outShape[d];
            rem /= outShape[d];
            if (e >= 0) {
                if (shape[e] != 1) {
                    idx += coord * stride;
                }
                stride *= shape[e];
            }
        }
        return (int) idx;
    }

    private static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    static long product(long[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p = Math.multiplyExact(p, shape[i]);
        }
        return p;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
