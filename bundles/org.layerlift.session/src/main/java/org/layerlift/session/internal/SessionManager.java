package org.layerlift.session.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.layerlift.api.inference.SegmentException;
import org.layerlift.api.inference.SegmentExecutor;
import org.layerlift.api.inference.SegmentSpec;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Planner;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.api.store.ChunkReceipt;
import org.layerlift.api.store.ChunkWrite;
import org.layerlift.api.store.LayerStore;
import org.layerlift.api.store.StoreException;
import org.layerlift.api.store.UnitAddress;
import org.layerlift.api.store.UnitStatus;
import org.layerlift.api.transport.Topics;
import org.layerlift.model.surgery.UnitWeights;
import org.layerlift.model.units.GraphUnit;
import org.layerlift.planning.Segments;
import org.layerlift.protocol.ErrorCode;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolException;

/**
 * The serving core, without any framework: sessions from manifests, chunks into the store, partition readiness,
 * query hops through the executor, re-planning, persistence and expiry. The endpoint decodes messages and calls
 * it; the OSGi component wires it to the planner, strategies, store and executor.
 *
 * <p>Threads: callers (the transport's bounded workers) run the cheap steps; server-cost measurement runs on one
 * profiler thread, segment builds on a small bounded builder pool, sweeps on one scheduler thread. No lock is held
 * while calling the store, the executor, the planner or the event sink.
 */
final class SessionManager implements AutoCloseable {

    /** Where the manager's log lines go (an OSGi logger in the gateway, a list in tests). */
    interface Log {
        void info(String message);

        void warn(String message);
    }

    /** The outcome of a query hop. */
    record QueryResult(List<TensorData> outputs, double runMs, double gatewayMs) {}

    /** A line of {@code layerlift:sessions}. */
    record Summary(String id, String clientId, String modelName, String strategy, int planVersion, int unitsHeld,
            int units, int partitionsReady, int partitions, long bytesToUpload, long idleMs, long queries) {}

    private final SessionSettings settings;
    private final Planner planner;
    private final Strategies strategies;
    private final LayerStore store;
    private final SegmentExecutor executor;
    private final EventSink events;
    private final Log log;
    private final LongSupplier clock;
    private final SessionFiles files;
    private final ServerCosts costs;
    private final ThreadPoolExecutor profiler;
    private final ThreadPoolExecutor builder;
    /** what the segment builds took against the profile: later plans charge builds that way */
    private final BuildTimes buildTimes = new BuildTimes();
    private final ScheduledExecutorService scheduler;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Messages.Plan>> opening = new ConcurrentHashMap<>();
    private final Map<String, ModelLayout> layouts = new ConcurrentHashMap<>();
    /** builds queued or running, by executor key, so that one segment is built once at a time */
    private final Set<String> building = ConcurrentHashMap.newKeySet();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong failedQueries = new AtomicLong();
    private final AtomicLong replans = new AtomicLong();
    private volatile String strategySignature = "";

