package org.layerlift.cli.offload;

/**
 * When an offload run stops raising queries: after {@code durationMs} since the upload started, or once
 * {@code queriesAfterUpload} queries have started after the upload was done; in every case when the upload failed
 * or after the overall guard {@code limitMs}.
 *
 * @param durationMs         stop at this time since open, or a negative number for none
 * @param queriesAfterUpload stop after this many queries started after the upload was done (used when there is no
 *                           duration)
 * @param limitMs            the guard: never run longer than this
 */
public record StopRule(double durationMs, int queriesAfterUpload, double limitMs) {

    /** The guard when nothing else ends a run: 30 minutes. */
    public static final double DEFAULT_LIMIT_MS = 30 * 60_000;

    /** Queries after the upload when neither a duration nor a count is given. */
    public static final int DEFAULT_QUERIES_AFTER_UPLOAD = 10;

    public StopRule {
        if (queriesAfterUpload < 0) {
            throw new IllegalArgumentException("queries after upload must be >= 0, got " + queriesAfterUpload);
        }
        if (!(limitMs > 0)) {
            throw new IllegalArgumentException("the overall limit must be > 0, got " + limitMs);
        }
    }

    public static StopRule duration(double seconds) {
        return new StopRule(seconds * 1000, 0, DEFAULT_LIMIT_MS);
    }

    public static StopRule afterUpload(int queries) {
        return new StopRule(-1, queries, DEFAULT_LIMIT_MS);
    }

    /** Why the run stops now, or null to go on. */
    public String check(double nowMs, long queriesStartedAfterUpload, boolean uploadDone, boolean uploadFailed) {
        if (uploadFailed) {
            return "the upload failed";
        }
        if (nowMs >= limitMs) {
            return "the overall limit of " + Math.round(limitMs / 1000) + " s was reached";
        }
        if (durationMs >= 0) {
            return nowMs >= durationMs ? "the duration is over" : null;
        }
        return uploadDone && queriesStartedAfterUpload >= queriesAfterUpload ? "done" : null;
    }

    /** Until when a wait before a query may last at most (the duration's or the guard's end). */
    public double deadlineMs() {
        return durationMs >= 0 ? Math.min(durationMs, limitMs) : limitMs;
    }
}
