package org.layerlift.simulator;

import java.util.List;

/**
 * The metrics of one strategy's upload plan on one profile at one bandwidth.
 *
 * @param strategy                   strategy name
 * @param model                      model name
 * @param bandwidthMbps              link rate
 * @param meanLatencyDuringUploadMs  mean latency of the queries started before the last partition was ready (the
 *                                   reference metric); the first query's latency when the upload takes no time
 * @param queriesDuringUpload        how many queries that mean covers
 * @param meanLatencyCommonWindowMs  mean latency of the queries started in [0, commonWindowMs)
 * @param commonWindowMs             the window all compared strategies share: the latest upload end among them
 * @param timeAveragedLatencyMs      area under the latency-over-time curve (each query's latency held while it
 *                                   runs) over the common window, divided by its length
 * @param firstQueryLatencyMs        latency of the query started at 0
 * @param worstQueryOverLocal        highest latency / local-only latency over the queries in the window
 * @param uploadDoneMs               when the last partition was ready
 * @param localLatencyMs             latency of a query run entirely on the client
 * @param partitions                 the partitions in upload order
 * @param queries                    every simulated query, up to the end of the window
 */
public record SimulationResult(String strategy, String model, double bandwidthMbps, double meanLatencyDuringUploadMs,
        int queriesDuringUpload, double meanLatencyCommonWindowMs, double commonWindowMs,
        double timeAveragedLatencyMs, double firstQueryLatencyMs, double worstQueryOverLocal, double uploadDoneMs,
        double localLatencyMs, List<PartitionTiming> partitions, List<QueryRecord> queries) {

    public SimulationResult {
        partitions = List.copyOf(partitions);
        queries = List.copyOf(queries);
    }
}
