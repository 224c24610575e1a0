package org.layerlift.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.StreamSupport;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.store.StoreUsage;

class StoreHealthCheckTest {

    static final long MIN_FREE = 100;
    static final Path DIR = Path.of("/data/store");

    static Result.Status status(long used, long budget, long free, boolean writable) {
        ResultLog log = StoreHealthCheck.log(new StoreUsage(3, used, 0, 0, 1, budget, free, 50), MIN_FREE, DIR,
                writable);
        return log.getAggregateStatus();
    }

    @Test
    void okWarnCritical() {
        assertEquals(Result.Status.OK, status(900, 1000, 200, true));
        assertEquals(Result.Status.WARN, status(901, 1000, 200, true), "over 90 % of the budget");
        assertEquals(Result.Status.WARN, status(10, 1000, 199, true), "free disk under twice the minimum");
        assertEquals(Result.Status.WARN, status(10, 1000, -1, true), "free disk unknown");
        assertEquals(Result.Status.CRITICAL, status(10, 1000, 10_000, false), "not writable");
    }

    @Test
    void theReportSaysUnitsBytesBudgetAndFreeDisk() {
        ResultLog log = StoreHealthCheck.log(new StoreUsage(3, 900, 1, 20, 1, 1000, 200, 50), MIN_FREE, DIR, true);
        String text = StreamSupport.stream(log.spliterator(), false).map(ResultLog.Entry::getMessage)
                .reduce("", String::concat);
        assertTrue(text.contains("3 units (900 bytes)") && text.contains("budget 1000 bytes")
                && text.contains("free disk 200 bytes"), text);
    }

    @Test
    void aLiveStoreIsWritable(@TempDir Path dir) throws Exception {
        try (LocalLayerStore store = new LocalLayerStore(Stores.settings(dir))) {
            assertEquals(Result.Status.OK, new StoreHealthCheck(store).execute().getStatus());
        }
    }
}
