package org.layerlift.session.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.felix.hc.api.ResultLog;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.layerlift.api.inference.SegmentExecutor;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.Planner;
import org.layerlift.api.store.LayerStore;
import org.layerlift.api.store.StoreException;
import org.layerlift.api.store.StoreUsage;
import org.layerlift.api.store.StoredUnit;
import org.layerlift.api.store.UnitAddress;
import org.layerlift.api.transport.MessageTransport;
import org.layerlift.api.transport.Subscription;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * OSGi glue of the serving path: wires the {@link SessionManager} to the planner, the strategies, the layer store and
 * the segment executor, subscribes the protocol's request topics whenever an MQTT transport is up, and offers the
 * sessions health check and the Gogo commands {@code layerlift:sessions}, {@code session}, {@code store} and
 * {@code evict}.
 */
@Component(
        configurationPid = SessionComponent.PID,
        immediate = true,
        service = {SessionComponent.class, HealthCheck.class},
        property = {
            HealthCheck.NAME + "=LayerLift sessions",
            HealthCheck.TAGS + "=layerlift",
            HealthCheck.TAGS + "=sessions",
            "osgi.command.scope=layerlift",
            "osgi.command.function=sessions",
            "osgi.command.function=session",
            "osgi.command.function=store",
            "osgi.command.function=evict"
        })
@Designate(ocd = SessionConfig.class)
public final class SessionComponent implements HealthCheck {

    static final String PID = "org.layerlift.session";

    private final Logger log;
    private final LayerStore store;
    private final SessionManager manager;
    private final ServingEndpoint endpoint;
    private final Map<String, PartitionStrategy> strategies = new ConcurrentHashMap<>();
    private final AtomicReference<MessageTransport> transport = new AtomicReference<>();
    private final List<Subscription> subscriptions = new ArrayList<>();

