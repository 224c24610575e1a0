package org.layerlift.model.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.Map;

/** Reading, copying and comparing ONNX Runtime tensors. */
public final class Outputs {

    private Outputs() {}

    /**
     * The largest differences between two sets of outputs, over the tensors of {@code expected}.
     *
     * @param worstTensor the tensor with the largest absolute difference
     * @param maxAbs max |actual − expected| over all elements
     * @param maxRel max over tensors of (max |actual − expected|) / (max |expected|): the error relative to the
     *     tensor's range, robust to elements near zero
     * @param referenceMaxAbs max |expected| over all elements (how large the outputs are)
     * @param referenceStd the standard deviation of the expected elements (0: constant outputs)
     */
    public record Difference(String worstTensor, double maxAbs, double maxRel, double referenceMaxAbs,
            double referenceStd, long elements) {}

    /** Compares {@code actual} with {@code expected}, tensor by tensor; shapes must match. */
    public static Difference compare(Map<String, ? extends OnnxValue> expected,
            Map<String, ? extends OnnxValue> actual) throws OrtException {
        String worst = null;
        double maxAbs = 0;
        double maxRel = 0;
        double refMax = 0;
        double sum = 0;
        double sumSq = 0;
        long count = 0;
        for (Map.Entry<String, ? extends OnnxValue> e : expected.entrySet()) {
            OnnxValue a = actual.get(e.getKey());
            if (a == null) {
                throw new IllegalArgumentException("output '" + e.getKey() + "' is missing; got " + actual.keySet());
            }
            OnnxTensor x = tensor(e.getKey(), e.getValue());
            OnnxTensor y = tensor(e.getKey(), a);
            long[] sx = x.getInfo().getShape();
            long[] sy = y.getInfo().getShape();
            if (!Arrays.equals(sx, sy)) {
                throw new IllegalArgumentException("output '" + e.getKey() + "' has shape " + Arrays.toString(sy)
                        + ", expected " + Arrays.toString(sx));
            }
            double[] vx = values(x);
            double[] vy = values(y);
            double tensorAbs = 0;
            double tensorMax = 0;
            for (int i = 0; i < vx.length; i++) {
                double d = Math.abs(vx[i] - vy[i]);
                if (Double.isNaN(d)) {
                    d = Double.isNaN(vx[i]) && Double.isNaN(vy[i]) ? 0 : Double.POSITIVE_INFINITY;
                }
                tensorAbs = Math.max(tensorAbs, d);
                tensorMax = Math.max(tensorMax, Math.abs(vx[i]));
                sum += vx[i];
                sumSq += vx[i] * vx[i];
            }
            count += vx.length;
            if (worst == null || tensorAbs > maxAbs) {
                worst = e.getKey();
            }
            maxAbs = Math.max(maxAbs, tensorAbs);
            refMax = Math.max(refMax, tensorMax);
            maxRel = Math.max(maxRel, tensorMax == 0 ? (tensorAbs == 0 ? 0 : Double.POSITIVE_INFINITY)
                    : tensorAbs / tensorMax);
        }
        double mean = count == 0 ? 0 : sum / count;
        double std = count == 0 ? 0 : Math.sqrt(Math.max(0, sumSq / count - mean * mean));
        return new Difference(worst, maxAbs, maxRel, refMax, std, count);
    }

    private static OnnxTensor tensor(String name, OnnxValue v) {
        if (!(v instanceof OnnxTensor t)) {
            throw new IllegalArgumentException("output '" + name + "' is a " + v.getType() + ", not a tensor");
        }
        return t;
    }

    /** The elements of a numeric or boolean tensor as doubles, in row-major order. */
    public static double[] values(OnnxTensor t) {
        TensorInfo info = t.getInfo();
        int n = (int) info.getNumElements();
        double[] out = new double[n];
        switch (info.type) {
            case FLOAT -> {
                FloatBuffer b = t.getFloatBuffer();
                for (int i = 0; i < n; i++) out[i] = b.get(i);
            }
            case DOUBLE -> {
                DoubleBuffer b = t.getDoubleBuffer();
                for (int i = 0; i < n; i++) out[i] = b.get(i);
            }
            case INT64 -> {
                LongBuffer b = t.getLongBuffer();
                for (int i = 0; i < n; i++) out[i] = b.get(i);
            }
            case INT32 -> {
                IntBuffer b = t.getIntBuffer();
                for (int i = 0; i < n; i++) out[i] = b.get(i);
            }
            case INT16 -> {
                ShortBuffer b = t.getShortBuffer();
                for (int i = 0; i < n; i++) out[i] = b.get(i);
            }
            case INT8, BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                for (int i = 0; i < n; i++) out[i] = b.get(i);
            }
            case UINT8 -> {
                ByteBuffer b = t.getByteBuffer();
                for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xff;
            }
            default -> throw new IllegalArgumentException("cannot read a tensor of type " + info.type);
        }
        return out;
    }

    /** A copy of {@code t} owned by the caller (independent of the session and result that made {@code t}). */
    public static OnnxTensor copy(OrtEnvironment env, OnnxTensor t) throws OrtException {
        TensorInfo info = t.getInfo();
        long[] shape = info.getShape();
        return switch (info.type) {
            case FLOAT -> OnnxTensor.createTensor(env, t.getFloatBuffer(), shape);
            case DOUBLE -> OnnxTensor.createTensor(env, t.getDoubleBuffer(), shape);
            case INT64 -> OnnxTensor.createTensor(env, t.getLongBuffer(), shape);
            case INT32 -> OnnxTensor.createTensor(env, t.getIntBuffer(), shape);
            case INT16 -> OnnxTensor.createTensor(env, t.getShortBuffer(), shape);
            case FLOAT16, BFLOAT16 -> OnnxTensor.createTensor(env, t.getShortBuffer(), shape, info.type);
            case INT8 -> OnnxTensor.createTensor(env, t.getByteBuffer(), shape);
            case UINT8, BOOL -> OnnxTensor.createTensor(env, t.getByteBuffer(), shape, info.type);
            default -> throw new IllegalArgumentException("cannot copy a tensor of type " + info.type);
        };
    }
}
