package org.layerlift.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.function.Executable;
import org.layerlift.api.store.ChunkReceipt;
import org.layerlift.api.store.StoreException;

/** Settings and helpers the store tests share. */
final class Stores {

    static final long MIB = 1 << 20;

    private Stores() {
    }

    static StoreSettings settings(Path dir) {
        return settings(dir, 1L << 30, 1L << 30, 8);
    }

    static StoreSettings settings(Path dir, long budget, long quota, int partialsPerOwner) {
        return new StoreSettings(dir, budget, quota, 0, 64 * MIB, (int) MIB, partialsPerOwner, Duration.ofHours(1));
    }

    /** Uploads every chunk of {@code unit} in order; returns the last receipt. */
    static ChunkReceipt upload(LocalLayerStore store, String owner, TestUnit unit) throws StoreException {
        ChunkReceipt last = null;
        for (int i = 0; i < unit.chunkCount(); i++) {
            last = store.write(unit.chunk(owner, i));
        }
        assertTrue(last.unitComplete(), "the last chunk completes the unit");
        return last;
    }

    static StoreException refused(StoreException.Reason reason, Executable call) {
        StoreException e = assertThrows(StoreException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }
}
