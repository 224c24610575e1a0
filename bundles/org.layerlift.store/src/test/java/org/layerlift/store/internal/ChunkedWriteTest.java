package org.layerlift.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlift.store.internal.Stores.refused;
import static org.layerlift.store.internal.Stores.settings;
import static org.layerlift.store.internal.Stores.upload;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.store.ChunkReceipt;
import org.layerlift.api.store.ChunkWrite;
import org.layerlift.api.store.StoreException.Reason;
import org.layerlift.api.store.UnitStatus;

class ChunkedWriteTest {

    @TempDir
    Path dir;
    LocalLayerStore store;

    @BeforeEach
    void open() throws Exception {
        store = new LocalLayerStore(settings(dir));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void chunksInAnyOrderMakeAVerifiedReadableUnit() throws Exception {
        TestUnit unit = TestUnit.random(1, 10_000, 4096); // 3 chunks, the last 1808 bytes
        ChunkReceipt third = store.write(unit.chunk("phone-1", 2));
        assertEquals(new ChunkReceipt(unit.address, 2, false, 1, 3, false), third);
        store.write(unit.chunk("phone-1", 0));
        assertEquals(new UnitStatus(unit.address, 10_000, 4096, false, List.of(0, 2)), store.status(unit.address));
        assertTrue(store.read(unit.address).isEmpty(), "a partial unit is not readable");

        ChunkReceipt last = store.write(unit.chunk("phone-1", 1));
        assertEquals(new ChunkReceipt(unit.address, 1, false, 3, 3, true), last);
        assertEquals(new UnitStatus(unit.address, 10_000, 4096, true, List.of()), store.status(unit.address));
        ByteBuffer bytes = store.read(unit.address).orElseThrow();
        assertTrue(bytes.isReadOnly());
        assertArrayEquals(unit.bytes, TestUnit.toArray(bytes));
        assertTrue(Files.isRegularFile(dir.resolve("units").resolve(unit.address.sha256().substring(0, 2))
                .resolve(unit.address.sha256() + ".unit")));
        try (Stream<Path> partial = Files.list(dir.resolve("partial"))) {
            assertEquals(0, partial.count(), "nothing of the upload is left in partial/");
        }
        assertEquals(1, store.usage().units());
        assertEquals(10_000, store.usage().unitBytes());
        assertEquals(0, store.usage().partialBytes());
    }

    @Test
    void aChunkWithTheWrongHashIsRefusedAndNothingIsWritten() throws Exception {
        TestUnit unit = TestUnit.random(2, 8192, 4096);
        ChunkWrite good = unit.chunk("phone-1", 0);
        byte[] wrongHash = good.chunkSha256().clone();
        wrongHash[0] ^= 1;
        refused(Reason.CHUNK_HASH_MISMATCH, () -> store.write(new ChunkWrite("phone-1", unit.address, 8192, 4096, 0,
                wrongHash, ByteBuffer.wrap(unit.data(0)))));
        assertEquals(UnitStatus.absent(unit.address), store.status(unit.address));
        assertEquals(0, store.usage().partialUnits());
        try (Stream<Path> partial = Files.list(dir.resolve("partial"))) {
            assertEquals(0, partial.count());
        }
        assertFalse(store.write(good).duplicate(), "the same chunk with its right hash is stored");
    }

    @Test
    void chunksOfTheWrongShapeAreRefused() throws Exception {
        TestUnit unit = TestUnit.random(3, 10_000, 4096);
        String o = "phone-1";
        refused(Reason.BAD_CHUNK, () -> store.write(unit.chunk(o, 3, new byte[10]))); // index past the end
        refused(Reason.BAD_CHUNK, () -> store.write(unit.chunk(o, -1, new byte[10])));
        refused(Reason.BAD_CHUNK, () -> store.write(unit.chunk(o, 0, new byte[4095]))); // not a full chunk
        refused(Reason.BAD_CHUNK, () -> store.write(unit.chunk(o, 2, new byte[4096]))); // last is the remainder
        byte[] bigChunk = new byte[(int) (2 * Stores.MIB)];
        refused(Reason.BAD_CHUNK, () -> store.write(new ChunkWrite(o, unit.address, 4 * Stores.MIB,
                bigChunk.length, 0, LocalLayerStore.sha256().digest(bigChunk), ByteBuffer.wrap(bigChunk))));
        refused(Reason.BAD_CHUNK, () -> store.write(new ChunkWrite(o, unit.address, 65 * Stores.MIB, 4096, 0,
                LocalLayerStore.sha256().digest(unit.data(0)), ByteBuffer.wrap(unit.data(0)))));
        refused(Reason.BAD_CHUNK, () -> store.write(new ChunkWrite(" ", unit.address, 10_000, 4096, 0,
                LocalLayerStore.sha256().digest(unit.data(0)), ByteBuffer.wrap(unit.data(0)))));
        assertEquals(0, store.usage().partialUnits(), "no refused chunk starts an upload");

        store.write(unit.chunk(o, 0));
        TestUnit otherChunking = new TestUnit(unit.bytes, 2048);
        refused(Reason.BAD_CHUNK, () -> store.write(otherChunking.chunk("phone-2", 1)));
        byte[] first = unit.data(1);
        refused(Reason.BAD_CHUNK, () -> store.write(new ChunkWrite(o, unit.address, 12_000, 4096, 1,
                LocalLayerStore.sha256().digest(first), ByteBuffer.wrap(first))));
        assertEquals(List.of(0), store.status(unit.address).chunksHeld());
        upload(store, o, unit);
    }

    @Test
    void duplicatesAreAcknowledgedWithoutWriting() throws Exception {
        TestUnit unit = TestUnit.random(4, 8192, 4096);
        store.write(unit.chunk("phone-1", 0));
        ChunkReceipt again = store.write(unit.chunk("phone-1", 0));
        assertEquals(new ChunkReceipt(unit.address, 0, true, 1, 2, false), again);
        long journal = Files.size(dir.resolve("partial").resolve(unit.address.sha256() + ".journal"));
        store.write(unit.chunk("phone-2", 0));
        assertEquals(journal, Files.size(dir.resolve("partial").resolve(unit.address.sha256() + ".journal")),
                "a duplicate appends no journal record");
        store.write(unit.chunk("phone-1", 1));
        assertEquals(new ChunkReceipt(unit.address, 1, true, 2, 2, true), store.write(unit.chunk("phone-2", 1)));
    }

    @Test
    void aUnitWhoseBytesDoNotMatchItsAddressIsDiscarded() throws Exception {
        TestUnit unit = TestUnit.random(5, 8192, 4096);
        store.write(unit.chunk("phone-1", 0));
        byte[] wrong = unit.data(1);
        wrong[100] ^= 1; // consistent with its own chunk hash, not with the unit's address
        refused(Reason.UNIT_HASH_MISMATCH, () -> store.write(unit.chunk("phone-1", 1, wrong)));
        assertEquals(UnitStatus.absent(unit.address), store.status(unit.address));
        assertTrue(store.read(unit.address).isEmpty());
        assertEquals(0, store.usage().partialBytes());
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(unit.address.sha256())));
        }
        upload(store, "phone-1", unit);
        assertArrayEquals(unit.bytes, TestUnit.toArray(store.read(unit.address).orElseThrow()));
    }

    @Test
    void aSecondClientUploadsNothingTheStoreHolds() throws Exception {
        TestUnit unit = TestUnit.random(6, 20_000, 4096);
        upload(store, "phone-1", unit);
        UnitStatus seen = store.status(unit.address);
        assertTrue(seen.complete(), "the second client asks first and learns it need not upload");
        ChunkReceipt receipt = store.write(unit.chunk("phone-2", 3));
        assertTrue(receipt.duplicate() && receipt.unitComplete());
        assertEquals("phone-1", store.units().get(0).owner());
    }

    @Test
    void fileNamesComeOnlyFromAddressesNeverFromOwners() throws Exception {
        store.close();
        Path root = dir.resolve("x").resolve("y").resolve("store"); // room above it to see an escape
        store = new LocalLayerStore(settings(root));
        String hostile = "../../escape/" + "x".repeat(40) + "/..\\..\u0000name";
        TestUnit unit = TestUnit.random(7, 5000, 4096);
        TestUnit partial = TestUnit.random(8, 5000, 4096);
        upload(store, hostile, unit);
        store.write(partial.chunk(hostile, 0));
        assertEquals(hostile, store.units().get(0).owner(), "the owner is kept exactly, inside metadata");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (file.equals(dir.resolve("store.lock"))) {
                    continue; // the lock of the store this test closed
                }
                assertTrue(file.startsWith(root), "nothing outside the store: " + file);
                String relative = root.relativize(file).toString().replace('\\', '/');
                assertTrue(relative.equals("store.lock")
                        || relative.matches("units/[0-9a-f]{2}/[0-9a-f]{64}\\.(unit|meta)")
                        || relative.matches("partial/[0-9a-f]{64}\\.(part|journal)"), relative);
            }
        }
        store.close();
        store = new LocalLayerStore(settings(root));
        assertEquals(hostile, store.units().get(0).owner(), "and read back exactly after a restart");
        assertEquals(List.of(0), store.status(partial.address).chunksHeld());
    }

    @Test
    void aMappingReadBeforeEvictionStaysValid() throws Exception {
        TestUnit unit = TestUnit.random(10, 9000, 4096);
        upload(store, "phone-1", unit);
        ByteBuffer bytes = store.read(unit.address).orElseThrow();
        assertEquals(9000, store.evict(unit.address));
        assertTrue(store.read(unit.address).isEmpty());
        assertArrayEquals(unit.bytes, TestUnit.toArray(bytes), "an evicted unit's file is unlinked, not overwritten");
    }

    @Test
    void theCallersBufferIsNotConsumed() throws Exception {
        TestUnit unit = TestUnit.random(9, 4096, 4096);
        ChunkWrite chunk = unit.chunk("phone-1", 0);
        store.write(chunk);
        assertEquals(4096, chunk.data().remaining());
    }
}
