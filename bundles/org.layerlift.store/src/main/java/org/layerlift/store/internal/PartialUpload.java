package org.layerlift.store.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.layerlift.api.store.UnitAddress;

/**
 * A unit upload in progress. Its monitor is the unit's lock: chunk writes, completion and discarding of one unit take
 * it, so uploads of different units never wait for each other's I/O. The store's bookkeeping lock may be taken while
 * holding it, never the other way round.
 */
final class PartialUpload {

    final UnitAddress unit;
    /** Who started it: its full size counts against this owner's quota until it completes. */
    final String owner;
    final long unitSize;
    final int chunkBytes;
    final int chunkCount;

    // guarded by this
    /** Chunks that are durable (bytes fsynced, journal record fsynced). */
    final BitSet held;
    /** Where the next journal record goes; 0 while the files are not yet created. */
    long journalLength;
    /** Completed or discarded: a writer that finds this must look the unit up again. */
    boolean gone;

    /**
     * Bytes of the chunks held: written under this monitor, read under the store's bookkeeping lock (which must not
     * take this monitor) to know how much of the upload's reservation is still to come to the disk.
     */
    volatile long heldBytes;

    /** When a chunk was last stored (or the upload started), for expiry. */
    volatile long lastChunkMillis;

    PartialUpload(UnitAddress unit, String owner, long unitSize, int chunkBytes, BitSet held, long journalLength,
            long lastChunkMillis) {
        this.unit = unit;
        this.owner = owner;
        this.unitSize = unitSize;
        this.chunkBytes = chunkBytes;
        this.chunkCount = (int) ((unitSize + chunkBytes - 1) / chunkBytes);
        this.held = held;
        this.journalLength = journalLength;
        this.lastChunkMillis = lastChunkMillis;
        long bytes = 0;
        for (int i = held.nextSetBit(0); i >= 0; i = held.nextSetBit(i + 1)) {
            bytes += length(i);
        }
        this.heldBytes = bytes;
    }

    /** Of its full size, the bytes not yet on disk (reserved for the chunks still to come). */
    long unwrittenBytes() {
        return Math.max(0, unitSize - heldBytes);
    }

    /** Where chunk {@code index} starts in the unit. */
    long offset(int index) {
        return (long) index * chunkBytes;
    }

    /** The length chunk {@code index} must have: {@code chunkBytes}, but the remainder for the last. */
    int length(int index) {
        return index < chunkCount - 1 ? chunkBytes : (int) (unitSize - offset(chunkCount - 1));
    }

    synchronized List<Integer> heldIndices() {
        List<Integer> indices = new ArrayList<>(held.cardinality());
        held.stream().forEach(indices::add);
        return indices;
    }
}
