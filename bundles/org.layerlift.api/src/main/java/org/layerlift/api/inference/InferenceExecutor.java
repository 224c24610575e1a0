package org.layerlift.api.inference;

import org.osgi.annotation.versioning.ProviderType;

/** Runs ONNX models on the gateway. */
@ProviderType
public interface InferenceExecutor {

    /** Loads the runtime's natives if needed and runs a tiny built-in model, comparing it to known outputs. */
    RuntimeCheck selfCheck();
}
