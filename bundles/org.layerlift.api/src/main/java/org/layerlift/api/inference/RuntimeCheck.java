package org.layerlift.api.inference;

/**
 * The outcome of running a small built-in model through the inference runtime.
 *
 * @param ok             whether the outputs matched the expected values
 * @param runtime        runtime name and version, e.g. "ONNX Runtime 1.24.2"
 * @param providers      execution providers available
 * @param platform       os-arch the natives were loaded for
 * @param latencyMillis  wall time of one inference (after session creation)
 * @param detail         what was checked, or what went wrong
 */
public record RuntimeCheck(boolean ok, String runtime, String providers, String platform, double latencyMillis,
        String detail) {
}
