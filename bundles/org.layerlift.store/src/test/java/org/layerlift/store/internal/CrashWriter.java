package org.layerlift.store.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.layerlift.api.store.ChunkReceipt;

/**
 * The process {@link KillTest} kills: opens the store in {@code args[0]} and uploads the unit of seed {@code args[1]}
 * chunk by chunk, printing "ACK index" once each chunk is acknowledged, until it is killed (it never finishes: it stops
 * before the last chunk and waits).
 */
public final class CrashWriter {

    static final int SIZE = 4 << 20;
    static final int CHUNK = 64 << 10;

    private CrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        TestUnit unit = TestUnit.random(Long.parseLong(args[1]), SIZE, CHUNK);
        StoreSettings settings = new StoreSettings(Path.of(args[0]), 1L << 30, 1L << 30, 0, 1L << 30, 1 << 20, 8,
                Duration.ofHours(1));
        LocalLayerStore store = new LocalLayerStore(settings);
        System.out.println("OPEN");
        System.out.flush();
        // odd indices first, then even, so the held set is not a prefix
        for (int pass = 1; pass >= 0; pass--) {
            for (int i = pass; i < unit.chunkCount() - 1; i += 2) {
                ChunkReceipt receipt = store.write(unit.chunk("crasher", i));
                System.out.println("ACK " + receipt.index());
                System.out.flush();
            }
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
