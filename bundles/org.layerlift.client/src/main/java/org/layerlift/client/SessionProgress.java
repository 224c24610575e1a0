package org.layerlift.client;

/**
 * A session's counters.
 *
 * @param session            the gateway's session id
 * @param strategy           the strategy of the plan in force
 * @param planVersion        the plan in force
 * @param bytesToUpload      unit bytes the plans asked this client to upload (held units excluded)
 * @param bytesUploaded      unit bytes acknowledged by the gateway from this client
 * @param bytesSkipped       unit bytes the gateway already held (other clients, earlier runs)
 * @param partitions         partitions of the plan in force
 * @param partitionsReady    of which ready
 * @param chunksSent         chunk messages sent (first sends and retries after a disconnect or overload)
 * @param chunksResent       chunks sent again although the gateway had acknowledged them (0 unless the gateway lost
 *                           an acknowledged chunk)
 * @param replans            new plans taken (re-plan notices and bandwidth reports)
 * @param bandwidthReports   measured rates reported to the gateway
 * @param queries            queries answered
 * @param offloadedQueries   of which offloaded
 * @param fallbacks          of which re-run locally after a failed hop
 * @param uploadDoneMs       when the last partition got ready (ms since the first plan arrived), or -1
 * @param measuredUplinkMbps the uplink rate measured from chunk acknowledgements, or 0 before enough data
 * @param connected          whether the MQTT connection is up
 * @param chunksAlreadyHeld  chunks the gateway acknowledged as already stored when they arrived (another client sent
 *                           them first, or they were sent before this session learned what the gateway holds); a
 *                           session that asks 'have' before it sends re-sends none of its own earlier runs' chunks
 */
public record SessionProgress(String session, String strategy, int planVersion, long bytesToUpload,
        long bytesUploaded, long bytesSkipped, int partitions, int partitionsReady, long chunksSent, long chunksResent,
        int replans, int bandwidthReports, long queries, long offloadedQueries, long fallbacks, double uploadDoneMs,
        double measuredUplinkMbps, boolean connected, long chunksAlreadyHeld) {

    /** The counters without {@code chunksAlreadyHeld} (0). */
    public SessionProgress(String session, String strategy, int planVersion, long bytesToUpload, long bytesUploaded,
            long bytesSkipped, int partitions, int partitionsReady, long chunksSent, long chunksResent, int replans,
            int bandwidthReports, long queries, long offloadedQueries, long fallbacks, double uploadDoneMs,
            double measuredUplinkMbps, boolean connected) {
        this(session, strategy, planVersion, bytesToUpload, bytesUploaded, bytesSkipped, partitions, partitionsReady,
                chunksSent, chunksResent, replans, bandwidthReports, queries, offloadedQueries, fallbacks, uploadDoneMs,
                measuredUplinkMbps, connected, 0);
    }

    public boolean uploadDone() {
        return uploadDoneMs >= 0;
    }
}
