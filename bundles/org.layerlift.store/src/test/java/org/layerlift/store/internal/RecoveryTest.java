package org.layerlift.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlift.store.internal.Stores.refused;
import static org.layerlift.store.internal.Stores.settings;
import static org.layerlift.store.internal.Stores.upload;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.store.StoreException.Reason;
import org.layerlift.api.store.StoredUnit;
import org.layerlift.api.store.UnitStatus;

class RecoveryTest {

    @TempDir
    Path dir;

    Path journal(TestUnit unit) {
        return dir.resolve("partial").resolve(unit.address.sha256() + ".journal");
    }

    Path part(TestUnit unit) {
        return dir.resolve("partial").resolve(unit.address.sha256() + ".part");
    }

    @Test
    void aPartialUploadResumesAfterARestart() throws Exception {
        TestUnit unit = TestUnit.random(1, 20_000, 4096);
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            store.write(unit.chunk("a", 3));
            store.write(unit.chunk("a", 0));
        }
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            assertEquals(new UnitStatus(unit.address, 20_000, 4096, false, List.of(0, 3)), store.status(unit.address));
            assertEquals(20_000, store.usage().partialBytes());
            assertTrue(store.write(unit.chunk("a", 3)).duplicate());
            upload(store, "a", unit);
            assertArrayEquals(unit.bytes, TestUnit.toArray(store.read(unit.address).orElseThrow()));
        }
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            assertTrue(store.status(unit.address).complete());
            assertEquals("a", store.units().get(0).owner());
            assertArrayEquals(unit.bytes, TestUnit.toArray(store.read(unit.address).orElseThrow()));
        }
    }

    @Test
    void aTornTrailingJournalRecordIsIgnoredAndAppendingGoesOn() throws Exception {
        TestUnit unit = TestUnit.random(2, 20_000, 4096);
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            store.write(unit.chunk("a", 0));
            store.write(unit.chunk("a", 1));
        }
        long intact = Files.size(journal(unit));
        // a record of chunk 2 cut short by a crash: 7 of its 12 bytes reached the disk
        Files.write(journal(unit), java.util.Arrays.copyOf(ChunkJournal.record(2).array(), 7),
                StandardOpenOption.APPEND);
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            assertEquals(List.of(0, 1), store.status(unit.address).chunksHeld());
            assertEquals(intact, Files.size(journal(unit)), "the torn tail is cut off");
            store.write(unit.chunk("a", 2));
        }
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            assertEquals(List.of(0, 1, 2), store.status(unit.address).chunksHeld(), "the record after the cut counts");
            upload(store, "a", unit);
        }
    }

    @Test
    void aCorruptLastRecordCountsAsAbsentAndTheChunkIsSentAgain() throws Exception {
        TestUnit unit = TestUnit.random(3, 12_288, 4096);
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            store.write(unit.chunk("a", 0));
            store.write(unit.chunk("a", 2));
        }
        try (FileChannel channel = FileChannel.open(journal(unit), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0x55}), channel.size() - 1); // the last record's CRC
        }
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            assertEquals(List.of(0), store.status(unit.address).chunksHeld());
            assertFalse(store.write(unit.chunk("a", 2)).duplicate());
            assertTrue(store.write(unit.chunk("a", 1)).unitComplete());
        }
    }

    @Test
    void anUploadWhoseChunksWereAllJournaledIsFinishedOnOpen() throws Exception {
        TestUnit unit = TestUnit.random(4, 12_288, 4096);
        finishByHand(unit, unit.data(2));
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            assertTrue(store.status(unit.address).complete(), store.recovery());
            assertArrayEquals(unit.bytes, TestUnit.toArray(store.read(unit.address).orElseThrow()));
            assertFalse(Files.exists(journal(unit)));
            assertFalse(Files.exists(part(unit)));
            assertEquals(0, store.usage().partialUnits());
        }
    }

    @Test
    void anUploadWhoseJournaledChunksDoNotMatchItsAddressIsDiscardedOnOpen() throws Exception {
        TestUnit unit = TestUnit.random(5, 12_288, 4096);
        byte[] wrong = unit.data(2);
        wrong[0] ^= 1;
        finishByHand(unit, wrong);
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            assertEquals(UnitStatus.absent(unit.address), store.status(unit.address));
            assertFalse(Files.exists(journal(unit)));
            assertFalse(Files.exists(part(unit)));
            upload(store, "a", unit);
        }
    }

    /** What a crash leaves after the last chunk was journaled but before the unit was renamed into place. */
    private void finishByHand(TestUnit unit, byte[] lastChunk) throws Exception {
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            store.write(unit.chunk("a", 0));
            store.write(unit.chunk("a", 1));
        }
        try (FileChannel channel = FileChannel.open(part(unit), StandardOpenOption.WRITE)) {
            Durable.writeFully(channel, ByteBuffer.wrap(lastChunk), 2 * 4096);
        }
        ChunkJournal.append(journal(unit), Files.size(journal(unit)), 2);
    }

    @Test
    void anUploadThatCrashedBeforeItsFirstChunkHoldsNothingAndMayStartOver() throws Exception {
        TestUnit unit = TestUnit.random(9, 12_288, 4096);
        Files.createDirectories(dir.resolve("partial"));
        ChunkJournal.create(journal(unit), new ChunkJournal.Header(12_288, 2048, "a")); // header only
        Files.write(part(unit), new byte[0]);
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            assertEquals(UnitStatus.absent(unit.address), store.status(unit.address));
            assertEquals(1, store.usage().partialUnits(), "its reservation is back");
            upload(store, "b", unit); // other chunk size: nothing was stored, so the first chunk sets it
            assertEquals("b", store.units().get(0).owner());
        }
    }

    @Test
    void strayTemporaryAndInconsistentFilesAreRemovedOnOpen() throws Exception {
        TestUnit kept = TestUnit.random(6, 5000, 4096);
        TestUnit noMeta = TestUnit.random(7, 5000, 4096);
        TestUnit noData = TestUnit.random(8, 5000, 4096);
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            upload(store, "a", kept);
            upload(store, "a", noMeta);
            upload(store, "a", noData);
        }
        Path fanout = dir.resolve("units").resolve(noMeta.address.sha256().substring(0, 2));
        Files.delete(fanout.resolve(noMeta.address.sha256() + ".meta"));
        Files.delete(dir.resolve("units").resolve(noData.address.sha256().substring(0, 2))
                .resolve(noData.address.sha256() + ".unit"));
        Path strayMeta = fanout.resolve(noMeta.address.sha256() + ".meta.tmp");
        Path strayPartial = dir.resolve("partial").resolve("whatever.tmp");
        Path strayPart = dir.resolve("partial").resolve(noMeta.address.sha256() + ".part");
        Files.write(strayMeta, new byte[3]);
        Files.write(strayPartial, new byte[3]);
        Files.write(strayPart, new byte[3]);
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            assertEquals(List.of(kept.address), store.units().stream().map(StoredUnit::unit).toList());
            assertEquals(5000, store.usage().unitBytes());
            for (Path gone : List.of(strayMeta, strayPartial, strayPart,
                    fanout.resolve(noMeta.address.sha256() + ".unit"))) {
                assertFalse(Files.exists(gone), gone.toString());
            }
        }
    }

    @Test
    void quotaAndOwnersSurviveARestart() throws Exception {
        TestUnit one = TestUnit.random(20, 5000, 4096);
        TestUnit two = TestUnit.random(21, 5000, 4096);
        TestUnit three = TestUnit.random(22, 5000, 4096);
        try (LocalLayerStore store = new LocalLayerStore(Stores.settings(dir, 1 << 20, 10_000, 8))) {
            upload(store, "a", one);
            store.write(two.chunk("a", 0));
        }
        try (LocalLayerStore store = new LocalLayerStore(Stores.settings(dir, 1 << 20, 10_000, 8))) {
            refused(Reason.QUOTA_EXCEEDED, () -> store.write(three.chunk("a", 0)));
            store.write(three.chunk("b", 0));
        }
    }

    @Test
    void oneStorePerDirectory() throws Exception {
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            refused(Reason.IO, () -> new LocalLayerStore(settings(dir)).close());
        }
        new LocalLayerStore(settings(dir)).close(); // released on close
    }

    @Test
    void leastRecentlyUsedOrderSurvivesARestart() throws Exception {
        TestClock clock = new TestClock();
        TestUnit a = TestUnit.random(10, 1000, 1000);
        TestUnit b = TestUnit.random(11, 1000, 1000);
        TestUnit c = TestUnit.random(12, 1000, 1000);
        try (LocalLayerStore store = new LocalLayerStore(settings(dir), clock)) {
            for (TestUnit unit : List.of(a, b, c)) {
                upload(store, "o", unit);
                clock.advance(Duration.ofMinutes(2));
            }
            store.read(a.address);
            clock.advance(Duration.ofMinutes(2));
            store.pin("s", List.of(b.address));
        }
        try (LocalLayerStore store = new LocalLayerStore(settings(dir), clock)) {
            assertEquals(List.of(c.address, a.address, b.address),
                    store.units().stream().map(StoredUnit::unit).toList());
            assertFalse(store.units().get(2).pinned(), "pins belong to live sessions: a restart drops them");
        }
    }
}
