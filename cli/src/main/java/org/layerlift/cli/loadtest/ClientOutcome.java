package org.layerlift.cli.loadtest;

import java.util.List;

/**
 * What one load-test client measured.
 *
 * @param clientId      its MQTT client id
 * @param session       the gateway's session id, or null when it never opened
 * @param openMs        connect and open (model load, profiling, manifest) in ms, or null when they failed
 * @param uploadDoneMs  when its upload was done, ms since its first plan, or null when it never was
 * @param latenciesMs   every answered query's latency, in order
 * @param offloaded     per answered query whether a part ran on the gateway
 * @param fallbacks     answered queries whose hop failed or timed out and re-ran locally
 * @param mismatches    answers that differ from the reference beyond the tolerance (null: not checked yet)
 * @param errors        what failed (a query, the session, the upload), one reason each
 * @param chunksSent    chunk messages sent
 * @param chunksResent  chunks sent again after the gateway had acknowledged them
 * @param bytesUploaded unit bytes the gateway acknowledged from it
 * @param bytesSkipped  unit bytes the gateway already held
 * @param replans       new plans it took
 * @param uplinkMbps    the client's uplink rate as its meter read it at the end (null: none measured)
 * @param planMbps      the bandwidth of the plan in force at the end (null: no plan)
 */
public record ClientOutcome(String clientId, String session, Double openMs, Double uploadDoneMs,
        List<Double> latenciesMs, List<Boolean> offloaded, int fallbacks, Integer mismatches, List<String> errors,
        long chunksSent, long chunksResent, long bytesUploaded, long bytesSkipped, int replans, Double uplinkMbps,
        Double planMbps) {

    /** Without rates: a client that never had a session. */
    public ClientOutcome(String clientId, String session, Double openMs, Double uploadDoneMs, List<Double> latenciesMs,
            List<Boolean> offloaded, int fallbacks, Integer mismatches, List<String> errors, long chunksSent,
            long chunksResent, long bytesUploaded, long bytesSkipped, int replans) {
        this(clientId, session, openMs, uploadDoneMs, latenciesMs, offloaded, fallbacks, mismatches, errors, chunksSent,
                chunksResent, bytesUploaded, bytesSkipped, replans, null, null);
    }

    public ClientOutcome {
        latenciesMs = List.copyOf(latenciesMs);
        offloaded = List.copyOf(offloaded);
        errors = List.copyOf(errors);
        if (latenciesMs.size() != offloaded.size()) {
            throw new IllegalArgumentException(latenciesMs.size() + " latencies for " + offloaded.size()
                    + " offloaded flags");
        }
    }

    /** The same with its answers checked. */
    public ClientOutcome withMismatches(int count) {
        return new ClientOutcome(clientId, session, openMs, uploadDoneMs, latenciesMs, offloaded, fallbacks, count,
                errors, chunksSent, chunksResent, bytesUploaded, bytesSkipped, replans, uplinkMbps, planMbps);
    }
}
