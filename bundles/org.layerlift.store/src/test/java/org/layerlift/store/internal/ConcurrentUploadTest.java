package org.layerlift.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.layerlift.store.internal.Stores.settings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.store.ChunkReceipt;

class ConcurrentUploadTest {

    @TempDir
    Path dir;

    /**
     * Two clients upload the same units at once, every chunk each, in different orders: each chunk is stored once
     * (the other gets a duplicate), each unit completes once, and its bytes are right.
     */
    @Test
    void twoClientsUploadingTheSameUnitStoreEachChunkOnceAndCompleteItOnce() throws Exception {
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 5; round++) {
                    TestUnit unit = TestUnit.random(100 + round, 64 * 1024 + 17, 4096);
                    CyclicBarrier start = new CyclicBarrier(2);
                    List<Future<List<ChunkReceipt>>> clients = new ArrayList<>();
                    for (int client = 0; client < 2; client++) {
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < unit.chunkCount(); i++) {
                            order.add(i);
                        }
                        Collections.shuffle(order, new Random(round * 10 + client));
                        String owner = "phone-" + client;
                        clients.add(pool.submit(uploader(store, unit, owner, order, start)));
                    }
                    List<ChunkReceipt> receipts = new ArrayList<>();
                    for (Future<List<ChunkReceipt>> c : clients) {
                        receipts.addAll(assertTimeoutPreemptively(Duration.ofSeconds(60), () -> c.get()));
                    }
                    long stored = receipts.stream().filter(r -> !r.duplicate()).count();
                    long completions = receipts.stream().filter(r -> !r.duplicate() && r.unitComplete()).count();
                    assertEquals(unit.chunkCount(), stored, "each chunk stored exactly once");
                    assertEquals(1, completions, "the unit completes once");
                    for (int i = 0; i < unit.chunkCount(); i++) {
                        int index = i;
                        assertEquals(1, receipts.stream().filter(r -> r.index() == index && !r.duplicate()).count(),
                                "chunk " + i);
                    }
                    assertArrayEquals(unit.bytes, TestUnit.toArray(store.read(unit.address).orElseThrow()));
                }
                assertEquals(5, store.usage().units());
                assertEquals(0, store.usage().partialUnits());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Many clients uploading different units at once all complete. */
    @Test
    void manyClientsUploadDifferentUnitsAtOnce() throws Exception {
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                CyclicBarrier start = new CyclicBarrier(8);
                List<TestUnit> units = new ArrayList<>();
                List<Future<List<ChunkReceipt>>> clients = new ArrayList<>();
                for (int c = 0; c < 8; c++) {
                    TestUnit unit = TestUnit.random(200 + c, 32 * 1024, 4096);
                    units.add(unit);
                    List<Integer> order = new ArrayList<>();
                    for (int i = unit.chunkCount() - 1; i >= 0; i--) {
                        order.add(i);
                    }
                    clients.add(pool.submit(uploader(store, unit, "phone-" + c, order, start)));
                }
                for (Future<List<ChunkReceipt>> c : clients) {
                    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> c.get());
                }
                for (TestUnit unit : units) {
                    assertArrayEquals(unit.bytes, TestUnit.toArray(store.read(unit.address).orElseThrow()));
                }
                assertEquals(8, store.usage().units());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static Callable<List<ChunkReceipt>> uploader(LocalLayerStore store, TestUnit unit, String owner,
            List<Integer> order, CyclicBarrier start) {
        return () -> {
            start.await();
            List<ChunkReceipt> receipts = new ArrayList<>();
            for (int index : order) {
                receipts.add(store.write(unit.chunk(owner, index)));
            }
            return receipts;
        };
    }
}
