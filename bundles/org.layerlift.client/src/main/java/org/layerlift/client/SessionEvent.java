package org.layerlift.client;

/**
 * Something that happened to a session.
 *
 * @param type      {@code progress} (chunks acknowledged), {@code partition_ready}, {@code replan}, {@code fallback},
 *                  {@code disconnected}, {@code reconnected}, {@code resumed}, {@code bandwidth_reported},
 *                  {@code upload_done}, {@code upload_failed}, {@code session_expired}
 * @param atMs      ms since the first plan arrived (the clock of QueryResult.startMs)
 * @param partition the partition (partition_ready), else -1
 * @param detail    a short text (the reason of a re-plan or fallback, an error), or null
 * @param progress  the counters after it
 */
public record SessionEvent(String type, double atMs, int partition, String detail, SessionProgress progress) {

    public static final String PROGRESS = "progress";
    public static final String PARTITION_READY = "partition_ready";
    public static final String REPLAN = "replan";
    public static final String FALLBACK = "fallback";
    public static final String DISCONNECTED = "disconnected";
    public static final String RECONNECTED = "reconnected";
    public static final String RESUMED = "resumed";
    public static final String BANDWIDTH_REPORTED = "bandwidth_reported";
    public static final String UPLOAD_DONE = "upload_done";
    public static final String UPLOAD_FAILED = "upload_failed";
    public static final String SESSION_EXPIRED = "session_expired";
}
