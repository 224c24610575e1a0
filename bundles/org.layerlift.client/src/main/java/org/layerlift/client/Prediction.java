package org.layerlift.client;

import java.util.List;

/**
 * The simulator's prediction for a plan (org.layerlift.simulator, shared-link mode).
 *
 * @param meanLatencyDuringUploadMs mean latency of the queries started before the upload ends
 * @param uploadDoneMs              when the last partition is ready
 * @param localLatencyMs            the whole model on the client
 * @param partitionReadyMs          when each partition is ready, in plan order
 * @param queries                   each predicted query: start and latency in ms
 */
public record Prediction(double meanLatencyDuringUploadMs, double uploadDoneMs, double localLatencyMs,
        List<Double> partitionReadyMs, List<Point> queries) {

    public Prediction {
        partitionReadyMs = List.copyOf(partitionReadyMs);
        queries = List.copyOf(queries);
    }

    /** A predicted query. */
    public record Point(double startMs, double latencyMs, int partition) {}
}
