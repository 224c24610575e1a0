package org.layerlift.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.util.LinkedHashMap;
import java.util.Map;
import org.layerlift.model.onnx.GraphShapes;

/**
 * ONNX Runtime as the {@code model} commands use it: logging at WARNING, so that every warning ONNX Runtime has
 * about a model or a cut part shows on standard error (the commands must load without any).
 */
final class Ort {

    private Ort() {
    }

    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "layerlift");
    }

    /** Session options at log level WARNING; {@code threads} intra-op threads (0: ONNX Runtime's default). */
    static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING);
        if (threads > 0) {
            options.setIntraOpNumThreads(threads);
        }
        return options;
    }

    /** The input dimensions {@code RandomInputs.create} takes, from the inferred shapes: {@code <input>:<axis>}. */
    static Map<String, Long> dims(GraphShapes shapes) {
        Map<String, Long> dims = new LinkedHashMap<>();
        shapes.inputShapes().forEach((input, shape) -> {
            for (int i = 0; i < shape.length; i++) {
                dims.put(input + ":" + i, shape[i]);
            }
        });
        return dims;
    }

    /** An ONNX Runtime failure as an input error: the model or part did not load or run. */
    static CliException failure(String what, OrtException e) {
        return new CliException(what + ": ONNX Runtime: " + e.getMessage(), e);
    }
}
