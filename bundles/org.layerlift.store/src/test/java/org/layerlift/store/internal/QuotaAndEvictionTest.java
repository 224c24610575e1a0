package org.layerlift.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlift.store.internal.Stores.refused;
import static org.layerlift.store.internal.Stores.upload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.store.StoreException.Reason;
import org.layerlift.api.store.StoredUnit;
import org.layerlift.api.store.UnitAddress;
import org.layerlift.api.store.UnitStatus;

class QuotaAndEvictionTest {

    static final int SIZE = 10_000;
    static final int CHUNK = 4096;

    @TempDir
    Path dir;
    final TestClock clock = new TestClock();

    LocalLayerStore open(long budget, long quota, int partials) throws Exception {
        return new LocalLayerStore(Stores.settings(dir, budget, quota, partials), clock);
    }

    static TestUnit unit(int seed) {
        return TestUnit.random(seed, SIZE, CHUNK);
    }

    /** Uploads a unit and moves the clock on, so units differ in last use. */
    void uploadAndTick(LocalLayerStore store, String owner, TestUnit unit) throws Exception {
        upload(store, owner, unit);
        clock.advance(Duration.ofSeconds(1));
    }

    static List<UnitAddress> addresses(LocalLayerStore store) {
        return store.units().stream().map(StoredUnit::unit).toList();
    }

    @Test
    void anOwnerCannotStartUploadsBeyondItsQuotaButSharedUnitsCostNothing() throws Exception {
        try (LocalLayerStore store = open(1 << 20, 2 * SIZE, 8)) {
            upload(store, "a", unit(1));
            store.write(unit(2).chunk("a", 0)); // a partial counts at its full size
            refused(Reason.QUOTA_EXCEEDED, () -> store.write(unit(3).chunk("a", 0)));
            assertEquals(UnitStatus.absent(unit(3).address), store.status(unit(3).address));

            // another owner has its own quota, and may finish a's upload without using any of it
            upload(store, "b", unit(3));
            upload(store, "b", unit(2));
            // a unit complete already costs nobody anything new: b is at quota yet "uploads" unit 1
            assertTrue(store.write(unit(1).chunk("b", 0)).duplicate());
            refused(Reason.QUOTA_EXCEEDED, () -> store.write(unit(4).chunk("b", 0)));
            // unit 2 was completed by b, so it left a's quota: a may start one more
            store.write(unit(4).chunk("a", 0));
        }
    }

    @Test
    void anOwnerHasAtMostSoManyUploadsInProgress() throws Exception {
        try (LocalLayerStore store = open(1 << 20, 1 << 20, 2)) {
            store.write(unit(1).chunk("a", 0));
            store.write(unit(2).chunk("a", 0));
            refused(Reason.QUOTA_EXCEEDED, () -> store.write(unit(3).chunk("a", 0)));
            store.write(unit(3).chunk("b", 0));
            upload(store, "a", unit(1));
            store.write(unit(4).chunk("a", 0)); // one finished, one more may start
        }
    }

    @Test
    void aNewUploadEvictsTheLeastRecentlyUsedUnpinnedUnits() throws Exception {
        try (LocalLayerStore store = open(3 * SIZE, 1 << 20, 8)) {
            uploadAndTick(store, "a", unit(1));
            uploadAndTick(store, "a", unit(2));
            uploadAndTick(store, "a", unit(3));
            store.read(unit(1).address); // unit 1 is now the most recently used
            clock.advance(Duration.ofSeconds(1));
            assertEquals(List.of(unit(2).address, unit(3).address, unit(1).address), addresses(store));

            store.write(unit(4).chunk("b", 0)); // reserves its full size: unit 2 must go
            assertEquals(List.of(unit(3).address, unit(1).address), addresses(store));
            assertEquals(UnitStatus.absent(unit(2).address), store.status(unit(2).address));
            assertTrue(store.read(unit(2).address).isEmpty());
            assertEquals(3 * SIZE, store.usage().unitBytes() + store.usage().partialBytes());
        }
    }

    @Test
    void pinnedUnitsAreNeverEvictedAndWhenEverythingIsPinnedThereIsNoSpace() throws Exception {
        try (LocalLayerStore store = open(3 * SIZE, 1 << 20, 8)) {
            uploadAndTick(store, "a", unit(1));
            uploadAndTick(store, "a", unit(2));
            uploadAndTick(store, "a", unit(3));
            store.pin("session-1", List.of(unit(1).address, unit(2).address));
            store.write(unit(4).chunk("a", 0)); // unit 3 is the only one it may evict, though the newest
            assertEquals(Set.of(unit(1).address, unit(2).address), Set.copyOf(addresses(store)));

            store.pin("session-2", List.of(unit(4).address)); // pins the partial upload too
            refused(Reason.NO_SPACE, () -> store.write(unit(5).chunk("a", 0)));
            assertEquals(2, store.usage().units(), "a refused upload evicts nothing");
            assertEquals(0, store.evict(unit(1).address), "a pinned unit is not evicted on request either");
            assertEquals(0, store.evict(unit(4).address), "nor a pinned partial upload");

            store.pin("session-1", List.of(unit(2).address)); // replaces session-1's pins: unit 1 is free
            assertTrue(store.units().stream().anyMatch(u -> u.unit().equals(unit(2).address) && u.pinned()));
            assertTrue(store.units().stream().anyMatch(u -> u.unit().equals(unit(1).address) && !u.pinned()));
            store.write(unit(5).chunk("a", 0));
            assertEquals(List.of(unit(2).address), addresses(store));
            store.unpin("session-1");
            assertEquals(SIZE, store.evict(unit(2).address));
        }
    }

