package org.layerlift.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.layerlift.api.store.ChunkReceipt;
import org.layerlift.api.store.ChunkWrite;
import org.layerlift.api.store.UnitAddress;

/**
 * Benchmark harness, not a test: how many MB/s (10^6 bytes) of units one writer gets into a {@link LocalLayerStore}
 * (chunk hash check, positional write + fsync, journal record + fsync, whole-unit hash check, rename) for chunk sizes
 * 64 KiB to 4 MiB. The client's chunk hashes are computed before timing; the store's checks are timed.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$HOME/.m2/repository/org/layerlift/org.layerlift.api/0.1.0-SNAPSHOT/org.layerlift.api-0.1.0-SNAPSHOT.jar \
 *     org.layerlift.store.internal.StoreGoodput [total MB, default 256] [unit MiB, default 16] [directory, default a temp dir]
 * </pre>
 */
public final class StoreGoodput {

    private static final int[] CHUNK_SIZES = {64 << 10, 256 << 10, 1 << 20, 4 << 20};

    private StoreGoodput() {
    }

    public static void main(String[] args) throws Exception {
        long totalBytes = (args.length > 0 ? Long.parseLong(args[0]) : 256) * 1_000_000L;
        int unitBytes = (args.length > 1 ? Integer.parseInt(args[1]) : 16) << 20;
        Path base = args.length > 2 ? Files.createDirectories(Path.of(args[2])) : Files.createTempDirectory("goodput");
        int units = (int) Math.max(1, (totalBytes + unitBytes - 1) / unitBytes);
        System.out.printf("writing %d units of %d MiB (%.1f MB) per chunk size, fsync on, in %s%n", units,
                unitBytes >> 20, units * (double) unitBytes / 1e6, base);
        run(base.resolve("warm-up"), 2, unitBytes, 256 << 10, 0); // JIT and page cache warm-up, not reported
        for (int chunk : CHUNK_SIZES) {
            double seconds = run(base.resolve("chunk-" + (chunk >> 10) + "k"), units, unitBytes, chunk, chunk);
            System.out.printf("chunk %5d KiB: %8.1f MB/s  (%.2f s)%n", chunk >> 10,
                    units * (double) unitBytes / 1e6 / seconds, seconds);
        }
        if (args.length <= 2) {
            delete(base);
        }
    }

    /** Writes {@code units} fresh random units in chunks of {@code chunkBytes}; returns the seconds it took. */
    private static double run(Path dir, int units, int unitBytes, int chunkBytes, long seed) throws Exception {
        StoreSettings settings = new StoreSettings(dir, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, 0, unitBytes,
                chunkBytes, units, Duration.ofDays(1));
        Random random = new Random(seed);
        long elapsed = 0;
        try (LocalLayerStore store = new LocalLayerStore(settings)) {
            for (int u = 0; u < units; u++) {
                byte[] bytes = new byte[unitBytes];
                random.nextBytes(bytes);
                List<ChunkWrite> chunks = chunks(bytes, chunkBytes);
                long start = System.nanoTime();
                ChunkReceipt last = null;
                for (ChunkWrite chunk : chunks) {
                    last = store.write(chunk);
                }
                elapsed += System.nanoTime() - start;
                if (last == null || !last.unitComplete()) {
                    throw new IllegalStateException("unit " + u + " did not complete");
                }
            }
        }
        delete(dir);
        return elapsed / 1e9;
    }

    private static List<ChunkWrite> chunks(byte[] bytes, int chunkBytes) {
        UnitAddress unit = UnitAddress.of(LocalLayerStore.sha256().digest(bytes));
        List<ChunkWrite> chunks = new ArrayList<>();
        for (int i = 0, offset = 0; offset < bytes.length; i++, offset += chunkBytes) {
            int length = Math.min(chunkBytes, bytes.length - offset);
            var digest = LocalLayerStore.sha256();
            digest.update(bytes, offset, length);
            chunks.add(new ChunkWrite("bench", unit, bytes.length, chunkBytes, i, digest.digest(),
                    ByteBuffer.wrap(bytes, offset, length)));
        }
        return chunks;
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
