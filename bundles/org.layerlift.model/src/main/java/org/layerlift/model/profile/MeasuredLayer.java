package org.layerlift.model.profile;

import java.util.List;

/**
 * One layer of a measurement set, in execution order.
 *
 * @param index       position in execution order (0 is the input layer)
 * @param name        layer name
 * @param type        layer type, e.g. "Convolution", "Split"
 * @param bottoms     names of the blobs the layer reads (Caffe), or {@code null} when the set names producing layers
 *                    only (see {@code inputs})
 * @param tops        names of the blobs the layer writes (may be empty)
 * @param inputs      names of the layers producing its inputs
 * @param weightBytes bytes of the layer's weights
 * @param outputBytes bytes of one of its output blobs
 * @param clientMs    time on the client
 * @param serverMs    time on the server
 * @param loadMs      server time to load its weights
 */
public record MeasuredLayer(int index, String name, String type, List<String> bottoms, List<String> tops,
        List<String> inputs, long weightBytes, long outputBytes, double clientMs, double serverMs, double loadMs) {

    public MeasuredLayer {
        bottoms = bottoms == null ? null : List.copyOf(bottoms);
        tops = List.copyOf(tops);
        inputs = List.copyOf(inputs);
    }

    /** Caffe's run-time fan-out layers carry no work of their own; IONN leaves them out of unit costs. */
    public boolean isSplit() {
        return "Split".equals(type);
    }
}
