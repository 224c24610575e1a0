package org.layerlift.inference.onnx.internal;

import java.util.concurrent.TimeUnit;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.layerlift.api.inference.ExecutorStats;

/**
 * The segment executor's health from its counts: OK with them; WARN while the run queue is over 80 % full (the
 * gateway is about to refuse runs) or while a run timed out in the last minute.
 */
final class ExecutorHealth {

    static final long RECENT_TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(1);

    private ExecutorHealth() {}

    /**
     * @param queueCapacity          the run queue's bound
     * @param timeouts               runs that timed out since start
     * @param nanosSinceLastTimeout  since the last one ({@code Long.MAX_VALUE}: none)
     */
    static ResultLog log(ExecutorStats s, int queueCapacity, long timeouts, long nanosSinceLastTimeout) {
        ResultLog log = new ResultLog();
        if (s.queued() * 5L > queueCapacity * 4L) {
            log.add(new ResultLog.Entry(Result.Status.WARN, "run queue " + s.queued() + "/" + queueCapacity
                    + " full with all " + s.workers() + " workers busy: runs are about to be refused"));
        }
        if (nanosSinceLastTimeout < RECENT_TIMEOUT_NANOS) {
            log.add(new ResultLog.Entry(Result.Status.WARN, "a run timed out "
                    + TimeUnit.NANOSECONDS.toSeconds(nanosSinceLastTimeout) + " s ago (" + timeouts
                    + " since start)"));
        }
        log.add(new ResultLog.Entry(Result.Status.OK, s.segments() + " segments, " + s.cachedSessions()
                + " sessions cached (" + mib(s.cachedBytes()) + " of " + mib(s.cacheLimit()) + " MiB), "
                + s.running() + " running, " + s.queued() + " queued, " + s.workers() + " workers; "
                + s.completedRuns() + " runs, " + s.failedRuns() + " failed, " + timeouts + " timed out, "
                + s.builds() + " builds"));
        return log;
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
