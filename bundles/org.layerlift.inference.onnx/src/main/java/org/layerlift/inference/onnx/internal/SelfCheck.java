package org.layerlift.inference.onnx.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.layerlift.api.inference.RuntimeCheck;

/**
 * Runs a three-node model shipped in this bundle (x[1,4] → MatMul → Add → Relu → y[1,3]) on an input whose answer
 * is known, so a wrong native library, a broken extraction or a miscomputing build all show up. Plain Java: tested
 * without a framework, used by the executor component inside one.
 */
final class SelfCheck {

    static final float[] INPUT = {1f, -2f, 3f, -4f};
    /** x·W + b with the weights baked into selfcheck.onnx; the first column goes negative, so Relu must clip it. */
    static final float[] EXPECTED = {0f, 5.8f, 2.55f};
    private static final float TOLERANCE = 1e-5f;

    private final byte[] model;

    SelfCheck() {
        try (InputStream in = SelfCheck.class.getResourceAsStream("selfcheck.onnx")) {
            if (in == null) {
                throw new IllegalStateException("selfcheck.onnx is missing from the bundle");
            }
            this.model = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RuntimeCheck run() {
        String platform = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        String runtime = "ONNX Runtime";
        String providers = "";
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            runtime = "ONNX Runtime " + env.getVersion();
            providers = OrtEnvironment.getAvailableProviders().toString();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                    OrtSession session = env.createSession(model, options);
                    OnnxTensor x = OnnxTensor.createTensor(env, new float[][] {INPUT})) {
                long t0 = System.nanoTime();
                try (OrtSession.Result result = session.run(Map.of("x", x))) {
                    double ms = (System.nanoTime() - t0) / 1e6;
                    float[] y = ((float[][]) result.get(0).getValue())[0];
                    String mismatch = compare(y);
                    return new RuntimeCheck(mismatch == null, runtime, providers, platform, ms,
                            mismatch == null ? "selfcheck.onnx gave the expected [0, 5.8, 2.55]" : mismatch);
                }
            }
        } catch (OrtException | RuntimeException | LinkageError e) {
            // LinkageError: the native library could not be loaded for this platform
            return new RuntimeCheck(false, runtime, providers, platform, Double.NaN,
                    "ONNX Runtime failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String compare(float[] y) {
        if (y.length != EXPECTED.length) {
            return "selfcheck.onnx gave " + y.length + " outputs, expected " + EXPECTED.length;
        }
        for (int i = 0; i < y.length; i++) {
            if (!(Math.abs(y[i] - EXPECTED[i]) <= TOLERANCE)) {
                return "selfcheck.onnx output " + i + " is " + y[i] + ", expected " + EXPECTED[i];
            }
        }
        return null;
    }
}
