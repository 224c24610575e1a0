package org.layerlift.api.store;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Units of model weights, content-addressed, durable, shared by every client. Uploads are chunked and resumable:
 * {@link #status} says which chunks are held, {@link #write} stores one chunk durably before it returns. The local
 * implementation keeps files on one disk; a distributed one (an S3-compatible object store) can implement the same
 * contract. All methods are thread-safe.
 */
@ProviderType
public interface LayerStore {

    /** What the store holds of {@code unit}. */
    UnitStatus status(UnitAddress unit);

    /**
     * Stores one chunk durably. Idempotent: a chunk already held (or a chunk of a complete unit) is acknowledged as a
     * duplicate without writing. When the last chunk arrives the whole unit is verified against its address and
     * becomes readable.
     *
     * @throws StoreException with the reason (hash mismatch, bad chunk, quota, space, I/O); a refused chunk changes
     *     nothing, except that a unit whose full hash does not match is discarded. Quota and space are checked when a
     *     chunk starts a new partial upload (it reserves the unit's full size then); {@code QUOTA_EXCEEDED} also
     *     means the owner has as many uploads in progress as it may
     */
    ChunkReceipt write(ChunkWrite chunk) throws StoreException;

    /**
     * The bytes of a complete unit, read-only (a mapped file for the local store); empty when the unit is not
     * complete here. Marks the unit used.
     */
    Optional<ByteBuffer> read(UnitAddress unit) throws StoreException;

    /**
     * Pins units for {@code holder} (a session id), replacing what that holder pinned before: pinned units, complete
     * or partial, are never evicted. Units not yet in the store are pinned too, so they stay once they arrive.
     */
    void pin(String holder, Collection<UnitAddress> units);

    /** Drops every pin of {@code holder}. */
    void unpin(String holder);

    /** Complete units, least recently used first. */
    List<StoredUnit> units();

    /** Disk use, budget and quota. */
    StoreUsage usage();

    /**
     * Removes a complete, unpinned unit (or discards a partial upload of it that nothing pins).
     *
     * @return the bytes freed; 0 when the unit is pinned or absent
     */
    long evict(UnitAddress unit) throws StoreException;

    /**
     * Evicts unpinned units, least recently used first, until the store holds at most {@code targetBytes}. Expired
     * partial uploads (no chunk for the configured time, unpinned) are discarded first; partial uploads in progress
     * are left alone, so the store may stay above the target.
     *
     * @return the bytes freed
     */
    long evictTo(long targetBytes) throws StoreException;
}
