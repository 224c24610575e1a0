package org.layerlift.store.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer store's configuration, checked: every problem is named with its key and value, all in one message, so a
 * bad configuration fails once with everything to fix.
 *
 * @param dir                 the store's directory (absolute)
 * @param budgetBytes         complete + partial bytes the store may hold; eviction keeps it below
 * @param quotaBytes          bytes one owner's partial uploads and completed units may hold
 * @param minFreeDiskBytes    free disk the store never writes below
 * @param maxUnitBytes        the largest unit accepted (at most {@link Integer#MAX_VALUE}: a unit is read as one map)
 * @param maxChunkBytes       the largest chunk size accepted
 * @param maxPartialsPerOwner partial uploads one owner may have started at once
 * @param partialExpiry       a partial upload nobody pins that saw no chunk for this long is discarded
 */
public record StoreSettings(Path dir, long budgetBytes, long quotaBytes, long minFreeDiskBytes, long maxUnitBytes,
        int maxChunkBytes, int maxPartialsPerOwner, Duration partialExpiry) {

    public static final String DIR = "dir";
    public static final String BUDGET_BYTES = "budget.bytes";
    public static final String QUOTA_BYTES = "quota.bytes";
    public static final String MIN_FREE_DISK_BYTES = "min.free.disk.bytes";
    public static final String MAX_UNIT_BYTES = "max.unit.bytes";
    public static final String MAX_CHUNK_BYTES = "max.chunk.bytes";
    public static final String MAX_PARTIALS_PER_OWNER = "max.partials.per.owner";
    public static final String PARTIAL_EXPIRY_S = "partial.expiry.s";

    public StoreSettings {
        require(problems(dir == null ? DIR + " must name a directory, got nothing" : null, budgetBytes, quotaBytes,
                minFreeDiskBytes, maxUnitBytes, maxChunkBytes, maxPartialsPerOwner,
                partialExpiry == null ? 0 : partialExpiry.toSeconds()));
        dir = dir.toAbsolutePath().normalize();
    }

    /** Settings from configuration values as they come (a relative {@code dir} is relative to the working directory). */
    public static StoreSettings of(String dir, long budgetBytes, long quotaBytes, long minFreeDiskBytes,
            long maxUnitBytes, int maxChunkBytes, int maxPartialsPerOwner, long partialExpirySeconds) {
        Path path = null;
        String dirProblem = null;
        if (dir == null || dir.isBlank()) {
            dirProblem = DIR + " must name a directory, got " + (dir == null ? "nothing" : "'" + dir + "'");
        } else {
            try {
                path = Path.of(dir.strip());
            } catch (InvalidPathException e) {
                dirProblem = DIR + " '" + dir + "' is not a path: " + e.getReason();
            }
        }
        require(problems(dirProblem, budgetBytes, quotaBytes, minFreeDiskBytes, maxUnitBytes, maxChunkBytes,
                maxPartialsPerOwner, partialExpirySeconds));
        return new StoreSettings(path, budgetBytes, quotaBytes, minFreeDiskBytes, maxUnitBytes, maxChunkBytes,
                maxPartialsPerOwner, Duration.ofSeconds(partialExpirySeconds));
    }

    private static List<String> problems(String dirProblem, long budgetBytes, long quotaBytes, long minFreeDiskBytes,
            long maxUnitBytes, int maxChunkBytes, int maxPartialsPerOwner, long partialExpirySeconds) {
        List<String> problems = new ArrayList<>();
        if (dirProblem != null) {
            problems.add(dirProblem);
        }
        atLeast(problems, BUDGET_BYTES, budgetBytes, 1);
        atLeast(problems, QUOTA_BYTES, quotaBytes, 1);
        atLeast(problems, MIN_FREE_DISK_BYTES, minFreeDiskBytes, 0);
        if (maxUnitBytes < 1 || maxUnitBytes > Integer.MAX_VALUE) {
            problems.add(MAX_UNIT_BYTES + " must be in 1.." + Integer.MAX_VALUE + " (a unit is mapped whole), got "
                    + maxUnitBytes);
        }
        atLeast(problems, MAX_CHUNK_BYTES, maxChunkBytes, 1);
        atLeast(problems, MAX_PARTIALS_PER_OWNER, maxPartialsPerOwner, 1);
        atLeast(problems, PARTIAL_EXPIRY_S, partialExpirySeconds, 1);
        return problems;
    }

    private static void require(List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid layer store configuration: " + String.join("; ", problems));
        }
    }

    private static void atLeast(List<String> problems, String key, long value, long min) {
        if (value < min) {
            problems.add(key + " must be at least " + min + ", got " + value);
        }
    }
}
