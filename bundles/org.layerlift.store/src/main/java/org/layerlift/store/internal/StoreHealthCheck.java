package org.layerlift.store.internal;

import java.nio.file.Path;
import org.apache.felix.hc.api.FormattingResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.layerlift.api.store.StoreUsage;

/**
 * The layer store in the gateway's status: OK with units, bytes, budget and free disk; WARN when free disk is below
 * twice {@code min.free.disk.bytes} or the store uses more than 90 % of its budget; CRITICAL when its directory is not
 * writable. Registered by {@link LayerStoreComponent}, which owns the store.
 */
final class StoreHealthCheck implements HealthCheck {

    static final String NAME = "LayerLift layer store";

    private final LocalLayerStore store;

    StoreHealthCheck(LocalLayerStore store) {
        this.store = store;
    }

    @Override
    public Result execute() {
        return new Result(log(store.usage(), store.settings().minFreeDiskBytes(), store.settings().dir(),
                store.writable()));
    }

    static FormattingResultLog log(StoreUsage usage, long minFreeDiskBytes, Path dir, boolean writable) {
        FormattingResultLog log = new FormattingResultLog();
        long used = usage.unitBytes() + usage.partialBytes();
        if (!writable) {
            log.critical("The store directory {} is not writable: uploads fail", dir);
        }
        if (usage.freeDiskBytes() < 0) {
            log.warn("The free space of {} cannot be read", dir);
        } else if (usage.freeDiskBytes() < 2 * minFreeDiskBytes) {
            log.warn("Free disk {} bytes is below twice min.free.disk.bytes ({}): new uploads will soon be refused",
                    usage.freeDiskBytes(), minFreeDiskBytes);
        }
        if (used * 10 > usage.budgetBytes() * 9) {
            log.warn("The store uses {} of its {}-byte budget, over 90 %: pinned units cannot be evicted", used,
                    usage.budgetBytes());
        }
        log.info("{} units ({} bytes), {} uploads in progress ({} bytes reserved), {} pinned; budget {} bytes,"
                + " quota {} bytes per client, free disk {} bytes, in {}", usage.units(), usage.unitBytes(),
                usage.partialUnits(), usage.partialBytes(), usage.pinnedUnits(), usage.budgetBytes(),
                usage.quotaBytes(), usage.freeDiskBytes(), dir);
        return log;
    }
}
