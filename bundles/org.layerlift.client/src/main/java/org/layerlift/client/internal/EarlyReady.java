package org.layerlift.client.internal;

import java.util.BitSet;

/**
 * Partitions the gateway told ready for a plan newer than the one in force. The gateway may tell that before its
 * re-plan reaches the client (a build finishing at once); dropping it would leave the partition unused for the whole
 * plan. Only the newest such plan's indices are kept, and only indices below {@link #MAX_PARTITIONS}: bounded.
 * Not thread-safe; the session guards it with its lock.
 */
final class EarlyReady {

    static final int MAX_PARTITIONS = 100_000;

    private int version = -1;
    private final BitSet partitions = new BitSet();

    /** A ready notice for {@code planVersion} while {@code inForce} is in force; older notices are ignored. */
    void told(int planVersion, int partition, int inForce) {
        if (planVersion <= inForce || planVersion < version || partition < 0 || partition >= MAX_PARTITIONS) {
            return;
        }
        if (planVersion > version) {
            partitions.clear();
            version = planVersion;
        }
        partitions.set(partition);
    }

    /**
     * The partitions told ready for the plan now taken ({@code count} partitions); forgets everything up to it.
     * {@code sameSession} false (the gateway opened a new session) forgets everything and returns none.
     */
    BitSet take(int planVersion, int count, boolean sameSession) {
        BitSet out = sameSession && planVersion == version ? partitions.get(0, count) : new BitSet();
        if (!sameSession || version <= planVersion) {
            partitions.clear();
            version = -1;
        }
        return out;
    }
}