    @Activate
    public SessionComponent(SessionConfig config, @Reference Planner planner, @Reference LayerStore store,
            @Reference SegmentExecutor executor, @Reference(service = LoggerFactory.class) Logger log)
            throws IOException {
        this.log = log;
        this.store = store;
        SessionSettings settings = new SessionSettings(Path.of(config.data_dir()), config.idle_expiry_s() * 1000,
                config.max_sessions(), config.max_sessions_per_client(), config.chunk_bytes(), config.profile_runs(),
                config.profile_threads(), config.strategy_poll_ms());
        AtomicReference<ServingEndpoint> events = new AtomicReference<>();
        SessionManager.Log managerLog = new SessionManager.Log() {
            @Override
            public void info(String message) {
                log.info(message);
            }

            @Override
            public void warn(String message) {
                log.warn(message);
            }
        };
        this.manager = new SessionManager(settings, planner, new Strategies() {
            @Override
            public SortedSet<String> names() {
                return new TreeSet<>(strategies.keySet());
            }

            @Override
            public PartitionStrategy get(String name) {
                return strategies.get(name);
            }
        }, store, executor, (client, event) -> {
            ServingEndpoint e = events.get();
            if (e != null) {
                e.send(client, event);
            }
        }, managerLog, System::currentTimeMillis);
        this.endpoint = new ServingEndpoint(manager, transport::get,
                new ProblemLog(log::warn, System::currentTimeMillis));
        events.set(endpoint);
        manager.start();
        log.info("sessions: serving from {} ({} resumed)", settings.dir().toAbsolutePath(), manager.sessionCount());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStrategy(PartitionStrategy strategy, Map<String, Object> properties) {
        Object name = properties.get(PartitionStrategy.NAME);
        strategies.put(name != null ? name.toString() : strategy.name(), strategy);
    }

    void unbindStrategy(PartitionStrategy strategy, Map<String, Object> properties) {
        Object name = properties.get(PartitionStrategy.NAME);
        strategies.remove(name != null ? name.toString() : strategy.name(), strategy);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTransport(MessageTransport t) {
        transport.set(t);
        List<Subscription> made = new ArrayList<>();
        for (String kind : ProtocolTopics.REQUESTS) {
            made.add(t.subscribe(ProtocolTopics.requestFilter(kind), 1, endpoint));
        }
        List<Subscription> old;
        synchronized (subscriptions) {
            old = new ArrayList<>(subscriptions);
            subscriptions.clear();
            subscriptions.addAll(made);
        }
        old.forEach(Subscription::close);
        log.info("sessions: listening on {} through {}", ProtocolTopics.requestFilter("<kind>"), t.clientId());
    }

    void unbindTransport(MessageTransport t) {
        if (transport.compareAndSet(t, null)) {
            List<Subscription> old;
            synchronized (subscriptions) {
                old = new ArrayList<>(subscriptions);
                subscriptions.clear();
            }
            old.forEach(Subscription::close);
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (subscriptions) {
            subscriptions.forEach(Subscription::close);
            subscriptions.clear();
        }
        manager.close();
    }

    @Override
    public Result execute() {
        // a plain ResultLog: FormattingResultLog formats through slf4j, which only the framework provides
        ResultLog result = new ResultLog();
        result.add(new ResultLog.Entry(Result.Status.OK, String.format(
                "%d sessions (%d uploading), %d models, %d queries (%d failed), %d re-plans%s",
                manager.sessionCount(), manager.uploadingCount(), manager.modelCount(), manager.queryCount(),
                manager.failedQueryCount(), manager.replanCount(),
                transport.get() == null ? "; not listening: no MQTT transport" : "")));
        return new Result(result);
    }

    // ---- Gogo commands ----

    /** layerlift:sessions — one line per session. */
    public String sessions() {
        StringBuilder b = new StringBuilder(String.format("%-32s %-20s %-16s %-12s %4s %9s %9s %12s %8s %7s%n",
                "session", "client", "model", "strategy", "plan", "units", "ready", "to upload", "idle s", "queries"));
        for (SessionManager.Summary s : manager.summaries()) {
            b.append(String.format("%-32s %-20.20s %-16.16s %-12.12s %4d %4d/%-4d %4d/%-4d %12d %8d %7d%n", s.id(),
                    s.clientId(), s.modelName(), s.strategy(), s.planVersion(), s.unitsHeld(), s.units(),
                    s.partitionsReady(), s.partitions(), s.bytesToUpload(), s.idleMs() / 1000, s.queries()));
        }
        b.append(manager.sessionCount()).append(" sessions");
        return b.toString();
    }

    /** layerlift:session &lt;id or prefix&gt; — the session's plan as its client sees it. */
    public String session(String id) {
        Messages.Plan plan = manager.detail(id);
        return plan == null ? "no session (or no unique session) with id " + id + "; see layerlift:sessions"
                : new String(Json.write(plan), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** layerlift:store — disk use and the units held, least recently used first. */
    public String store() {
        StoreUsage u = store.usage();
        StringBuilder b = new StringBuilder();
        b.append(String.format("%d units, %d bytes; %d partial uploads (%d bytes reserved); %d pinned; budget %d; "
                + "free disk %d; per-client quota %d%n", u.units(), u.unitBytes(), u.partialUnits(), u.partialBytes(),
                u.pinnedUnits(), u.budgetBytes(), u.freeDiskBytes(), u.quotaBytes()));
        for (StoredUnit s : store.units()) {
            b.append(String.format("%s %12d %-20.20s %s%s%n", s.unit(), s.size(), s.owner(), s.lastUsed(),
                    s.pinned() ? " pinned" : ""));
        }
        return b.toString().stripTrailing();
    }

    /** layerlift:evict &lt;sha256 | all&gt; — removes one unpinned unit, or every unpinned one. */
    public String evict(String what) {
        try {
            if ("all".equals(what)) {
                return "freed " + store.evictTo(0) + " bytes (pinned units stay)";
            }
            long freed = store.evict(new UnitAddress(what));
            return freed > 0 ? "freed " + freed + " bytes" : "unit " + what + " is pinned by a session or not held";
        } catch (StoreException | IllegalArgumentException e) {
            return "cannot evict: " + e.getMessage();
        }
    }
}
