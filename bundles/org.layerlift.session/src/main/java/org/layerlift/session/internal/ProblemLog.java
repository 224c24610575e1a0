package org.layerlift.session.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Logs refused messages without letting a flood flood the log: the first problem of a kind from a client is logged,
 * the same kind from the same client is then only counted for a minute, and the count is logged with the next one
 * after that. The table is bounded: the oldest entries go first.
 */
final class ProblemLog {

    private static final long WINDOW_MS = 60_000;
    private static final int MAX_KEYS = 4096;

    private final Consumer<String> sink;
    private final LongSupplier clock;
    private final Map<String, long[]> seen = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_KEYS;
        }
    };
    private long total;

    ProblemLog(Consumer<String> sink, LongSupplier clock) {
        this.sink = sink;
        this.clock = clock;
    }

    /** Notes a problem; returns whether it was logged (false: only counted). */
    boolean note(String client, String kind, String message) {
        String key = client + "\u0000" + kind;
        long now = clock.getAsLong();
        String line;
        synchronized (this) {
            total++;
            long[] entry = seen.get(key);
            if (entry != null && now - entry[0] < WINDOW_MS) {
                entry[1]++;
                return false;
            }
            long suppressed = entry == null ? 0 : entry[1];
            seen.put(key, new long[] {now, 0});
            line = "client " + client + ": " + kind + ": " + message
                    + (suppressed > 0 ? " (and " + suppressed + " more like it in the last minute)" : "");
        }
        sink.accept(line);
        return true;
    }

    synchronized long total() {
        return total;
    }
}
