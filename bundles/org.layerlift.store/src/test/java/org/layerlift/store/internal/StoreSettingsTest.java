package org.layerlift.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    static StoreSettings defaults(String dir) {
        return StoreSettings.of(dir, 8L << 30, 2L << 30, 256L << 20, 1L << 30, 8 << 20, 64, 86400);
    }

    @Test
    void theDefaultsAreValidAndARelativeDirIsResolvedAgainstTheWorkingDirectory() {
        StoreSettings settings = defaults("data/store");
        assertEquals(Path.of("data/store").toAbsolutePath().normalize(), settings.dir());
        assertEquals(Duration.ofDays(1), settings.partialExpiry());
    }

    @Test
    void eachBadValueIsNamedWithItsKey() {
        assertProblem("budget.bytes must be at least 1, got 0",
                () -> StoreSettings.of("d", 0, 1, 0, 1, 1, 1, 1));
        assertProblem("quota.bytes must be at least 1, got -5",
                () -> StoreSettings.of("d", 1, -5, 0, 1, 1, 1, 1));
        assertProblem("min.free.disk.bytes must be at least 0, got -1",
                () -> StoreSettings.of("d", 1, 1, -1, 1, 1, 1, 1));
        assertProblem("max.unit.bytes must be in 1..2147483647 (a unit is mapped whole), got 4294967296",
                () -> StoreSettings.of("d", 1, 1, 0, 4L << 30, 1, 1, 1));
        assertProblem("max.chunk.bytes must be at least 1, got 0",
                () -> StoreSettings.of("d", 1, 1, 0, 1, 0, 1, 1));
        assertProblem("max.partials.per.owner must be at least 1, got 0",
                () -> StoreSettings.of("d", 1, 1, 0, 1, 1, 0, 1));
        assertProblem("partial.expiry.s must be at least 1, got 0",
                () -> StoreSettings.of("d", 1, 1, 0, 1, 1, 1, 0));
        assertProblem("dir must name a directory, got ' '", () -> StoreSettings.of(" ", 1, 1, 0, 1, 1, 1, 1));
        assertProblem("dir must name a directory, got nothing", () -> new StoreSettings(null, 1, 1, 0, 1, 1, 1,
                Duration.ofSeconds(1)));
    }

    @Test
    void everyProblemIsInTheOneMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreSettings.of("", -1, 1, 0, 1, 1, 1, -3));
        assertEquals("invalid layer store configuration: dir must name a directory, got ''; budget.bytes must be at"
                + " least 1, got -1; partial.expiry.s must be at least 1, got -3", e.getMessage());
    }

    private static void assertProblem(String problem, org.junit.jupiter.api.function.Executable settings) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, settings);
        assertTrue(e.getMessage().equals("invalid layer store configuration: " + problem), e.getMessage());
    }
}
