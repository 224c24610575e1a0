package org.layerlift.api.inference;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs server segments with ONNX Runtime. Segments are registered with their spec; sessions are built from it when
 * first needed (or by {@link #prepare}) and cached within a byte budget, rebuilt from the spec when evicted. Runs go
 * to a bounded worker pool with a per-run timeout.
 *
 * @since 1.1
 */
@ProviderType
public interface SegmentExecutor {

    /**
     * Registers a segment (replacing one under the same key) and builds its session now, on the calling thread, so
     * that when this returns the segment can run. Callers building in the background call this from their own
     * thread.
     *
     * @throws SegmentException BUILD_FAILED when the graph or weights cannot make a session
     */
    void prepare(SegmentSpec spec) throws SegmentException;

    /** Whether a segment is registered under {@code key}. */
    boolean isPrepared(String key);

    /** The declared inputs of a registered segment, in graph order; dynamic dimensions are -1. */
    List<TensorSpec> inputs(String key) throws SegmentException;

    /**
     * Runs a segment on {@code inputs} (validated against the segment's input names, element types and shapes first).
     * The stage completes with the segment's outputs in the graph's output order, or exceptionally with a
     * {@link SegmentException}: UNKNOWN_SEGMENT, BAD_INPUT, OVERLOADED (queue full, refused at once), TIMEOUT,
     * BUILD_FAILED or RUN_FAILED.
     */
    CompletionStage<List<TensorData>> run(String key, List<TensorData> inputs);

    /** Forgets every segment whose key starts with {@code keyPrefix}, closing their sessions. */
    void release(String keyPrefix);

    /** Counts and bounds now. */
    ExecutorStats stats();
}
