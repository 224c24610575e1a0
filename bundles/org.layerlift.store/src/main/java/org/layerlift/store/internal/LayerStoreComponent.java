package org.layerlift.store.internal;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.felix.hc.api.HealthCheck;
import org.layerlift.api.store.ChunkReceipt;
import org.layerlift.api.store.ChunkWrite;
import org.layerlift.api.store.LayerStore;
import org.layerlift.api.store.StoreException;
import org.layerlift.api.store.StoreUsage;
import org.layerlift.api.store.StoredUnit;
import org.layerlift.api.store.UnitAddress;
import org.layerlift.api.store.UnitStatus;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@link LayerStore} service: a {@link LocalLayerStore} in the configured directory, a health check for it, and a
 * periodic sweep of expired partial uploads. A new configuration reopens the store (the component is not
 * {@code @Modified}): the directory and limits change together, and what is on disk is recovered.
 */
@Component(configurationPid = LayerStoreComponent.PID, service = LayerStore.class, immediate = true)
@Designate(ocd = StoreConfig.class)
public final class LayerStoreComponent implements LayerStore {

    static final String PID = "org.layerlift.store";
    /** The sweep runs at least this often, so an expiry of a day discards within the hour after it. */
    private static final long MAX_SWEEP_INTERVAL_S = 3600;

    private final Logger log;
    private final LocalLayerStore store;
    private final ScheduledExecutorService sweeper;
    private final ServiceRegistration<HealthCheck> health;

    /** @throws IllegalArgumentException for a bad configuration, StoreException when the directory cannot be used */
    @Activate
    public LayerStoreComponent(StoreConfig config, BundleContext context,
            @Reference(service = LoggerFactory.class) Logger log) throws StoreException {
        this.log = log;
        StoreSettings settings;
        try {
            settings = settings(config);
            this.store = new LocalLayerStore(settings);
        } catch (IllegalArgumentException | StoreException e) {
            log.error("Layer store not started: {}", e.getMessage());
            throw e;
        }
        log.info("Layer store in {}: {}", settings.dir(), store.recovery());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "layerlift-store-sweep");
            t.setDaemon(true);
            return t;
        });
        long interval = Math.max(1, Math.min(MAX_SWEEP_INTERVAL_S, settings.partialExpiry().toSeconds() / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.SECONDS);
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HealthCheck.NAME, StoreHealthCheck.NAME);
        properties.put(HealthCheck.TAGS, new String[] {"layerlift", "store"});
        properties.put(HealthCheck.RESULT_CACHE_TTL_IN_MS, 0L);
        this.health = context.registerService(HealthCheck.class, new StoreHealthCheck(store), properties);
    }

    /** The configuration, checked: an {@link IllegalArgumentException} names every bad key and its value. */
    static StoreSettings settings(StoreConfig config) {
        return StoreSettings.of(config.dir(), config.budget_bytes(), config.quota_bytes(),
                config.min_free_disk_bytes(), config.max_unit_bytes(), config.max_chunk_bytes(),
                config.max_partials_per_owner(), config.partial_expiry_s());
    }

    @Deactivate
    void deactivate() {
        health.unregister();
        sweeper.shutdownNow();
        store.close();
        log.info("Layer store in {}: closed", store.settings().dir());
    }

    private void sweep() {
        try {
            long freed = store.sweepExpired();
            if (freed > 0) {
                log.info("Layer store: discarded expired partial uploads, {} bytes freed", freed);
            }
        } catch (StoreException | RuntimeException e) {
            log.warn("Layer store: sweeping expired partial uploads failed: {}", e.getMessage());
        }
    }

    @Override
    public UnitStatus status(UnitAddress unit) {
        return store.status(unit);
    }

    @Override
    public ChunkReceipt write(ChunkWrite chunk) throws StoreException {
        return store.write(chunk);
    }

    @Override
    public Optional<ByteBuffer> read(UnitAddress unit) throws StoreException {
        return store.read(unit);
    }

    @Override
    public void pin(String holder, Collection<UnitAddress> units) {
        store.pin(holder, units);
    }

    @Override
    public void unpin(String holder) {
        store.unpin(holder);
    }

    @Override
    public List<StoredUnit> units() {
        return store.units();
    }

    @Override
    public StoreUsage usage() {
        return store.usage();
    }

    @Override
    public long evict(UnitAddress unit) throws StoreException {
        return store.evict(unit);
    }

    @Override
    public long evictTo(long targetBytes) throws StoreException {
        return store.evictTo(targetBytes);
    }
}
