package org.layerlift.api.store;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One chunk of a unit upload. Chunk {@code index} covers bytes {@code [index * chunkBytes, min(unitSize,
 * (index + 1) * chunkBytes))} of the unit; every chunk but the last is exactly {@code chunkBytes} long.
 *
 * @param owner       who uploads (the client id): quotas are counted per owner
 * @param unit        the unit's content address
 * @param unitSize    the unit's total size in bytes (&gt; 0)
 * @param chunkBytes  the chunk size of this unit's upload (fixed for the unit once its first chunk is stored)
 * @param index       which chunk
 * @param chunkSha256 SHA-256 of the chunk's bytes (32 bytes), checked before anything is written
 * @param data        the chunk's bytes (position to limit); not retained after the call
 */
public record ChunkWrite(String owner, UnitAddress unit, long unitSize, int chunkBytes, int index, byte[] chunkSha256,
        ByteBuffer data) {

    public ChunkWrite {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(chunkSha256, "chunkSha256");
        Objects.requireNonNull(data, "data");
    }

    /** How many chunks a unit of {@code unitSize} bytes has at {@code chunkBytes} per chunk. */
    public static int chunkCount(long unitSize, int chunkBytes) {
        return (int) ((unitSize + chunkBytes - 1) / chunkBytes);
    }
}
