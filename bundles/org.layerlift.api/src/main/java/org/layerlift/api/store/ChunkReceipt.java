package org.layerlift.api.store;

/**
 * What the store did with a chunk. Returned only once the chunk is durable (written and fsynced, its index recorded),
 * so an acknowledged chunk is never needed again, whatever happens to the process.
 *
 * @param unit           the unit
 * @param index          the chunk
 * @param duplicate      the store already held this chunk (or the whole unit): nothing was written
 * @param chunksHeld     chunks of this unit held now
 * @param chunkCount     chunks the unit has
 * @param unitComplete   the unit is complete now: every chunk held and the whole unit's SHA-256 verified
 */
public record ChunkReceipt(UnitAddress unit, int index, boolean duplicate, int chunksHeld, int chunkCount,
        boolean unitComplete) {
}
