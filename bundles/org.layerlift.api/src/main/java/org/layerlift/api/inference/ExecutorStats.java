package org.layerlift.api.inference;

/**
 * The segment executor now.
 *
 * @param segments       segments registered
 * @param cachedSessions ONNX Runtime sessions built and cached
 * @param cachedBytes    weight bytes of the cached sessions
 * @param cacheLimit     the cache's bound in weight bytes
 * @param running        runs in progress
 * @param queued         runs waiting for a worker
 * @param workers        worker threads
 * @param completedRuns  runs finished since start (successful or not)
 * @param failedRuns     runs that failed or timed out since start
 * @param builds         sessions built since start
 * @since 1.1
 */
public record ExecutorStats(int segments, int cachedSessions, long cachedBytes, long cacheLimit, int running,
        int queued, int workers, long completedRuns, long failedRuns, long builds) {
}
