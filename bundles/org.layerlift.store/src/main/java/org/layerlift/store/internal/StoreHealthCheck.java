package org.layerlift.store.internal;

import java.nio.file.Path;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
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

    static ResultLog log(StoreUsage usage, long minFreeDiskBytes, Path dir, boolean writable) {
        ResultLog log = new ResultLog();
        long used = usage.unitBytes() + usage.partialBytes();
        if (!writable) {
            log.add(new ResultLog.Entry(Result.Status.CRITICAL, "The store directory " + dir
                    + " is not writable: uploads fail"));
        }
        if (usage.freeDiskBytes() < 0) {
            log.add(new ResultLog.Entry(Result.Status.WARN, "The free space of " + dir + " cannot be read"));
        } else if (usage.freeDiskBytes() < 2 * minFreeDiskBytes) {
            log.add(new ResultLog.Entry(Result.Status.WARN, "Free disk " + usage.freeDiskBytes()
                    + " bytes is below twice min.free.disk.bytes (" + minFreeDiskBytes
                    + "): new uploads will soon be refused"));
        }
        if (used * 10 > usage.budgetBytes() * 9) {
            log.add(new ResultLog.Entry(Result.Status.WARN, "The store uses " + used + " bytes of its "
                    + usage.budgetBytes() + "-byte budget, over 90 %: what is left is pinned or was just used"));
        }
        log.add(new ResultLog.Entry(Result.Status.OK, usage.units() + " units (" + usage.unitBytes() + " bytes), "
                + usage.partialUnits() + " uploads in progress (" + usage.partialBytes() + " bytes reserved), "
                + usage.pinnedUnits() + " pinned; budget " + usage.budgetBytes() + " bytes, quota "
                + usage.quotaBytes() + " bytes per client, free disk " + usage.freeDiskBytes() + " bytes, in " + dir));
        return log;
    }
}
