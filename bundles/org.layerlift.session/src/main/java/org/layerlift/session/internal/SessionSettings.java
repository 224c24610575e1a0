package org.layerlift.session.internal;

import java.nio.file.Path;

/**
 * Validated session settings.
 *
 * @param dir                  where sessions, graphs and server-cost measurements are kept
 * @param idleExpiryMs         a session without any message for this long expires
 * @param maxSessions          sessions on the gateway, at most
 * @param maxSessionsPerClient sessions of one client, at most
 * @param chunkBytes           the chunk size plans announce (the store accepts others up to its limit)
 * @param profileRuns          measured runs when the gateway profiles a model's server costs
 * @param profileThreads       ONNX Runtime intra-op threads for that profiling (as the executor runs)
 * @param strategyPollMs       how often the installed strategies are compared with what planned each session
 */
record SessionSettings(Path dir, long idleExpiryMs, int maxSessions, int maxSessionsPerClient, int chunkBytes,
        int profileRuns, int profileThreads, long strategyPollMs) {

    SessionSettings {
        StringBuilder problems = new StringBuilder();
        if (dir == null) {
            problems.append("data.dir must be set; ");
        }
        if (idleExpiryMs < 1000) {
            problems.append("idle.expiry.s must be ≥ 1, got ").append(idleExpiryMs / 1000).append("; ");
        }
        if (maxSessions < 1) {
            problems.append("max.sessions must be ≥ 1, got ").append(maxSessions).append("; ");
        }
        if (maxSessionsPerClient < 1) {
            problems.append("max.sessions.per.client must be ≥ 1, got ").append(maxSessionsPerClient).append("; ");
        }
        if (chunkBytes < 1024 || chunkBytes > 64 * 1024 * 1024) {
            problems.append("chunk.bytes must be 1024..67108864, got ").append(chunkBytes).append("; ");
        }
        if (profileRuns < 1 || profileRuns > 1000) {
            problems.append("profile.runs must be 1..1000, got ").append(profileRuns).append("; ");
        }
        if (profileThreads < 0 || profileThreads > 256) {
            problems.append("profile.threads must be 0..256, got ").append(profileThreads).append("; ");
        }
        if (strategyPollMs < 50) {
            problems.append("strategy.poll.ms must be ≥ 50, got ").append(strategyPollMs).append("; ");
        }
        if (problems.length() > 0) {
            throw new IllegalArgumentException("session configuration refused: "
                    + problems.substring(0, problems.length() - 2));
        }
    }
}
