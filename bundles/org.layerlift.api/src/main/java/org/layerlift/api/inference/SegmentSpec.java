package org.layerlift.api.inference;

import java.util.Objects;

/**
 * Everything needed to build an ONNX Runtime session for one server segment.
 *
 * @param key         identifies the segment on this gateway, e.g. {@code <model hash>/3-7}; sessions are cached by it
 * @param graph       the segment's ONNX model bytes (ModelProto); its weight tensors may be external (data_location
 *                    EXTERNAL) and are then supplied by {@code weights}
 * @param weightBytes the bytes {@code weights} supplies in total (what a cached session costs)
 * @param weights     supplies the bytes of the external tensors; called whenever the session is (re)built
 * @since 1.1
 */
public record SegmentSpec(String key, byte[] graph, long weightBytes, SegmentWeights weights) {

    public SegmentSpec {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(weights, "weights");
        if (weightBytes < 0) {
            throw new IllegalArgumentException("segment " + key + ": negative weight bytes");
        }
    }
}
