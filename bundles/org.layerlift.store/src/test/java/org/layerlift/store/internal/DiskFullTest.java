package org.layerlift.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlift.store.internal.Stores.MIB;
import static org.layerlift.store.internal.Stores.refused;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.store.StoreException;
import org.layerlift.api.store.StoreException.Reason;

/**
 * A store on a small real file system (a 4 MiB tmpfs; needs root, as on the build machines and CI, else skipped):
 * partial files are sparse, so free disk does not show what the uploads in progress are still to write. Two 3 MiB
 * uploads must not both be admitted onto 4 MiB: the second is refused {@code NO_SPACE} at once, and the first, whose
 * room is reserved, completes without the disk running full under it.
 */
class DiskFullTest {

    @TempDir
    Path tmp;

    @Test
    void uploadsInProgressKeepTheRestOfTheirReservationOnDisk() throws Exception {
        Path mnt = Files.createDirectories(tmp.resolve("tmpfs"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        String out = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(mount.waitFor() == 0, "mounting a tmpfs is not permitted here: " + out.strip());
        try {
            StoreSettings settings = new StoreSettings(mnt.resolve("store"), 1L << 30, 1L << 30, 0, 64 * MIB,
                    (int) MIB, 8, Duration.ofHours(1));
            TestUnit a = TestUnit.random(1, 3 * (int) MIB, 256 * 1024);
            TestUnit b = TestUnit.random(2, 3 * (int) MIB, 256 * 1024);
            try (LocalLayerStore store = new LocalLayerStore(settings, new TestClock())) {
                store.pin("session-a", java.util.List.of(a.address)); // in use: never evicted to make room
                store.write(a.chunk("phone-a", 0));
                StoreException e = refused(Reason.NO_SPACE, () -> store.write(b.chunk("phone-b", 0)));
                assertTrue(e.getMessage().contains("reserved for the uploads in progress"), e.getMessage());
                for (int i = 1; i < a.chunkCount(); i++) {
                    store.write(a.chunk("phone-a", i));
                }
                assertTrue(store.status(a.address).complete(), "the admitted upload completes");
                refused(Reason.NO_SPACE, () -> store.write(b.chunk("phone-b", 0))); // A, pinned, fills the disk
                assertEquals(1, store.usage().units());
                assertEquals(0, store.usage().partialUnits(), "the refused upload left nothing behind");
            }
        } finally {
            new ProcessBuilder("umount", mnt.toString()).redirectErrorStream(true).start().waitFor();
        }
    }
}
