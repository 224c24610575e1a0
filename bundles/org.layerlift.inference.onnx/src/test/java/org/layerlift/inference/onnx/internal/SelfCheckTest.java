package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.layerlift.api.inference.RuntimeCheck;
import org.junit.jupiter.api.Test;

class SelfCheckTest {

    @Test
    void realOrtComputesTheKnownAnswer() {
        RuntimeCheck check = new SelfCheck().run();
        assertTrue(check.ok(), check.detail());
        assertTrue(check.runtime().startsWith("ONNX Runtime 1."), check.runtime());
        assertTrue(check.providers().contains("CPU"), check.providers());
    }

    @Test
    void expectedValuesAreTheModelsMathNotACopyOfItsOutput() {
        // x·W + b by hand, with the weights GenSelfCheckModel wrote
        float[][] w = {{0.5f, -1f, 0.25f}, {1f, 0.5f, -0.5f}, {-0.25f, 2f, 1f}, {0.75f, -0.5f, 0.5f}};
        float[] b = {0.1f, -0.2f, 0.3f};
        for (int j = 0; j < 3; j++) {
            float z = b[j];
            for (int i = 0; i < 4; i++) {
                z += SelfCheck.INPUT[i] * w[i][j];
            }
            assertEquals(Math.max(0f, z), SelfCheck.EXPECTED[j], 1e-5f);
        }
    }
}
