package org.layerlift.client;

import java.util.List;
import org.layerlift.api.inference.TensorData;

/**
 * One answered query.
 *
 * @param outputs        the model's outputs
 * @param startMs        when it started, in ms since the first plan arrived (the upload's start, the prediction's t = 0)
 * @param latencyMs      how long it took
 * @param partition      the plan partition whose segments it used, or -1 when it ran locally
 * @param planVersion    the plan in force when it started
 * @param segments       where each part ran, in order
 * @param offloaded      whether a part ran on the gateway
 * @param fallback       whether a hop failed or timed out and the query re-ran locally
 * @param fallbackReason why, or null
 */
public record QueryResult(List<TensorData> outputs, double startMs, double latencyMs, int partition,
        int planVersion, List<SegmentRun> segments, boolean offloaded, boolean fallback, String fallbackReason) {

    public QueryResult {
        outputs = List.copyOf(outputs);
        segments = List.copyOf(segments);
    }

    /**
     * Units first..last ran on the client or the gateway.
     *
     * @param where     {@code client} or {@code gateway}
     * @param ms        its time (for the gateway: the whole hop as the client saw it)
     * @param gatewayMs for a hop, the gateway's own time for it (decoding, the run, encoding), else 0
     */
    public record SegmentRun(int first, int last, String where, double ms, double gatewayMs) {

        public SegmentRun(int first, int last, String where, double ms) {
            this(first, last, where, ms, 0);
        }
    }
}
