package org.layerlift.api.store;

/**
 * The store's use of disk.
 *
 * @param units          complete units held
 * @param unitBytes      their bytes
 * @param partialUnits   unit uploads in progress
 * @param partialBytes   bytes reserved by those uploads (their full sizes)
 * @param pinnedUnits    units pinned by live sessions
 * @param budgetBytes    the disk budget (complete + partial); eviction keeps the store below it
 * @param freeDiskBytes  free bytes on the store's file system
 * @param quotaBytes     the per-client quota (bytes of units a client uploads that are held)
 */
public record StoreUsage(long units, long unitBytes, long partialUnits, long partialBytes, long pinnedUnits,
        long budgetBytes, long freeDiskBytes, long quotaBytes) {
}
