package org.layerlift.store.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.layerlift.api.store.ChunkWrite;
import org.layerlift.api.store.UnitAddress;

/** A unit of random bytes with its address, cut into chunks the way a client uploads it. */
final class TestUnit {

    final byte[] bytes;
    final UnitAddress address;
    final int chunkBytes;

    TestUnit(byte[] bytes, int chunkBytes) {
        this.bytes = bytes;
        this.address = UnitAddress.of(LocalLayerStore.sha256().digest(bytes));
        this.chunkBytes = chunkBytes;
    }

    static TestUnit random(long seed, int size, int chunkBytes) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return new TestUnit(bytes, chunkBytes);
    }

    int chunkCount() {
        return ChunkWrite.chunkCount(bytes.length, chunkBytes);
    }

    byte[] data(int index) {
        int from = index * chunkBytes;
        return Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunkBytes));
    }

    ChunkWrite chunk(String owner, int index) {
        return chunk(owner, index, data(index));
    }

    /** A chunk carrying {@code data} with that data's own (correct) hash. */
    ChunkWrite chunk(String owner, int index, byte[] data) {
        return new ChunkWrite(owner, address, bytes.length, chunkBytes, index, LocalLayerStore.sha256().digest(data),
                ByteBuffer.wrap(data));
    }

    static byte[] toArray(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
