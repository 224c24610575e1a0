package org.layerlift.store.internal;

import org.layerlift.api.store.UnitAddress;

/** A complete, verified unit in the store. Immutable but for when it was last used. */
final class CompleteUnit {

    final UnitAddress unit;
    final long size;
    final int chunkBytes;
    /** Whose quota it counts against: the client that completed its upload. */
    final String owner;
    private volatile long lastUsedMillis;
    /** When {@link #lastUsedMillis} was last written to the unit file's mtime. */
    private volatile long persistedMillis;

    CompleteUnit(UnitAddress unit, long size, int chunkBytes, String owner, long lastUsedMillis) {
        this.unit = unit;
        this.size = size;
        this.chunkBytes = chunkBytes;
        this.owner = owner;
        this.lastUsedMillis = lastUsedMillis;
        this.persistedMillis = lastUsedMillis;
    }

    long lastUsedMillis() {
        return lastUsedMillis;
    }

    /**
     * Marks the unit used at {@code now}; true when the file's mtime is due to be updated too (at most once per
     * {@code persistEveryMillis}: LRU order survives a restart to about that precision, without a write per read).
     */
    boolean touch(long now, long persistEveryMillis) {
        if (now > lastUsedMillis) {
            lastUsedMillis = now;
        }
        if (now - persistedMillis >= persistEveryMillis) {
            persistedMillis = now;
            return true;
        }
        return false;
    }
}