    SessionManager(SessionSettings settings, Planner planner, Strategies strategies, LayerStore store,
            SegmentExecutor executor, EventSink events, Log log, LongSupplier clock) throws IOException {
        this.settings = settings;
        this.planner = planner;
        this.strategies = strategies;
        this.store = store;
        this.executor = executor;
        this.events = events;
        this.log = log;
        this.clock = clock;
        this.files = new SessionFiles(settings.dir());
        this.profiler = pool("layerlift-session-profiler", 1, 64);
        // one build at a time: builds are CPU-bound, and queries on the ready partitions must not starve meanwhile
        this.builder = pool("layerlift-session-builder", 1, 1024);
        this.costs = new ServerCosts(settings.dir().resolve("profiles"), profiler, settings.profileRuns(),
                settings.profileThreads());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "layerlift-session-sweep"));
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), r -> daemon(r, name + "-" + n.incrementAndGet()));
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Resumes the persisted sessions and starts the sweeps. */
    void start() throws IOException {
        strategySignature = signature();
        List<SessionRecord> records = files.loadAll((file, e) -> log.warn("session file " + file.getFileName()
                + " cannot be read and is ignored: " + e.getMessage()));
        for (SessionRecord r : records) {
            try {
                resume(r);
            } catch (ProtocolException | IOException | RuntimeException e) {
                log.warn("session " + r.id() + " of client " + r.clientId() + " cannot be resumed and is dropped: "
                        + e.getMessage());
                try {
                    files.delete(r.id());
                } catch (IOException | RuntimeException ignored) {
                    // it stays unreadable: reported again next start
                }
            }
        }
        if (!records.isEmpty()) {
            log.info("resumed " + sessions.size() + " of " + records.size() + " persisted sessions");
        }
        long sweep = Math.max(1000, Math.min(30_000, settings.idleExpiryMs() / 4));
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, sweep, sweep, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::pollStrategies, settings.strategyPollMs(), settings.strategyPollMs(),
                TimeUnit.MILLISECONDS);
    }

    private void resume(SessionRecord r) throws ProtocolException, IOException {
        ModelLayout layout = layout(files.readGraph(r.graphSha256()), r.modelName(), r.granularity(), r.inputShapes());
        Session s = new Session(r.id(), r.clientId(), r.modelKey(), layout, r.modelName(), r.units(),
                r.clientOnlyMs(), r.requestedStrategy(), r.bandwidthMbps(), r.createdMs());
        s.touch(r.lastActiveMs());
        s.restorePlan(Session.plan(r), r.plannedBy(), r.planVersion());
        refreshComplete(s);
        pin(s);
        register(s);
        costs.costs(layout).whenComplete((c, e) -> {
            if (c != null) {
                profile(s, c);
            }
            checkReadiness(s);
        });
    }

    // ---- manifest → plan ----

    CompletableFuture<Messages.Plan> open(String clientId, Messages.Manifest m, ByteBuffer graphBody)
            throws ProtocolException {
        Topics.requireLevel(clientId, "client id");
        if (!graphBody.hasRemaining()) {
            throw new ProtocolException(ErrorCode.BAD_MANIFEST, "the manifest carries no graph (envelope body empty)");
        }
        byte[] graph = new byte[graphBody.remaining()];
        graphBody.duplicate().get(graph);
        ModelLayout layout = layout(graph, m.modelName(), m.granularity(), m.inputShapes());
        checkUnits(layout, m.units());
        if (m.strategy() != null && strategies.get(m.strategy()) == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_STRATEGY, "strategy '" + m.strategy()
                    + "' is not installed on this gateway; installed: " + String.join(", ", strategies.names()));
        }
        StringBuilder identity = new StringBuilder(layout.key());
        for (Messages.ManifestUnit u : m.units()) {
            identity.append('\n').append(u.sha256());
        }
        String modelKey = Hashes.sha256Hex(identity.toString());
        String id = Hashes.sha256Hex(clientId + "\n" + modelKey).substring(0, 32);
        Session existing = sessions.get(id);
        if (existing != null) {
            existing.touch(clock.getAsLong());
            if (Math.abs(existing.bandwidthMbps() - m.bandwidthMbps()) > 1e-9 && existing.profile() != null) {
                existing.bandwidthMbps(m.bandwidthMbps());
                replan(existing, "bandwidth", false);
            }
            return CompletableFuture.completedFuture(view(existing));
        }
        CompletableFuture<Messages.Plan> pending = opening.get(id);
        if (pending != null) {
            return pending;
        }
        long mine = sessions.values().stream().filter(s -> s.clientId.equals(clientId)).count();
        if (mine >= settings.maxSessionsPerClient()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_SESSIONS, "client " + clientId + " has " + mine
                    + " sessions, the limit is " + settings.maxSessionsPerClient() + ": close one first");
        }
        if (sessions.size() + opening.size() >= settings.maxSessions()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_SESSIONS, "the gateway holds its limit of "
                    + settings.maxSessions() + " sessions; try again later");
        }
        try {
            files.saveGraph(layout.graphSha256(), graph);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.STORE_ERROR, "cannot keep the model graph: " + e.getMessage(), e);
        }
        CompletableFuture<Messages.Plan> result = new CompletableFuture<>();
        CompletableFuture<Messages.Plan> racing = opening.putIfAbsent(id, result);
        if (racing != null) {
            return racing; // the same manifest twice at once: one opening, both answered by it
        }
        costs.costs(layout).handle((c, failure) -> {
            try {
                if (failure != null) {
                    throw new ProtocolException(ErrorCode.INTERNAL, "the gateway cannot measure this model: "
                            + rootMessage(failure), failure);
                }
                Session opened = sessions.get(id);
                if (opened != null) {
                    result.complete(view(opened)); // an opening that finished between our check and our start
                    return null;
                }
                Session s = new Session(id, clientId, modelKey, layout, m.modelName(), m.units(), m.clientOnlyMs(),
                        m.strategy(), m.bandwidthMbps(), clock.getAsLong());
                refreshComplete(s);
                profile(s, c);
                PlannedBy planned = plan(s, List.of());
                s.newPlan(planned.plan(), planned.by());
                pin(s);
                persist(s);
                register(s);
                log.info("session " + id + ": client " + clientId + ", model " + m.modelName() + " ("
                        + layout.unitCount() + " " + layout.granularity() + " units, " + s.completeCount()
                        + " held), planned by " + planned.by() + " at " + m.bandwidthMbps() + " Mbps");
                checkReadiness(s);
                result.complete(view(s));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                opening.remove(id);
            }
            return null;
        });
        return result;
    }

    /** The parsed layout, or the one live sessions already share; kept only once a session uses it. */
    private ModelLayout layout(byte[] graph, String name, String granularity, Map<String, List<Long>> shapes)
            throws ProtocolException {
        ModelLayout parsed = ModelLayout.parse(graph, name, granularity, shapes);
        ModelLayout known = layouts.get(parsed.key());
        return known != null ? known : parsed;
    }

    private void register(Session s) {
        layouts.putIfAbsent(s.layout.key(), s.layout);
        sessions.put(s.id, s);
    }

    private static void checkUnits(ModelLayout layout, List<Messages.ManifestUnit> units) throws ProtocolException {
        if (units.size() != layout.unitCount()) {
            throw new ProtocolException(ErrorCode.MANIFEST_MISMATCH, "the manifest lists " + units.size()
                    + " units; the gateway groups this graph into " + layout.unitCount() + " " + layout.granularity()
                    + " units");
        }
        for (int u = 0; u < units.size(); u++) {
            Messages.ManifestUnit m = units.get(u);
            GraphUnit g = layout.units().get(u);
            long bytes = layout.weights().bytes(u);
            if (!m.name().equals(g.name())) {
                throw new ProtocolException(ErrorCode.MANIFEST_MISMATCH, "unit " + u + " is '" + g.name()
                        + "' in the graph, the manifest calls it '" + m.name() + "'");
            }
            if (m.weightBytes() != bytes) {
                throw new ProtocolException(ErrorCode.MANIFEST_MISMATCH, "unit " + u + " ('" + g.name() + "') has "
                        + bytes + " bytes of external weights in the graph, the manifest says " + m.weightBytes());
            }
            if (bytes > 0 && m.sha256() == null) {
                throw new ProtocolException(ErrorCode.MANIFEST_MISMATCH, "unit " + u + " ('" + g.name()
                        + "') has weights but no sha256");
            }
        }
    }

    /**
     * Gives the session its cost profile: the client's times, the gateway's measured server and load times, the load
     * times scaled as this gateway's builds have taken them so far ({@link BuildTimes}, with their fixed part per
     * segment as the plan's {@code segment_build_ms}).
     */
    private void profile(Session s, ServerCosts.Costs c) {
        BuildTimes.Fit fit = buildTimes.fit();
        List<UnitCost> measured = new ArrayList<>();
        List<UnitCost> planned = new ArrayList<>();
        for (int u = 0; u < s.units.size(); u++) {
            Messages.ManifestUnit m = s.units.get(u);
            GraphUnit g = s.layout.units().get(u);
            double server = c.serverMs()[u];
            double load = c.loadMs()[u];
            // the build of a segment is charged its units' load + server times: scale that sum, not the server times
            double scaled = Math.max(0, fit.scale() * (load + server) - server);
            measured.add(new UnitCost(m.name(), m.clientMs(), server, m.weightBytes(), load, g.inputBytes(),
                    g.outputBytes(), g.nodeNames()));
            planned.add(new UnitCost(m.name(), m.clientMs(), server, m.weightBytes(), scaled, g.inputBytes(),
                    g.outputBytes(), g.nodeNames()));
        }
        s.profile(new CostProfile(s.modelName, planned, s.clientOnlyMs), new CostProfile(s.modelName, measured,
                s.clientOnlyMs), fit.fixedMs());
    }

    private record PlannedBy(UploadPlan plan, String by) {}

    /**
     * Plans a session with its held units free: its own strategy if it asked for one and it is there, else the
     * planner. The best routes the held units allow go first ({@link ReadyFirst}), {@code readyRoutes} (the previous
     * plan's ready partitions) among them.
     */
    private PlannedBy plan(Session s, List<List<Segment>> readyRoutes) throws ProtocolException {
        CostProfile profile = s.profile();
        Set<Integer> held = new HashSet<>(s.complete().stream().boxed().toList());
        PlanRequest request = new PlanRequest(profile, s.bandwidthMbps(), held);
        UploadPlan plan;
        String by;
        try {
            PartitionStrategy own = s.requestedStrategy == null ? null : strategies.get(s.requestedStrategy);
            if (own != null) {
                plan = own.plan(request);
                by = s.requestedStrategy;
            } else {
                plan = planner.plan(request);
                by = plan.strategy() != null ? plan.strategy() : planner.activeStrategy();
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ProtocolException(ErrorCode.PLANNING_FAILED, "no plan for model " + s.modelName + ": "
                    + e.getMessage(), e);
        }
        checkPlan(plan, profile.units().size(), by);
        return new PlannedBy(ReadyFirst.apply(plan, profile, s.bandwidthMbps(), held, readyRoutes), by);
    }

    /** A plan from any strategy, third-party ones included, is checked before anyone relies on it. */
    static void checkPlan(UploadPlan plan, int units, String by) throws ProtocolException {
        if (plan == null || plan.partitions() == null || plan.earlyQueries() == null) {
            throw new ProtocolException(ErrorCode.PLANNING_FAILED, "strategy " + by + " returned an incomplete plan");
        }
        Set<Integer> seen = new HashSet<>();
        for (Partition p : plan.partitions()) {
            for (int u : p.units()) {
                if (u < 0 || u >= units || !seen.add(u)) {
                    throw new ProtocolException(ErrorCode.PLANNING_FAILED, "strategy " + by + " planned unit " + u
                            + (u < 0 || u >= units ? ", which the model does not have" : " twice"));
                }
            }
            try {
                Segments.mask(p.serverSegments(), units); // disjoint, ascending, within the chain
            } catch (IllegalArgumentException e) {
                throw new ProtocolException(ErrorCode.PLANNING_FAILED, "strategy " + by + " planned an invalid "
                        + "execution plan: " + e.getMessage(), e);
            }
        }
    }

    private Messages.Plan view(Session s) {
        return PlanView.of(s, settings.chunkBytes());
    }

    // ---- chunks and resume ----

    Messages.ChunkAck chunk(String clientId, Messages.ChunkHeader h, ByteBuffer body) throws ProtocolException {
        Session s = session(clientId, h.session());
        UnitAddress address = new UnitAddress(h.unit());
        int unit = s.addresses.indexOf(address);
        if (unit < 0) {
            throw new ProtocolException(ErrorCode.UNKNOWN_UNIT, "unit " + address.shortForm()
                    + " is not a unit of session " + s.id + "'s model");
        }
        long size = s.units.get(unit).weightBytes();
        if (h.unitSize() != size) {
            throw new ProtocolException(ErrorCode.BAD_CHUNK, "unit " + unit + " has " + size
                    + " bytes, the chunk header says unit_size " + h.unitSize());
        }
        ChunkReceipt receipt;
        try {
            receipt = store.write(new ChunkWrite(clientId, address, size, h.chunkBytes(), h.index(),
                    HexFormat.of().parseHex(h.sha256()), body));
        } catch (StoreException e) {
            throw new ProtocolException(storeCode(e.reason()), e.getMessage(), e);
        }
        long now = clock.getAsLong();
        s.touch(now);
        synchronized (s) {
            s.chunks++;
            if (!receipt.duplicate()) {
                s.bytesReceived += body.remaining();
            }
        }
        if (receipt.unitComplete()) {
            unitComplete(address);
        }
        return new Messages.ChunkAck(s.id, h.unit(), h.index(), receipt.duplicate(), receipt.chunksHeld(),
                receipt.chunkCount(), receipt.unitComplete());
    }

    private static ErrorCode storeCode(StoreException.Reason reason) {
        return switch (reason) {
            case CHUNK_HASH_MISMATCH -> ErrorCode.CHUNK_HASH_MISMATCH;
            case UNIT_HASH_MISMATCH -> ErrorCode.UNIT_HASH_MISMATCH;
            case BAD_CHUNK -> ErrorCode.BAD_CHUNK;
            case QUOTA_EXCEEDED -> ErrorCode.QUOTA_EXCEEDED;
            case NO_SPACE -> ErrorCode.NO_SPACE;
            case IO -> ErrorCode.STORE_ERROR;
        };
    }

    /** A unit is complete in the store: every session with it may have partitions to get ready. */
    private void unitComplete(UnitAddress address) {
        for (Session s : sessions.values()) {
            boolean changed = false;
            for (int u = 0; u < s.addresses.size(); u++) {
                if (address.equals(s.addresses.get(u)) && !s.isComplete(u)) {
                    s.markComplete(u);
                    changed = true;
                }
            }
            if (changed) {
                checkReadiness(s);
            }
        }
    }

    Messages.HaveReply have(String clientId, Messages.HaveRequest r) throws ProtocolException {
        Session s = session(clientId, r.session());
        s.touch(clock.getAsLong());
        List<Messages.UnitHolding> units = new ArrayList<>();
        for (int u = 0; u < s.addresses.size(); u++) {
            UnitAddress a = s.addresses.get(u);
            if (a == null) {
                continue;
            }
            UnitStatus st = store.status(a);
            units.add(new Messages.UnitHolding(a.sha256(), st.size(), st.chunkBytes(), st.complete(),
                    st.chunksHeld()));
            if (st.complete() && !s.isComplete(u)) {
                unitComplete(a); // completed since this session last looked (after a restart, say)
            }
        }
        return new Messages.HaveReply(s.id, s.planVersion(), units, s.readyPartitions());
    }

    private void refreshComplete(Session s) {
        for (int u = 0; u < s.addresses.size(); u++) {
            UnitAddress a = s.addresses.get(u);
            if (a != null && store.status(a).complete()) {
                s.markComplete(u);
            }
        }
    }

    private void pin(Session s) {
        store.pin(s.id, s.addresses.stream().filter(a -> a != null).toList());
    }

    // ---- readiness ----

    /** Schedules the builds of every partition of the plan in force whose units are all stored. */
    private void checkReadiness(Session s) {
        UploadPlan plan;
        int version;
        synchronized (s) {
            plan = s.plan();
            version = s.planVersion();
        }
        if (plan == null || s.closed()) {
            return;
        }
        for (int i = 0; i < plan.partitions().size(); i++) {
            if (s.isReady(i)) {
                continue;
            }
            Partition p = plan.partitions().get(i);
            List<ModelLayout.SegmentPart> parts = new ArrayList<>();
            boolean stored = s.allComplete(p.units());
            for (Segment g : p.serverSegments()) {
                try {
                    ModelLayout.SegmentPart sp = s.layout.segment(g);
                    stored &= s.allComplete(sp.requiredUnits());
                    parts.add(sp);
                } catch (ProtocolException e) {
                    log.warn("session " + s.id + ": partition " + i + " cannot be served: " + e.getMessage());
                    stored = false;
                }
            }
            if (!stored) {
                continue;
            }
            int partition = i;
            if (parts.stream().allMatch(sp -> executor.isPrepared(s.segmentKey(sp.segment())))) {
                // built already (a route the previous plan had ready): ready now, not behind the builds queued
                announceReady(s, version, partition);
                continue;
            }
            submit(() -> {
                for (ModelLayout.SegmentPart sp : parts) {
                    if (!build(s, sp)) {
                        return;
                    }
                }
                announceReady(s, version, partition);
            });
        }
    }

    /** Marks a partition of plan {@code version} ready and tells the client, once. */
    private void announceReady(Session s, int version, int partition) {
        if (s.markReady(version, partition)) {
            events.send(s.clientId, new Messages.Event(Messages.Event.PARTITION_READY, s.id, version, partition, null,
                    null, clock.getAsLong()));
        }
    }

    private void submit(Runnable task) {
        try {
            builder.execute(task);
        } catch (RejectedExecutionException e) {
            log.warn("segment builds are backed up (" + builder.getQueue().size()
                    + " queued); readiness is checked again on the next chunk or query");
        }
    }

    /** Builds a segment's session in the executor (blocking, on a builder thread); true when it can run. */
    private boolean build(Session s, ModelLayout.SegmentPart sp) {
        String key = s.segmentKey(sp.segment());
        if (executor.isPrepared(key)) {
            return true;
        }
        if (!building.add(key)) {
            return false; // being built: that build re-checks every session of the model when it is done
        }
        boolean built = false;
        try {
            long t0 = System.nanoTime();
            SegmentSpec spec = spec(s, sp);
            executor.prepare(spec);
            built = true;
            double ms = (System.nanoTime() - t0) / 1e6;
            double profiled = profiledBuildMs(s, sp.segment());
            buildTimes.record(profiled, ms);
            log.info(String.format(java.util.Locale.ROOT, "session %s: segment [%d..%d] built in %.1f ms (%d weight "
                    + "bytes; the profile charges %.1f ms)", s.id, sp.segment().first(), sp.segment().last(), ms,
                    spec.weightBytes(), profiled));
            return true;
        } catch (SegmentException e) {
            log.warn("session " + s.id + ": segment " + key + " cannot be built: " + e.getMessage());
            return false;
        } finally {
            building.remove(key);
            if (built) {
                // partitions that waited for this build, in this session or others of the same model
                for (Session other : sessions.values()) {
                    if (other.modelKey.equals(s.modelKey)) {
                        checkReadinessLater(other);
                    }
                }
            }
        }
    }

    /** What the measured profile charges for building this segment: its units' load and warm-up (server) times. */
    private static double profiledBuildMs(Session s, Segment g) {
        CostProfile profile = s.profiled();
        if (profile == null) {
            return 0;
        }
        double ms = 0;
        for (int u = g.first(); u <= g.last(); u++) {
            ms += profile.units().get(u).loadMs() + profile.units().get(u).serverMs();
        }
        return ms;
    }

    private void checkReadinessLater(Session s) {
        try {
            builder.execute(() -> checkReadiness(s));
        } catch (RejectedExecutionException e) {
            // checked again on the next chunk or query
        }
    }

    private SegmentSpec spec(Session s, ModelLayout.SegmentPart sp) {
        UnitWeights layout = s.layout.weights();
        Segment g = sp.segment();
        List<String> tensors = sp.part().externalTensors();
        return new SegmentSpec(s.segmentKey(g), sp.part().graph().toByteArray(), sp.part().externalBytes(), () -> {
            Map<Integer, ByteBuffer> units = new HashMap<>();
            Map<String, ByteBuffer> out = new HashMap<>();
            for (String t : tensors) {
                UnitWeights.Slice slice = null;
                for (int u = g.first(); u <= g.last() && slice == null; u++) {
                    slice = layout.slice(u, t);
                }
                if (slice == null) {
                    throw new IOException("no unit of segment " + g + " holds weight '" + t + "'");
                }
                ByteBuffer unit = units.get(slice.unit());
                if (unit == null) {
                    UnitAddress a = s.addresses.get(slice.unit());
                    int index = slice.unit();
                    unit = store.read(a).orElseThrow(() -> new IOException("unit " + index + " ("
                            + a.shortForm() + ") is no longer in the store"));
                    units.put(slice.unit(), unit);
                }
                ByteBuffer b = unit.duplicate();
                b.position((int) slice.offset()).limit((int) (slice.offset() + slice.length()));
                out.put(t, b.slice());
            }
            return out;
        });
    }

    // ---- queries ----

    CompletableFuture<QueryResult> query(String clientId, Messages.QueryHeader h, List<TensorData> inputs)
            throws ProtocolException {
        long t0 = System.nanoTime();
        Session s = session(clientId, h.session());
        s.touch(clock.getAsLong());
        ModelLayout.SegmentPart sp = s.layout.segment(new Segment(h.first(), h.last()));
        if (!s.allComplete(sp.requiredUnits())) {
            BitSet missing = new BitSet();
            sp.requiredUnits().forEach(missing::set);
            missing.andNot(s.complete());
            throw new ProtocolException(ErrorCode.SEGMENT_NOT_READY, "segment [" + h.first() + ".." + h.last()
                    + "] needs units " + missing + ", not uploaded yet");
        }
        String key = s.segmentKey(sp.segment());
        if (!executor.isPrepared(key)) {
            submit(() -> build(s, sp));
            throw new ProtocolException(ErrorCode.SEGMENT_NOT_READY, "segment [" + h.first() + ".." + h.last()
                    + "] is being loaded; run it locally for now");
        }
        queries.incrementAndGet();
        synchronized (s) {
            s.queries++;
        }
        long started = System.nanoTime();
        return executor.run(key, inputs).toCompletableFuture().handle((outputs, failure) -> {
            if (failure != null) {
                failedQueries.incrementAndGet();
                synchronized (s) {
                    s.failedQueries++;
                }
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw new CompletionException(cause instanceof SegmentException se
                        ? new ProtocolException(segmentCode(se.reason()), se.getMessage(), se)
                        : new ProtocolException(ErrorCode.EXECUTION_FAILED, rootMessage(cause), cause));
            }
            long done = System.nanoTime();
            return new QueryResult(outputs, (done - started) / 1e6, (done - t0) / 1e6);
        });
    }

    private static ErrorCode segmentCode(SegmentException.Reason reason) {
        return switch (reason) {
            case UNKNOWN_SEGMENT -> ErrorCode.SEGMENT_NOT_READY;
            case BAD_INPUT -> ErrorCode.BAD_INPUT;
            case TIMEOUT -> ErrorCode.TIMEOUT;
            case OVERLOADED -> ErrorCode.OVERLOADED;
            case BUILD_FAILED, RUN_FAILED -> ErrorCode.EXECUTION_FAILED;
        };
    }

    // ---- re-planning ----

    Messages.Plan bandwidth(String clientId, Messages.BandwidthReport r) throws ProtocolException {
        Session s = session(clientId, r.session());
        s.touch(clock.getAsLong());
        s.bandwidthMbps(r.bandwidthMbps());
        if (s.profile() == null) {
            throw new ProtocolException(ErrorCode.OVERLOADED, "the session's costs are still being measured");
        }
        replan(s, "bandwidth", false);
        return view(s);
    }

    /** Re-plans one session with its stored units free; tells the client when {@code notify}. */
    private void replan(Session s, String reason, boolean notify) throws ProtocolException {
        List<List<Segment>> readyRoutes = new ArrayList<>();
        synchronized (s) {
            UploadPlan old = s.plan();
            for (int i : s.readyPartitions()) {
                if (old != null && i < old.partitions().size()) {
                    readyRoutes.add(old.partitions().get(i).serverSegments());
                }
            }
        }
        PlannedBy planned = plan(s, readyRoutes);
        int version = s.newPlan(planned.plan(), planned.by());
        replans.incrementAndGet();
        persistQuietly(s);
        log.info("session " + s.id + " re-planned (" + reason + ") by " + planned.by() + ", plan version " + version);
        // first, so that the routes ready at once are ready in the plan the client gets; a partition a build makes
        // ready before the client has the plan is told anyway, and the client keeps that for the plan
        checkReadiness(s);
        if (notify) {
            events.send(s.clientId, new Messages.Event(Messages.Event.REPLAN, s.id, version, null, view(s), reason,
                    clock.getAsLong()));
        }
    }

    private String signature() {
        try {
            return planner.activeStrategy() + "|" + String.join(",", strategies.names());
        } catch (RuntimeException e) {
            return "unavailable";
        }
    }

    /** Re-plans the sessions whose strategy is no longer the one that should plan them. */
    void pollStrategies() {
        String now = signature();
        if (now.equals(strategySignature)) {
            return;
        }
        strategySignature = now;
        String active;
        try {
            active = planner.activeStrategy();
        } catch (RuntimeException e) {
            active = null;
        }
        for (Session s : sessions.values()) {
            String should = s.requestedStrategy != null && strategies.get(s.requestedStrategy) != null
                    ? s.requestedStrategy : active;
            if (should != null && !should.equals(s.plannedBy()) && s.profile() != null) {
                try {
                    replan(s, "strategy", true);
                } catch (ProtocolException | RuntimeException e) {
                    log.warn("session " + s.id + " cannot be re-planned: " + e.getMessage()
                            + "; it keeps its plan");
                }
            }
        }
    }

    // ---- close and expiry ----

    Messages.Closed close(String clientId, Messages.CloseRequest r) throws ProtocolException {
        Session s = session(clientId, r.session());
        drop(s, null);
        return new Messages.Closed(s.id, true);
    }

    private void drop(Session s, String expiredReason) {
        if (!s.close()) {
            return;
        }
        sessions.remove(s.id, s);
        store.unpin(s.id);
        try {
            files.delete(s.id);
        } catch (IOException e) {
            log.warn("session " + s.id + ": its file cannot be deleted: " + e.getMessage());
        }
        boolean shared = sessions.values().stream().anyMatch(o -> o.modelKey.equals(s.modelKey));
        if (!shared) {
            executor.release(s.executorPrefix());
        }
        if (sessions.values().stream().noneMatch(o -> o.layout.key().equals(s.layout.key()))) {
            layouts.remove(s.layout.key());
        }
        if (expiredReason != null) {
            events.send(s.clientId, new Messages.Event(Messages.Event.SESSION_EXPIRED, s.id, s.planVersion(), null,
                    null, expiredReason, clock.getAsLong()));
        }
        log.info("session " + s.id + " of client " + s.clientId + (expiredReason != null ? " expired (" + expiredReason
                + ")" : " closed"));
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("session sweep failed: " + e);
        }
    }

    /** Expires idle sessions and persists activity times; returns how many expired. */
    int sweep() {
        long now = clock.getAsLong();
        int expired = 0;
        for (Session s : sessions.values()) {
            if (now - s.lastActiveMs() > settings.idleExpiryMs()) {
                drop(s, "idle");
                expired++;
            }
        }
        for (Session s : sessions.values()) {
            persistQuietly(s);
        }
        try {
            // graphs of manifests that never became a session, and of sessions gone, older than the idle time
            java.util.Set<String> inUse = new java.util.HashSet<>();
            sessions.values().forEach(s -> inUse.add(s.layout.graphSha256()));
            files.pruneGraphs(inUse, settings.idleExpiryMs());
        } catch (IOException e) {
            log.warn("pruning unused model graphs failed: " + e.getMessage());
        }
        return expired;
    }

    private void persist(Session s) throws ProtocolException {
        try {
            files.save(s.record());
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.STORE_ERROR, "cannot persist the session: " + e.getMessage(), e);
        }
    }

    private void persistQuietly(Session s) {
        if (s.closed()) {
            return;
        }
        try {
            files.save(s.record());
        } catch (IOException e) {
            log.warn("session " + s.id + " cannot be persisted: " + e.getMessage());
        }
    }

    // ---- lookups for the endpoint, commands and health ----

    private Session session(String clientId, String id) throws ProtocolException {
        Session s = sessions.get(id);
        if (s == null || !s.clientId.equals(clientId)) {
            // another client's session is as unknown as a missing one
            throw new ProtocolException(ErrorCode.UNKNOWN_SESSION, "no session " + id + " for client " + clientId
                    + ": send the manifest (again)");
        }
        return s;
    }

    List<Summary> summaries() {
        long now = clock.getAsLong();
        List<Summary> out = new ArrayList<>();
        for (Session s : sessions.values()) {
            UploadPlan plan = s.plan();
            long toUpload = 0;
            BitSet complete = s.complete();
            for (int u = 0; u < s.units.size(); u++) {
                if (!complete.get(u)) {
                    toUpload += s.units.get(u).weightBytes();
                }
            }
            long q;
            synchronized (s) {
                q = s.queries;
            }
            out.add(new Summary(s.id, s.clientId, s.modelName, s.plannedBy(), s.planVersion(), complete.cardinality(),
                    s.units.size(), s.readyPartitions().size(), plan == null ? 0 : plan.partitions().size(), toUpload,
                    now - s.lastActiveMs(), q));
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out;
    }

    /** The plan view of one session (by id or unique id prefix), or null. */
    Messages.Plan detail(String idOrPrefix) {
        Session found = null;
        for (Session s : sessions.values()) {
            if (s.id.startsWith(idOrPrefix)) {
                if (found != null) {
                    return null;
                }
                found = s;
            }
        }
        return found == null ? null : view(found);
    }

    int sessionCount() {
        return sessions.size();
    }

    long uploadingCount() {
        return sessions.values().stream().filter(s -> s.completeCount() < s.units.size()).count();
    }

    long queryCount() {
        return queries.get();
    }

    long failedQueryCount() {
        return failedQueries.get();
    }

    long replanCount() {
        return replans.get();
    }

    int modelCount() {
        return layouts.size();
    }

    static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() != null ? r.getMessage() : r.getClass().getSimpleName();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        for (Session s : sessions.values()) {
            persistQuietly(s);
        }
        profiler.shutdownNow();
        builder.shutdownNow();
    }
}
