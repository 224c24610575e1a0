package org.layerlift.inference.onnx.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The segment executor's configuration, checked: every bad value is named with its key, all at once.
 *
 * @param workers        worker threads
 * @param queue          runs that may wait for a worker
 * @param timeoutMs      how long a run may take from submission, ms
 * @param cacheBytes     weight bytes of the sessions kept built
 * @param intraOpThreads ONNX Runtime intra-op threads per session
 * @param maxSegments    segments that may be registered at once
 * @param callerRuns     with a worker slot free, a run executes on the caller's thread (one thread hand-off less per
 *                       query hop; at most {@code workers} runs execute at once either way); off: always on the pool
 */
public record ExecutorSettings(int workers, int queue, long timeoutMs, long cacheBytes, int intraOpThreads,
        int maxSegments, boolean callerRuns) {

    static final int DEFAULT_QUEUE = 16;
    static final long DEFAULT_TIMEOUT_MS = 30_000;
    static final long DEFAULT_CACHE_BYTES = 1L << 30;
    static final int DEFAULT_MAX_SEGMENTS = 4096;
    static final int MAX_THREADS = 256;
    static final int MAX_QUEUE = 65_536;
    /** One hour: a run longer than that is a hung run, not a slow one. */
    static final long MAX_TIMEOUT_MS = 3_600_000;

    public ExecutorSettings {
        List<String> problems = new ArrayList<>();
        range(problems, "workers", workers, 1, MAX_THREADS);
        range(problems, "queue", queue, 1, MAX_QUEUE);
        range(problems, "timeout.ms", timeoutMs, 1, MAX_TIMEOUT_MS);
        range(problems, "cache.bytes", cacheBytes, 0, Long.MAX_VALUE);
        range(problems, "intra.op.threads", intraOpThreads, 1, MAX_THREADS);
        range(problems, "max.segments", maxSegments, 1, Integer.MAX_VALUE);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid segment executor configuration: "
                    + String.join("; ", problems));
        }
    }

    /** The defaults: min(2, cores) workers, queue 16, 30 s, 1 GiB, 1 intra-op thread, 4096 segments. */
    public static ExecutorSettings defaults() {
        return new ExecutorSettings(defaultWorkers(), DEFAULT_QUEUE, DEFAULT_TIMEOUT_MS, DEFAULT_CACHE_BYTES, 1,
                DEFAULT_MAX_SEGMENTS, true);
    }

    /** From the component configuration; workers 0 means the default. */
    static ExecutorSettings from(ExecutorConfig c) {
        int workers = c.workers();
        if (workers < 0) {
            // named here: the record would report the substituted value, not the configured one
            throw new IllegalArgumentException("invalid segment executor configuration: workers " + workers
                    + " is outside 0..256 (0: min(2, available processors))");
        }
        return new ExecutorSettings(workers == 0 ? defaultWorkers() : workers, c.queue(), c.timeout_ms(),
                c.cache_bytes(), c.intra_op_threads(), c.max_segments(), c.caller_runs());
    }

    ExecutorSettings withCallerRuns(boolean on) {
        return new ExecutorSettings(workers, queue, timeoutMs, cacheBytes, intraOpThreads, maxSegments, on);
    }

    ExecutorSettings withWorkers(int n) {
        return new ExecutorSettings(n, queue, timeoutMs, cacheBytes, intraOpThreads, maxSegments, callerRuns);
    }

    ExecutorSettings withQueue(int n) {
        return new ExecutorSettings(workers, n, timeoutMs, cacheBytes, intraOpThreads, maxSegments, callerRuns);
    }

    ExecutorSettings withTimeoutMs(long ms) {
        return new ExecutorSettings(workers, queue, ms, cacheBytes, intraOpThreads, maxSegments, callerRuns);
    }

    ExecutorSettings withCacheBytes(long bytes) {
        return new ExecutorSettings(workers, queue, timeoutMs, bytes, intraOpThreads, maxSegments, callerRuns);
    }

    ExecutorSettings withMaxSegments(int n) {
        return new ExecutorSettings(workers, queue, timeoutMs, cacheBytes, intraOpThreads, n, callerRuns);
    }

    static int defaultWorkers() {
        return Math.min(2, Runtime.getRuntime().availableProcessors());
    }

    private static void range(List<String> problems, String key, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                    ? key + " " + value + " must be at least " + min
                    : key + " " + value + " is outside " + min + ".." + max);
        }
    }

    @Override
    public String toString() {
        return workers + " workers, queue " + queue + ", timeout " + timeoutMs + " ms, cache " + cacheBytes
                + " bytes, " + intraOpThreads + " intra-op thread(s), at most " + maxSegments + " segments";
    }
}