    @Test
    void aUnitPinnedBeforeItArrivesStaysPinned() throws Exception {
        try (LocalLayerStore store = open(2 * SIZE, 1 << 20, 8)) {
            store.pin("session-1", List.of(unit(1).address));
            assertEquals(1, store.usage().pinnedUnits());
            uploadAndTick(store, "a", unit(1));
            uploadAndTick(store, "a", unit(2));
            assertTrue(store.units().stream().anyMatch(u -> u.unit().equals(unit(1).address) && u.pinned()));
            upload(store, "a", unit(3)); // evicts unit 2, the newer one, since unit 1 is pinned
            assertEquals(Set.of(unit(1).address, unit(3).address), Set.copyOf(addresses(store)));
        }
    }

    @Test
    void aUnitLargerThanTheBudgetOrTheFreeDiskIsRefused() throws Exception {
        try (LocalLayerStore store = open(SIZE - 1, 1 << 20, 8)) {
            refused(Reason.NO_SPACE, () -> store.write(unit(1).chunk("a", 0)));
        }
        StoreSettings tooLittleDisk = new StoreSettings(dir, 1 << 20, 1 << 20, Long.MAX_VALUE / 2, 64 << 20,
                1 << 20, 8, Duration.ofHours(1));
        try (LocalLayerStore store = new LocalLayerStore(tooLittleDisk, clock)) {
            refused(Reason.NO_SPACE, () -> store.write(unit(1).chunk("a", 0)));
            assertEquals(0, store.usage().partialUnits());
        }
    }

    @Test
    void abandonedUploadsExpireUnlessPinnedOrRecentAndFreeTheirQuota() throws Exception {
        try (LocalLayerStore store = open(1 << 20, 3 * SIZE, 8)) {
            store.write(unit(1).chunk("a", 0));
            store.write(unit(2).chunk("a", 0));
            store.write(unit(5).chunk("a", 0));
            store.pin("session-1", List.of(unit(2).address));
            clock.advance(Duration.ofMinutes(59));
            assertEquals(0, store.evictTo(1 << 20), "nothing expired yet");
            store.write(unit(5).chunk("a", 1)); // a chunk restarts the expiry time
            clock.advance(Duration.ofMinutes(2));
            // unit 1 saw no chunk for 61 minutes; unit 2 neither, but it is pinned; unit 5 saw one 2 minutes ago
            assertEquals(SIZE, store.sweepExpired());
            assertEquals(UnitStatus.absent(unit(1).address), store.status(unit(1).address));
            assertEquals(List.of(0), store.status(unit(2).address).chunksHeld());
            assertEquals(List.of(0, 1), store.status(unit(5).address).chunksHeld());

            store.unpin("session-1");
            clock.advance(Duration.ofMinutes(61));
            store.write(unit(3).chunk("a", 0)); // fits a's quota beside units 2 and 5
            // does not fit: the store sweeps the expired uploads (2 and 5) first, then admits it
            store.write(unit(4).chunk("a", 0));
            assertEquals(UnitStatus.absent(unit(2).address), store.status(unit(2).address));
            assertEquals(UnitStatus.absent(unit(5).address), store.status(unit(5).address));
            assertEquals(2, store.usage().partialUnits());
            assertEquals(2 * SIZE, store.usage().partialBytes());
        }
    }

    @Test
    void evictToRemovesLeastRecentlyUsedUnpinnedUnitsDownToTheTarget() throws Exception {
        try (LocalLayerStore store = open(1 << 20, 1 << 20, 8)) {
            for (int i = 1; i <= 4; i++) {
                uploadAndTick(store, "a", unit(i));
            }
            store.pin("s", List.of(unit(1).address));
            assertEquals(2 * SIZE, store.evictTo(2 * SIZE));
            assertEquals(List.of(unit(4).address, unit(1).address), addresses(store)); // pinning unit 1 used it
            assertEquals(SIZE, store.evictTo(0));
            assertEquals(List.of(unit(1).address), addresses(store));
            assertFalse(store.usage().unitBytes() > SIZE);
            assertEquals(0, store.evict(TestUnit.random(99, 10, 10).address), "absent: nothing freed");
        }
    }

    @Test
    void evictingAPartialUploadDiscardsIt() throws Exception {
        try (LocalLayerStore store = open(1 << 20, 1 << 20, 8)) {
            store.write(unit(1).chunk("a", 0));
            assertEquals(SIZE, store.evict(unit(1).address));
            assertEquals(UnitStatus.absent(unit(1).address), store.status(unit(1).address));
            assertEquals(0, store.usage().partialBytes());
            upload(store, "a", unit(1));
        }
    }
}
