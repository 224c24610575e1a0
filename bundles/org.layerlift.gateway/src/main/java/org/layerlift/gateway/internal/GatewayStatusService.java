package org.layerlift.gateway.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.layerlift.api.gateway.BundleStatus;
import org.layerlift.api.gateway.GatewayStatus;
import org.layerlift.api.gateway.GatewayStatusListener;
import org.layerlift.api.gateway.HealthStatus;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Keeps the gateway's status: every bundle, every LayerLift component (with why it is not active) and the LayerLift
 * health checks. Re-reads it when bundles change and every few seconds, and tells the listeners when it differs.
 */
@Component(configurationPid = GatewayStatusService.PID, immediate = true, service = GatewayStatusService.class)
@Designate(ocd = StatusConfig.class)
public final class GatewayStatusService implements BundleListener, FrameworkListener {

    static final String PID = "org.layerlift.gateway.status";
    static final String HEALTH_TAG = "layerlift";

    static final String TRANSPORT_CHECK = "LayerLift MQTT transport";
    /** How long a shell command waits for its refresh. */
    static final long REFRESH_WAIT_MS = 30_000;

    private final BundleContext context;
    private final ServiceComponentRuntime scr;
    private final HealthCheckExecutor health;
    private final Logger log;
    private final ScheduledExecutorService worker;
    private final StatusRefresher refresher;
    private final Deque<String> problems = new ArrayDeque<>();
    /** Problems that last while their cause does (a bad file in deploy/), by what causes them. */
    private final java.util.Map<String, String> standingProblems = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** Guarded by this: the valid settings in force and the periodic refresh they scheduled. */
    private StatusSettings settings;
    private ScheduledFuture<?> periodic;

    @Activate
    public GatewayStatusService(StatusConfig config, BundleContext context, @Reference ServiceComponentRuntime scr,
            @Reference HealthCheckExecutor health, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.scr = scr;
        this.health = health;
        this.log = log;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "layerlift-status");
            t.setDaemon(true);
            return t;
        });
        this.refresher = new StatusRefresher(worker, this::snapshot, GatewayStatusService::transportUp,
                // the framework may be tearing down under us; the next refresh will tell
                e -> log.debug("Status refresh failed: {}", e.toString()),
                (l, e) -> log.warn("Status listener {} failed: {}", l.getClass().getName(), e.toString()));
        apply(config);
        context.addBundleListener(this);
        context.addFrameworkListener(this);
        refresher.request();
    }

    @Modified
    void modified(StatusConfig config) {
        apply(config);
    }

    private void apply(StatusConfig config) {
        StatusSettings previous;
        synchronized (this) {
            previous = settings;
        }
        StatusSettings next = StatusSettings.of(config, previous, log::warn);
        synchronized (this) {
            settings = next;
            if (periodic == null || previous.refreshSeconds() != next.refreshSeconds()) {
                if (periodic != null) {
                    periodic.cancel(false);
                }
                periodic = worker.scheduleWithFixedDelay(refresher::request, next.refreshSeconds(),
                        next.refreshSeconds(), TimeUnit.SECONDS);
            }
        }
        synchronized (problems) {
            trimProblems(next.problemsKept());
        }
    }

    synchronized StatusSettings settings() {
        return settings;
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
        context.removeFrameworkListener(this);
        refresher.close();
        worker.shutdownNow();
    }

    /** The newest snapshot (at most one refresh interval old; null before the first refresh). */
    public GatewayStatus current() {
        return refresher.current();
    }

    /**
     * Asks the status thread for a fresh snapshot, waits for it (at most {@link #REFRESH_WAIT_MS}) and returns the
     * newest snapshot then. The listeners are told, on the status thread, if it changed.
     */
    public GatewayStatus refreshNow() {
        return refresher.refreshNow(REFRESH_WAIT_MS);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(GatewayStatusListener listener) {
        refresher.addListener(listener);
    }

    void removeListener(GatewayStatusListener listener) {
        refresher.removeListener(listener);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        refresher.request();
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() != FrameworkEvent.ERROR && event.getType() != FrameworkEvent.WARNING) {
            return;
        }
        String who = event.getBundle() == null ? "framework" : event.getBundle().getSymbolicName() == null
                ? event.getBundle().getLocation() : event.getBundle().getSymbolicName();
        Throwable t = event.getThrowable();
        String what = t == null ? "framework " + (event.getType() == FrameworkEvent.ERROR ? "error" : "warning")
                : t.getMessage() != null ? t.getMessage() : t.getClass().getName();
        recordProblem(who + ": " + what);
    }

    /** Something outside any component went wrong (a dropped file that is not a bundle, say). */
    void recordProblem(String problem) {
        int kept = settings().problemsKept();
        synchronized (problems) {
            problems.addLast(problem);
            trimProblems(kept);
        }
        log.warn("Gateway problem: {}", problem);
        refresher.request();
    }

    private void trimProblems(int kept) {
        while (problems.size() > kept) {
            problems.removeFirst();
        }
    }

    /** A problem that stands until {@link #clearProblem} is called with the same key. */
    void setProblem(String key, String problem) {
        standingProblems.put(key, problem);
        log.warn("Gateway problem: {}", problem);
        refresher.request();
    }

    void clearProblem(String key) {
        if (standingProblems.remove(key) != null) {
            refresher.request();
        }
    }

    /**
     * Whether a status may be published: not while the transport's health check says it is not connected (at
     * startup the first status would otherwise always be CRITICAL). Without a transport check there is nothing to
     * wait for.
     */
    static boolean transportUp(GatewayStatus status) {
        return status.checks().stream().filter(c -> c.name().equals(TRANSPORT_CHECK))
                .allMatch(c -> c.status().equals("OK") || c.status().equals("WARN"));
    }

    private GatewayStatus snapshot() {
        List<BundleStatus> bundles = Arrays.stream(context.getBundles())
                .map(b -> new BundleStatus(b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(),
                        stateName(b.getState()), b.getLocation()))
                .sorted(Comparator.comparingLong(BundleStatus::id))
                .toList();
        List<HealthStatus> checks = new ArrayList<>();
        Result.Status worst = Result.Status.OK;
        for (HealthCheckExecutionResult r : health.execute(HealthCheckSelector.tags(HEALTH_TAG))) {
            Result result = r.getHealthCheckResult();
            String message = java.util.stream.StreamSupport.stream(result.spliterator(), false)
                    .filter(e -> e.getStatus() != Result.Status.OK || !"DEBUG".equalsIgnoreCase(e.getLogLevel()))
                    .map(e -> e.getMessage())
                    .collect(Collectors.joining("; "));
            checks.add(new HealthStatus(r.getHealthCheckMetadata().getName(), result.getStatus().name(), message));
            if (result.getStatus().compareTo(worst) > 0) {
                worst = result.getStatus();
            }
        }
        checks.sort(Comparator.comparing(HealthStatus::name));
        List<String> recent = new ArrayList<>(standingProblems.values());
        synchronized (problems) {
            recent.addAll(problems);
        }
        return new GatewayStatus(context.getBundle().getVersion().toString(), worst.name(), bundles,
                ComponentStates.of(scr), checks, recent, System.currentTimeMillis());
    }

    static boolean sameContent(GatewayStatus a, GatewayStatus b) {
        return a != null && b != null && a.health().equals(b.health()) && a.bundles().equals(b.bundles())
                && a.components().equals(b.components()) && a.checks().equals(b.checks())
                && a.problems().equals(b.problems()) && Objects.equals(a.version(), b.version());
    }

    static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNKNOWN(" + state + ")";
        };
    }
}
