package org.layerlift.inference.onnx.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.List;
import org.layerlift.api.inference.TensorSpec;

/**
 * An ONNX Runtime session of one segment with the tensors it was given as external initializers. ORT's contract for
 * {@code AddExternalInitializers} is that those tensors (and their buffers) outlive the session, so they are closed
 * with it, after it.
 */
final class BuiltSession implements AutoCloseable {

    private final OrtSession session;
    private final List<OnnxTensor> initializers;
    private final List<TensorSpec> inputs;
    private final List<String> outputs;

    BuiltSession(OrtSession session, List<OnnxTensor> initializers, List<TensorSpec> inputs, List<String> outputs) {
        this.session = session;
        this.initializers = List.copyOf(initializers);
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    OrtSession session() {
        return session;
    }

    /** The declared inputs, in graph order. */
    List<TensorSpec> inputs() {
        return inputs;
    }

    /** The output names, in graph order. */
    List<String> outputs() {
        return outputs;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // closing frees native memory; there is nothing to recover
        } finally {
            initializers.forEach(OnnxTensor::close);
        }
    }
}
