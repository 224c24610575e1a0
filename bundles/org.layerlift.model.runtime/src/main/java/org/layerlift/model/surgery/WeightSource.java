package org.layerlift.model.surgery;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the bytes of weight tensors come from when a part is built: the model's external data files (the client, or
 * a test), or the weights a client uploaded (the gateway). A source answers by tensor; the tensor proto is the one in
 * the graph, so a file-backed source can honour its location, offset and length.
 */
public interface WeightSource {

    /**
     * The raw little-endian bytes of {@code tensor}, or null when this source does not hold it.
     *
     * @throws IOException when the source holds it but cannot read it
     */
    ByteString bytes(TensorProto tensor) throws IOException;

    /** What this source is, for error messages ("uploaded weights of units 3..7", "/models/vgg16.weights"). */
    String describe();

    /** A source that holds nothing: for models whose part weights are all embedded in the graph. */
    static WeightSource none() {
        return of("no weight source", Map.of());
    }

    /** Tensor name → bytes held in memory (the bytes are not copied; do not change the arrays afterwards). */
    static WeightSource ofBytes(String description, Map<String, byte[]> weights) {
        Map<String, ByteString> wrapped = new HashMap<>();
        weights.forEach((name, bytes) -> wrapped.put(name, com.google.protobuf.UnsafeByteOperations.unsafeWrap(bytes)));
        return of(description, wrapped);
    }

    /** Tensor name → bytes held in memory. */
    static WeightSource of(String description, Map<String, ByteString> weights) {
        Map<String, ByteString> copy = Map.copyOf(weights);
        return new WeightSource() {
            @Override
            public ByteString bytes(TensorProto tensor) {
                return copy.get(tensor.getName());
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
