package org.layerlift.api.inference;

import java.nio.ByteBuffer;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Supplies the external weight tensors of a segment's graph: tensor name → raw little-endian bytes (read-only
 * buffers are fine; they are not kept after the session is built).
 *
 * @since 1.1
 */
@ConsumerType
@FunctionalInterface
public interface SegmentWeights {

    /** @throws Exception when the weights cannot be read (the message says which and why) */
    Map<String, ByteBuffer> load() throws Exception;
}
