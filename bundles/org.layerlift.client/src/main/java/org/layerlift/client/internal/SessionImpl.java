package org.layerlift.client.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.client.ClientException;
import org.layerlift.client.OffloadOptions;
import org.layerlift.client.OffloadSession;
import org.layerlift.client.Prediction;
import org.layerlift.client.QueryResult;
import org.layerlift.client.SessionEvent;
import org.layerlift.client.SessionListener;
import org.layerlift.client.SessionProgress;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.Part;
import org.layerlift.model.surgery.Side;
import org.layerlift.model.units.GraphUnit;
import org.layerlift.protocol.Envelope;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;
import org.layerlift.protocol.TensorCodec;
import org.layerlift.simulator.PartitionTiming;
import org.layerlift.simulator.QueryRecord;
import org.layerlift.simulator.SimulationOptions;
import org.layerlift.simulator.SimulationResult;
import org.layerlift.simulator.Simulator;

/**
 * One offloading session: the manifest and its plan, the background upload in plan order (a window of chunks across
 * unit boundaries, paused while a query's activations are being sent, resumed from the gateway's 'have' after every
 * disconnect, following every new plan), the measured uplink rate (reported when it drifts), and the queries.
 */
final class SessionImpl implements OffloadSession {

    /** chunks in flight at once */
    static final int WINDOW = 8;
    /** how often the warmer looks again while no route is worth building yet */
    static final long WARM_RECHECK_MS = 250;
    /** a chunk is about this much link time at the estimated rate (what a query's activations may wait behind) */
    static final double CHUNK_LINK_MS = 15;
    static final int MIN_CHUNK = 32 * 1024;
    /** chunks handed to the connection and not yet acknowledged by the broker: what a query's activations queue behind */
    static final int ON_THE_WIRE = 2;
    static final long MANIFEST_TIMEOUT_MS = 300_000;
    /** how long a 'have' waits before it is asked again (it only reads the gateway's state: cheap to repeat) */
    static final long HAVE_TIMEOUT_MS = 3_000;
    static final long PROGRESS_EVERY_NS = 100_000_000L;
    /** bad_chunk answers (a unit another client uploads in another chunk size) resumed from before failing */
    static final int MAX_BAD_CHUNK_RESUMES = 64;

    private final GatewayClient client;
    private final OffloadOptions options;
    private final ClientModel model;
    private final LocalParts local;
    /** the clock's zero: when the upload starts, right after the first plan (the prediction's t = 0) */
    private volatile long t0 = System.nanoTime();
    private final Object lock = new Object();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, UnitState> units = new HashMap<>();

    // guarded by lock
    private volatile Messages.Plan plan;
    private Messages.Plan firstPlan;
    private volatile Router router;
    private BitSet ready = new BitSet();
    /** Partitions told ready for a plan newer than the one in force (guarded by lock). */
    private final EarlyReady earlyReady = new EarlyReady();
    private int hopsWriting;
    /** per partition of the first plan, what building its route's client parts would take when it came */
    private double[] firstPlanBuildMs = new double[0];
    /** per partition of the plan in force, the gateway's time to make it ready once its bytes are there */
    private double[] planLoadsMs = new double[0];
    private boolean needResume;
    private boolean needReopen;
    private volatile boolean failed;

    private volatile String sessionId;
    private volatile boolean stopped;
    private volatile double uploadDoneMs = -1;
    private final AtomicLong bytesUploaded = new AtomicLong();
    private final AtomicLong bytesSkipped = new AtomicLong();
    private final AtomicLong chunksSent = new AtomicLong();
    private final AtomicLong chunksResent = new AtomicLong();
    private final AtomicLong chunksAlreadyHeld = new AtomicLong();
    /** a hop without an answer on a connection that looks up: local queries until the gateway is heard again */
    private final HopSuspicion suspicion = new HopSuspicion();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong offloaded = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();
    private final AtomicLong badChunkResumes = new AtomicLong();
    private volatile int replans;
    private volatile int bandwidthReports;
    private final RateMeter rate = new RateMeter();
    /** chunks between the client and the broker (two: the link never idles for the broker's acknowledgement) */
    private final java.util.concurrent.Semaphore onTheWire = new java.util.concurrent.Semaphore(ON_THE_WIRE);
    /** whether a measured rate is reported (a drift that lasts); used by the uploader thread only */
    private final DriftGate drift = new DriftGate();
    private long lastProgressNs;
    private Thread uploader;
    private final java.util.concurrent.ExecutorService warmer = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "layerlift-warm");
                t.setDaemon(true);
                t.setPriority(Thread.MIN_PRIORITY);
                return t;
            });
    /** warmer tasks queued or running: {@link #rewarm} queues one only when none is */
    private final java.util.concurrent.atomic.AtomicInteger warmTasks =
            new java.util.concurrent.atomic.AtomicInteger();

    private SessionImpl(GatewayClient client, OffloadOptions options, ClientModel model, LocalParts local) {
        this.client = client;
        this.options = options;
        this.model = model;
        this.local = local;
    }

    static SessionImpl open(GatewayClient client, OffloadOptions options) throws ClientException {
        ClientModel model = ClientModel.load(options.model(), options.granularity());
        LocalParts local = null;
        SessionImpl s = null;
        try {
            local = new LocalParts(model, options.device(), options.intraOpThreads());
            // the routes a first query can take are built before open returns: no query pays for building them
            local.warm(model.cut(List.of()));
            s = new SessionImpl(client, options, model, local);
            s.sendManifest();
            s.calibrate();
            boolean nothingToSend;
            synchronized (s.lock) {
                // the gateway may hold chunks of partial units from an earlier run (a session closed, failed or
                // killed mid-upload): ask 'have' before the first chunk, so none of them is sent again
                nothingToSend = s.bytesLeft() == 0;
                s.needResume = !nothingToSend;
            }
            if (nothingToSend) {
                s.awaitHeldReady();
            }
            s.warmReady();
            s.uploader = new Thread(s::uploadLoop, "layerlift-upload-" + s.sessionId);
            s.uploader.setDaemon(true);
            // the clock's zero: the upload starts now (the prediction's t = 0)
            s.t0 = System.nanoTime();
            s.uploader.start();
            return s;
        } catch (ClientException | RuntimeException | OrtException | InterruptedException e) {
            if (s != null) {
                s.stop();
                if (s.sessionId != null) {
                    client.unregister(s.sessionId, s);
                }
            } else {
                if (local != null) {
                    local.close();
                }
                closeQuietly(model);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new ClientException("closed", "interrupted while opening the session");
            }
            if (e instanceof OrtException) {
                throw new ClientException("bad_model", "the model does not build in ONNX Runtime: " + e.getMessage(),
                        e);
            }
            if (e instanceof ClientException c) {
                throw c;
            }
            throw (RuntimeException) e;
        }
    }

    private static void closeQuietly(ClientModel m) {
        try {
            m.close();
        } catch (IOException e) {
            // nothing to keep
        }
    }

    double nowMs() {
        return (System.nanoTime() - t0) / 1e6;
    }

    // ---- manifest and plans ----

    private byte[] manifest(double bandwidthMbps) {
        double[] clientMs = local.clientMs();
        List<Messages.ManifestUnit> mu = new ArrayList<>();
        for (int u = 0; u < model.units.size(); u++) {
            GraphUnit g = model.units.get(u);
            mu.add(new Messages.ManifestUnit(g.name(), model.layout.bytes(u), model.addresses.get(u), clientMs[u]));
        }
        Map<String, List<Long>> inputs = new LinkedHashMap<>();
        model.shapes.inputShapes().forEach((k, v) -> inputs.put(k, Arrays.stream(v).boxed().toList()));
        Messages.Manifest m = new Messages.Manifest(model.name, model.granularity, inputs, bandwidthMbps,
                options.strategy(), local.clientOnlyMs(), mu);
        return Envelope.encode(Json.write(m), model.graphBytes);
    }

    private void sendManifest() throws ClientException, InterruptedException {
        double bw;
        synchronized (lock) {
            bw = plan == null ? options.bandwidth().mbps() : plan.bandwidthMbps();
        }
        byte[] reply = GatewayClient.await(client.request(ProtocolTopics.MANIFEST, manifest(bw), 1,
                MANIFEST_TIMEOUT_MS, null));
        Messages.Plan p = read(reply, Messages.Plan.class, "plan");
        if (p.units() == null || p.units().size() != model.units.size() || p.partitions() == null) {
            throw new ClientException("malformed", "the gateway's plan lists " + (p.units() == null ? 0
                    : p.units().size()) + " units, the model has " + model.units.size());
        }
        String old = sessionId;
        sessionId = p.session();
        if (old != null && !old.equals(p.session())) {
            client.unregister(old, this);
        }
        client.register(p.session(), this);
        adopt(p, firstPlan == null ? null : "reopened");
    }

    /** Takes a plan (newer than the one in force, or the first). */
    private void adopt(Messages.Plan p, String reason) {
        boolean taken = false;
        synchronized (lock) {
            boolean newer = plan == null || !p.session().equals(plan.session()) || p.planVersion() > plan.planVersion();
            if (newer) {
                if (firstPlan == null) {
                    firstPlan = p;
                    // what building each route's client parts takes, as the builds so far say (the prediction's)
                    firstPlanBuildMs = new double[p.partitions().size()];
                    for (int j = 0; j < firstPlanBuildMs.length; j++) {
                        firstPlanBuildMs[j] = p.partitions().get(j).segments().isEmpty() ? 0
                                : local.buildEstimateMs(model.cut(segments(p.partitions().get(j))));
                    }
                    // what the gateway held when we came: never ours to upload
                    for (Messages.PlanUnit u : p.units()) {
                        String a = model.addresses.get(u.index());
                        if (u.held() && a != null) {
                            UnitState st = state(a, model.layout.bytes(u.index()));
                            st.complete = true;
                            skipped(st);
                        }
                    }
                } else {
                    replans++;
                }
                boolean sameSession = plan == null || p.session().equals(plan.session());
                plan = p;
                router = new Router(p, local.clientMs(), local.clientOnlyMs(),
                        hopOverhead(p, roundTrips.medianMs()));
                planLoadsMs = partitionLoadsMs(p, local.clientMs());
                ready = new BitSet();
                for (Messages.PlanPartition part : p.partitions()) {
                    if (part.ready()) {
                        ready.set(part.index());
                    }
                }
                ready.or(earlyReady.take(p.planVersion(), p.partitions().size(), sameSession));
                taken = true;
                lock.notifyAll();
            }
        }
        if (taken) {
            warm(p);
        }
        if (taken && reason != null) {
            fire(SessionEvent.REPLAN, -1, reason + ": plan " + p.planVersion() + " by " + p.strategy());
        }
        checkDone();
    }

    /**
     * Builds, on a background thread, the local parts' sessions of the plan's routes, the one that saves the most
     * query time first ({@link WarmOrder}), so that queries seldom pay for building them: until a route's parts are
     * built, a query prices the route with its build. Runs until every route worth building is built, the plan is
     * replaced or the session stops.
     */
    private void warm(Messages.Plan p) {
        warmTasks.incrementAndGet();
        try {
            warmer.execute(() -> {
                try {
                    warmLoop(p);
                } finally {
                    warmTasks.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            warmTasks.decrementAndGet(); // the session stopped
        }
    }

    /**
     * The hop overhead fell (a probe): a route that did not pay may pay now, and the warmer, which ended when no build
     * was worth it, looks again. Not while holding the lock.
     */
    private void rewarm() {
        Messages.Plan p;
        synchronized (lock) {
            p = plan;
        }
        if (p != null && !stopped && warmTasks.get() == 0) {
            warm(p);
        }
    }

    private void warmLoop(Messages.Plan p) {
        try {
            local.warm(model.cut(List.of()));
        } catch (OrtException | RuntimeException e) {
            // the whole model ran at open; nothing else to do here
        }
        while (!stopped) {
            CutPlan next = null;
            synchronized (lock) {
                if (plan != p) {
                    return;
                }
                int n = p.partitions().size();
                double bytesPerMs = estimateMbps() * 125_000 / 1000;
                double[] latency = routeLatencies(router, p, bytesPerMs, uploading());
                double[] build = new double[n];
                CutPlan[] cuts = new CutPlan[n];
                double bestNow = router.localMs();
                boolean left = false;
                for (int j = 0; j < n; j++) {
                    if (p.partitions().get(j).segments().isEmpty()) {
                        continue;
                    }
                    cuts[j] = model.cut(segments(p.partitions().get(j)));
                    build[j] = local.buildEstimateMs(cuts[j]);
                    if (ready.get(j) && build[j] == 0) {
                        bestNow = Math.min(bestNow, latency[j]);
                    }
                    left |= build[j] > 0 && Double.isFinite(build[j]);
                }
                int j = left ? WarmOrder.next(latency, etas(), build, bestNow) : -1;
                if (j >= 0) {
                    next = cuts[j];
                } else if (!left || !uploading()) {
                    return; // every route worth it is built; after the upload only a lower hop overhead (rewarm)
                    // changes that
                } else {
                    try {
                        lock.wait(WARM_RECHECK_MS); // until a partition is ready, or the estimates move
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            if (next != null) {
                try {
                    local.warm(next);
                } catch (OrtException | RuntimeException e) {
                    local.failedToBuild(next); // that route is not taken; the others still are
                }
            }
        }
    }

    /** Builds the local parts of the routes through the partitions ready now, on the caller's thread. */
    private void warmReady() throws ClientException {
        Messages.Plan p = plan;
        try {
            for (Messages.PlanPartition part : p.partitions()) {
                if (part.ready()) {
                    local.warm(model.cut(segments(part)));
                }
            }
        } catch (OrtException e) {
            throw new ClientException("bad_model", "a part of the model does not build in ONNX Runtime: "
                    + e.getMessage(), e);
        }
    }

    void onEvent(Messages.Event e) {
        if (stopped || !e.session().equals(sessionId)) {
            return;
        }
        switch (e.type()) {
            case Messages.Event.PARTITION_READY -> {
                boolean set = false;
                synchronized (lock) {
                    if (plan != null && e.planVersion() == plan.planVersion() && e.partition() != null
                            && e.partition() >= 0 && e.partition() < plan.partitions().size()
                            && !ready.get(e.partition())) {
                        ready.set(e.partition());
                        set = true;
                        lock.notifyAll();
                    } else if (plan != null && e.partition() != null) {
                        earlyReady.told(e.planVersion(), e.partition(), plan.planVersion()); // its plan is on its way
                    }
                }
                if (set) {
                    fire(SessionEvent.PARTITION_READY, e.partition(), null);
                    checkDone();
                }
            }
            case Messages.Event.REPLAN -> {
                if (e.plan() != null && e.plan().units() != null && e.plan().units().size() == model.units.size()) {
                    adopt(e.plan(), e.reason() == null ? "replan" : e.reason());
                }
            }
            case Messages.Event.SESSION_EXPIRED -> {
                synchronized (lock) {
                    needReopen = true;
                    ready.clear();
                    lock.notifyAll();
                }
                fire(SessionEvent.SESSION_EXPIRED, -1, e.reason());
            }
            default -> {
                // a newer gateway's event
            }
        }
    }

    void onDisconnected() {
        rate.stalled(); // the silence before a lost connection is not link time
        synchronized (lock) {
            needResume = true;
            // the gateway may be restarting: nothing is known to be ready until it says so again
            ready.clear();
            lock.notifyAll();
        }
        fire(SessionEvent.DISCONNECTED, -1, "the connection to the gateway was lost; queries run locally");
    }

    /** Something arrived from the gateway (any message): the link works. */
    void heard() {
        suspicion.heard();
        rate.heard(); // after a silence, what was in flight waited on a dead link (acknowledgements come every chunk)
    }

    void onReconnected() {
        synchronized (lock) {
            needResume = true;
            lock.notifyAll();
        }
        fire(SessionEvent.RECONNECTED, -1, null);
    }

    private void checkDone() {
        boolean done = false;
        synchronized (lock) {
            if (uploadDoneMs < 0 && plan != null) {
                boolean all = true;
                for (Messages.PlanPartition p : plan.partitions()) {
                    if (!ready.get(p.index())) {
                        all = false;
                        break;
                    }
                }
                if (all) {
                    uploadDoneMs = nowMs();
                    done = true;
                    lock.notifyAll();
                }
            }
        }
        if (done) {
            fire(SessionEvent.UPLOAD_DONE, -1, null);
        }
    }

    /** A gateway message the client cannot read is the gateway's fault: {@code malformed}. */
    static <T> T read(byte[] json, Class<T> type, String what) throws ClientException {
        try {
            return Json.read(json, type, what);
        } catch (org.layerlift.protocol.ProtocolException | RuntimeException e) {
            throw new ClientException("malformed", "the gateway's " + what + " does not parse: " + e.getMessage());
        }
    }

    // ---- upload ----

    /** What the client knows of one unit on the gateway (by address: identical units share it). */
    private static final class UnitState {
        final long size;
        int chunkBytes;
        final BitSet acked = new BitSet();
        final BitSet everAcked = new BitSet();
        final BitSet inFlight = new BitSet();
        boolean complete;
        boolean counted;

        UnitState(long size) {
            this.size = size;
        }

        int count() {
            return (int) ((size + chunkBytes - 1) / chunkBytes);
        }
    }

    private record Chunk(int unit, String address, UnitState state, int index, byte[] message, int length) {}

    private record Sent(Chunk chunk, CompletableFuture<byte[]> reply) {}

    private UnitState state(String address, long size) {
        return units.computeIfAbsent(address, a -> new UnitState(size));
    }

    private void uploadLoop() {
        Deque<Sent> window = new ArrayDeque<>();
        Map<Integer, byte[]> unitBytes = new LinkedHashMap<>(4, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> e) {
                return size() > 2;
            }
        };
        long lastHave = 0;
        while (!stopped && !failed) {
            try {
                if (!client.isConnected()) {
                    drainFailed(window);
                    waitLock(500);
                    continue;
                }
                boolean reopen;
                boolean resume;
                synchronized (lock) {
                    reopen = needReopen;
                    resume = needResume;
                    needReopen = false;
                    needResume = false;
                }
                if (reopen) {
                    drainFailed(window);
                    sendManifest();
                    fire(SessionEvent.RESUMED, -1, "session opened again");
                    continue;
                }
                if (resume) {
                    drainFailed(window);
                    resume();
                    continue;
                }
                while (window.size() < WINDOW && !stopped) {
                    Chunk c = nextChunk(unitBytes);
                    if (c == null) {
                        break;
                    }
                    awaitNoHop();
                    window.addLast(send(c));
                }
                if (!window.isEmpty()) {
                    handle(window.removeFirst());
                    maybeReportBandwidth();
                    continue;
                }
                // everything sent: wait for the partitions to get ready (and poll, events may have been missed)
                if (uploadDoneMs < 0 && System.nanoTime() - lastHave > 1_000_000_000L) {
                    lastHave = System.nanoTime();
                    resume();
                }
                waitLock(200);
            } catch (ClientException e) {
                handleFailure(e, window);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                fail("upload stopped: " + e);
                return;
            }
        }
    }

    private void handleFailure(ClientException e, Deque<Sent> window) {
        switch (e.code()) {
            case "disconnected", "timeout", "closed" -> {
                synchronized (lock) {
                    needResume = true;
                }
                drainFailed(window);
                sleepQuietly(200);
            }
            case "unknown_session" -> {
                synchronized (lock) {
                    needReopen = true;
                }
                drainFailed(window);
            }
            case "overloaded" -> {
                drainFailed(window);
                sleepQuietly(200);
            }
            case "bad_chunk" -> {
                // another client uploads the same unit in another chunk size (the gateway keeps the first one's):
                // learn its sizes ('have') and go on; a bad chunk again and again is a fault of ours
                drainFailed(window);
                if (badChunkResumes.incrementAndGet() <= MAX_BAD_CHUNK_RESUMES) {
                    synchronized (lock) {
                        needResume = true;
                    }
                } else {
                    fail(e.code() + ": " + e.getMessage());
                }
            }
            default -> {
                drainFailed(window);
                fail(e.code() + ": " + e.getMessage());
            }
        }
    }

    private void fail(String why) {
        synchronized (lock) {
            failed = true;
            lock.notifyAll();
        }
        // the upload thread ends (its caller returns); queries go on with what is ready
        fire(SessionEvent.UPLOAD_FAILED, -1, why);
    }

    private void drainFailed(Deque<Sent> window) {
        for (Sent s : window) {
            synchronized (lock) {
                s.chunk.state.inFlight.clear(s.chunk.index);
            }
            s.reply.cancel(false);
        }
        window.clear();
    }

    private void waitLock(long ms) throws InterruptedException {
        synchronized (lock) {
            if (!needResume && !needReopen && !stopped) {
                lock.wait(ms);
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first chunk in plan order the gateway does not hold and that is not in flight; null when none. */
    private Chunk nextChunk(Map<Integer, byte[]> cache) throws IOException {
        int unit = -1;
        String address = null;
        UnitState st = null;
        int index = -1;
        synchronized (lock) {
            search:
            for (Messages.PlanPartition p : plan.partitions()) {
                for (int u : p.units()) {
                    Messages.PlanUnit pu = plan.units().get(u);
                    String a = model.addresses.get(u);
                    if (a == null) {
                        continue;
                    }
                    UnitState s = state(a, model.layout.bytes(u));
                    if (s.complete) {
                        continue;
                    }
                    if (pu.held()) {
                        s.complete = true;
                        skipped(s);
                        continue;
                    }
                    if (s.chunkBytes == 0) {
                        s.chunkBytes = chunkSize();
                    }
                    for (int i = 0; i < s.count(); i++) {
                        if (!s.acked.get(i) && !s.inFlight.get(i)) {
                            unit = u;
                            address = a;
                            st = s;
                            index = i;
                            s.inFlight.set(i);
                            break search;
                        }
                    }
                }
            }
        }
        if (st == null) {
            return null;
        }
        byte[] bytes = cache.get(unit);
        if (bytes == null) {
            bytes = model.unitBytes(unit);
            cache.put(unit, bytes);
        }
        int from = index * st.chunkBytes;
        int to = (int) Math.min(st.size, (long) from + st.chunkBytes);
        ByteBuffer body = ByteBuffer.wrap(bytes, from, to - from).slice();
        byte[] header = Json.write(new Messages.ChunkHeader(sessionId, address, index, st.size, st.chunkBytes,
                sha256(body)));
        return new Chunk(unit, address, st, index, Envelope.encode(header, body), to - from);
    }

    private void skipped(UnitState s) {
        if (!s.counted) {
            s.counted = true;
            bytesSkipped.addAndGet(s.size);
        }
    }

    /** A chunk of about {@link #CHUNK_LINK_MS} on the link at the estimated rate, within [32 KiB, the plan's]. */
    private int chunkSize() {
        return chunkSize(plan, estimateMbps());
    }

    static int chunkSize(Messages.Plan plan, double mbps) {
        double bytesPerSecond = mbps * 125_000;
        long c = (long) (bytesPerSecond * CHUNK_LINK_MS / 1000);
        c = Math.max(MIN_CHUNK, Math.min(plan.chunkBytes(), c));
        return (int) (c / 4096 * 4096);
    }

    private double estimateMbps() {
        double m = rate.mbps();
        if (m > 0) {
            return m;
        }
        synchronized (lock) {
            return plan == null ? options.bandwidth().mbps() : plan.bandwidthMbps();
        }
    }

    private static String sha256(ByteBuffer b) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(b.duplicate());
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a chunk once all but one of those before it have left the client (the broker acknowledged them): the
     * client's own send queue holds at most {@link #ON_THE_WIRE} chunks of {@link #CHUNK_LINK_MS} each, so a query's
     * activations wait behind those at most, never behind a whole window.
     * Chunks still pipeline: up to {@link #WINDOW} wait for the gateway's acknowledgement.
     */
    private Sent send(Chunk c) throws InterruptedException {
        if (!onTheWire.tryAcquire(client.options().requestTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            // a publish never acknowledged by the broker: the connection is dead, Paho will say so
            onTheWire.release();
        }
        if (c.state.everAcked.get(c.index)) {
            chunksResent.incrementAndGet();
        }
        chunksSent.incrementAndGet();
        // the link's rate is timed up to the broker's acknowledgement (the bytes crossed the uplink), not up to the
        // gateway's: a gateway slow to store or answer is not a slow link, and re-planning for it would be wrong
        rate.begin();
        long bytes = c.message.length;
        java.util.concurrent.atomic.AtomicBoolean left = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.function.Consumer<Boolean> leave = through -> {
            if (left.compareAndSet(false, true)) {
                onTheWire.release();
                rate.end(through ? bytes : 0);
            }
        };
        CompletableFuture<byte[]> reply = client.request(ProtocolTopics.CHUNK, c.message, 1,
                client.options().requestTimeout().toMillis(), new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken t) {
                        leave.accept(true);
                    }

                    @Override
                    public void onFailure(IMqttToken t, Throwable e) {
                        leave.accept(false);
                    }
                });
        reply.whenComplete((r, e) -> leave.accept(false));
        return new Sent(c, reply);
    }

    private void handle(Sent s) throws ClientException, InterruptedException {
        byte[] reply;
        for (int retry = 0; ; retry++) {
            try {
                reply = GatewayClient.await(s.reply);
                break;
            } catch (ClientException e) {
                if (!e.code().equals("overloaded") || retry >= 50) {
                    synchronized (lock) {
                        s.chunk.state.inFlight.clear(s.chunk.index);
                    }
                    throw e;
                }
                Thread.sleep(50L + 20L * retry);
                s = send(s.chunk);
            }
        }
        Messages.ChunkAck ack = read(reply, Messages.ChunkAck.class, "chunk acknowledgement");
        synchronized (lock) {
            UnitState st = s.chunk.state;
            st.inFlight.clear(s.chunk.index);
            st.acked.set(s.chunk.index);
            st.everAcked.set(s.chunk.index);
            if (ack.unitComplete()) {
                st.complete = true;
                st.counted = true;
            }
        }
        if (!ack.duplicate()) {
            bytesUploaded.addAndGet(s.chunk.length);
        } else {
            chunksAlreadyHeld.incrementAndGet();
        }
        long now = System.nanoTime();
        if (now - lastProgressNs > PROGRESS_EVERY_NS || ack.unitComplete()) {
            lastProgressNs = now;
            fire(SessionEvent.PROGRESS, -1, null);
        }
    }

    /** Learns what the gateway holds and which partitions are ready (after a reconnect, and while waiting). */
    /** The median of the round trips timed at open (ms): the prediction's hop overhead. */
    private volatile double openRoundTripMs;
    /** The round trips the router's hop overhead follows (guarded by lock). */
    private final RoundTrips roundTrips = new RoundTrips();
    static final int CALIBRATION_REQUESTS = RoundTrips.KEPT;

    /**
     * Times {@value #CALIBRATION_REQUESTS} small {@code have} requests (client, broker, gateway and back) and keeps
     * the median as what a hop costs beyond its transfers and its server time; the router and the prediction add it
     * to every hop. The plan in force gets a router with it.
     */
    private void calibrate() throws ClientException, InterruptedException {
        for (int i = 0; i < CALIBRATION_REQUESTS; i++) {
            long t = System.nanoTime();
            byte[] reply = GatewayClient.await(have(sessionId, client.options().requestTimeout().toMillis()));
            synchronized (lock) {
                roundTrips.add((System.nanoTime() - t) / 1e6);
            }
            learnReady(read(reply, Messages.HaveReply.class, "have reply"));
        }
        synchronized (lock) {
            openRoundTripMs = roundTrips.medianMs();
            if (plan != null) {
                router = new Router(plan, local.clientMs(), local.clientOnlyMs(), hopOverhead(plan,
                        roundTrips.medianMs()));
            }
        }
    }

    /** Asks the gateway what it holds of {@code session} and which partitions are ready. */
    private CompletableFuture<byte[]> have(String session, long timeoutMs) {
        return client.request(ProtocolTopics.HAVE, Json.write(new Messages.HaveRequest(session)), 1, timeoutMs, null);
    }

    /** Longest an open with nothing to upload waits for a partition of held units to be ready (ms). */
    static final long HELD_READY_WAIT_MS = 2000;

    /**
     * The gateway holds every unit of the plan, but builds the partitions' segments only now: wait (asking
     * {@code have} every 20 ms) until one is ready, for at most the local latency and {@link #HELD_READY_WAIT_MS}, so
     * that the first query can take it instead of running locally. A ready notice sent before the plan's answer
     * reached us is not seen otherwise until the upload loop asks.
     */
    private void awaitHeldReady() throws ClientException, InterruptedException {
        long deadline = System.nanoTime() + (long) (Math.min(HELD_READY_WAIT_MS, router.localMs()) * 1e6);
        while (System.nanoTime() < deadline) {
            synchronized (lock) {
                if (!ready.isEmpty() || plan.partitions().isEmpty()) {
                    return;
                }
            }
            byte[] reply = GatewayClient.await(have(sessionId, client.options().requestTimeout().toMillis()));
            if (learnReady(read(reply, Messages.HaveReply.class, "have reply"))) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** Takes the ready partitions a {@code have} answer lists for the plan in force; true when one was new. */
    private boolean learnReady(Messages.HaveReply have) {
        List<Integer> fresh;
        synchronized (lock) {
            fresh = takeReady(have);
        }
        for (int p : fresh) {
            fire(SessionEvent.PARTITION_READY, p, null);
        }
        if (!fresh.isEmpty()) {
            checkDone();
        }
        return !fresh.isEmpty();
    }

    /** The partitions a {@code have} answer for the plan in force lists ready that were not (guarded by lock). */
    private List<Integer> takeReady(Messages.HaveReply have) {
        List<Integer> fresh = new ArrayList<>();
        if (plan == null || have.planVersion() != plan.planVersion() || have.readyPartitions() == null) {
            return fresh;
        }
        for (int p : have.readyPartitions()) {
            if (p >= 0 && p < plan.partitions().size() && !ready.get(p)) {
                ready.set(p);
                fresh.add(p);
            }
        }
        if (!fresh.isEmpty()) {
            lock.notifyAll();
        }
        return fresh;
    }

    /**
     * Times one more round trip in the background (a query ran locally while a route was ready: the overhead may be
     * stale, see {@link RoundTrips}); the router follows the median when it moves.
     */
    private void probeRoundTrip() {
        long t = System.nanoTime();
        have(sessionId, client.options().requestTimeout().toMillis()).whenComplete((reply, failure) -> {
                    double ms = failure == null ? (System.nanoTime() - t) / 1e6 : Double.NaN;
                    boolean fell = false;
                    synchronized (lock) {
                        roundTrips.probed(ms);
                        double now = roundTrips.medianMs();
                        double was = router == null ? now : router.overhead().fixedMs();
                        if (plan != null && Math.abs(now - was) > 1 + 0.1 * was) {
                            router = new Router(plan, local.clientMs(), local.clientOnlyMs(), hopOverhead(plan, now));
                            fell = now < was;
                        }
                    }
                    if (fell) {
                        rewarm();
                    }
                    if (reply != null) {
                        try {
                            learnReady(read(reply, Messages.HaveReply.class, "have reply"));
                        } catch (ClientException e) {
                            // a reply we cannot read teaches nothing; the upload loop asks again
                        }
                    }
                });
    }

    /**
     * A hop's overhead under this plan: the message round trip, and while the upload sends, the input's wait
     * behind the chunks on the wire: the rest of the one being written (half of one on average) and the others
     * queued, {@link #ON_THE_WIRE} - 1/2 chunks of the link time a chunk takes at the plan's rate.
     */
    private Router.HopOverhead hopOverhead(Messages.Plan p, double roundTripMs) {
        double bytesPerMs = p.bandwidthMbps() * 125_000 / 1000;
        double chunkMs = chunkSize(p, p.bandwidthMbps()) / bytesPerMs;
        return new Router.HopOverhead(roundTripMs, (ON_THE_WIRE - 0.5) * chunkMs);
    }

    private boolean uploading() {
        return uploadDoneMs < 0 && !failed;
    }

    private void resume() throws ClientException, InterruptedException {
        String id = sessionId;
        // short, and asked again on timeout: right after a reconnect the gateway may not listen yet (a gateway
        // restarting brings up its broker before its sessions), and a request it never saw is lost, not late
        byte[] reply = GatewayClient.await(have(id, Math.min(HAVE_TIMEOUT_MS,
                client.options().requestTimeout().toMillis())));
        Messages.HaveReply have = read(reply, Messages.HaveReply.class, "have reply");
        boolean stale;
        synchronized (lock) {
            for (Messages.UnitHolding h : have.units() == null ? List.<Messages.UnitHolding>of() : have.units()) {
                UnitState st = units.get(h.unit());
                if (st == null) {
                    int u = h.unit() == null ? -1 : model.addresses.indexOf(h.unit());
                    if (u < 0) {
                        continue;
                    }
                    // not looked at yet (the first 'have' of a session): what the gateway holds decides
                    st = state(h.unit(), model.layout.bytes(u));
                }
                if (h.complete()) {
                    if (!st.complete) {
                        st.complete = true;
                        if (st.everAcked.isEmpty()) {
                            skipped(st);
                        }
                    }
                    continue;
                }
                st.complete = false;
                st.acked.clear();
                if (h.chunkBytes() > 0 && h.chunkBytes() != st.chunkBytes) {
                    // the gateway keeps this unit's partial upload in its own chunk size
                    st.chunkBytes = h.chunkBytes();
                    st.everAcked.clear();
                }
                if (h.chunks() != null) {
                    h.chunks().forEach(st.acked::set);
                }
            }
            stale = plan == null || have.planVersion() != plan.planVersion();
            takeReady(have);
            if (!stale) {
                lock.notifyAll(); // the units' state changed too
            }
        }
        if (stale) {
            // a plan was made while we were away: the same manifest answers with it
            sendManifest();
        }
        fire(SessionEvent.RESUMED, -1, null);
        checkDone();
    }

    private void maybeReportBandwidth() throws ClientException, InterruptedException {
        double measured = rate.mbps();
        double planned;
        synchronized (lock) {
            planned = plan.bandwidthMbps();
        }
        if (!drift.shouldReport(measured, planned, System.nanoTime())) {
            return;
        }
        byte[] reply = GatewayClient.await(client.request(ProtocolTopics.BANDWIDTH,
                Json.write(new Messages.BandwidthReport(sessionId, Math.min(1e6, measured))), 1,
                client.options().requestTimeout().toMillis(), null));
        bandwidthReports++;
        fire(SessionEvent.BANDWIDTH_REPORTED, -1, String.format(java.util.Locale.ROOT,
                "measured %.1f Mbit/s, plan assumed %.1f", measured, planned));
        adopt(read(reply, Messages.Plan.class, "plan"), "bandwidth");
    }

    /**
     * {@code r} at most once, however many of its triggers fire, with whether the publish was written: true from Paho's
     * success callback only (for QoS 0, the bytes left the client), false from a failure or a hop that gave up
     * before it was written.
     */
    private static java.util.function.Consumer<Boolean> once(java.util.function.Consumer<Boolean> r) {
        AtomicBoolean done = new AtomicBoolean();
        return written -> {
            if (done.compareAndSet(false, true)) {
                r.accept(written);
            }
        };
    }

    /** Tells {@code r} whether a publish left the client (true) or failed to (false). */
    private static MqttActionListener whenWritten(java.util.function.Consumer<Boolean> r) {
        return new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken t) {
                r.accept(true);
            }

            @Override
            public void onFailure(IMqttToken t, Throwable e) {
                r.accept(false);
            }
        };
    }

    /** Activations first: no chunk is sent while a query's activations are being written (the rate meter pauses). */
    private void awaitNoHop() throws InterruptedException {
        synchronized (lock) {
            if (hopsWriting == 0) {
                return;
            }
            while (hopsWriting > 0 && !stopped && !needResume) {
                lock.wait(50);
            }
        }
    }

    // ---- queries ----

    @Override
    public List<TensorSpec> inputs() {
        return model.inputs;
    }

    private void check(List<TensorData> inputs) throws ClientException {
        Map<String, TensorData> given = new HashMap<>();
        for (TensorData t : inputs) {
            if (given.put(t.name(), t) != null) {
                throw new ClientException("bad_input", "input '" + t.name() + "' is given twice");
            }
        }
        for (TensorSpec s : model.inputs) {
            TensorData t = given.remove(s.name());
            if (t == null) {
                throw new ClientException("bad_input", "input '" + s.name() + "' is missing (the model's inputs: "
                        + describe(model.inputs) + ")");
            }
            if (!s.accepts(t)) {
                throw new ClientException("bad_input", "input '" + s.name() + "' has type " + t.elementType()
                        + " and shape " + Arrays.toString(t.shape()) + "; the model wants type " + s.elementType()
                        + " and shape " + Arrays.toString(s.shape()));
            }
        }
        if (!given.isEmpty()) {
            throw new ClientException("bad_input", "the model has no input " + given.keySet() + " (its inputs: "
                    + describe(model.inputs) + ")");
        }
    }

    private static String describe(List<TensorSpec> specs) {
        List<String> out = new ArrayList<>();
        for (TensorSpec s : specs) {
            out.add(s.name() + " " + Arrays.toString(s.shape()));
        }
        return String.join(", ", out);
    }

    @Override
    public QueryResult infer(List<TensorData> inputs) throws ClientException {
        check(inputs);
        double start = nowMs();
        long startNs = System.nanoTime();
        Router.Route route;
        Messages.Plan p;
        double[] excess;
        boolean probe;
        boolean mustBuild;
        synchronized (lock) {
            p = plan;
            excess = excesses(p);
            // a route whose client parts are not built is priced with their build (the warmer builds them in the
            // background; this query builds them first if it takes the route): a small part is worth building, a
            // large one (AlexNet's fc6 and fc7, seconds) is not
            double[] eta = etas();
            double[] build = new double[eta.length];
            // a ready route that builds, built or not: a query that runs locally although there is one times a
            // round trip (at most every 2 s), so that an overhead timed while the link or the gateway was slow
            // does not keep every query local, with no route built because none seemed to pay (RoundTrips)
            boolean anyReady = false;
            for (int j = 0; j < eta.length; j++) {
                build[j] = local.buildEstimateMs(model.cut(segments(p.partitions().get(j))));
                anyReady |= ready.get(j) && !p.partitions().get(j).segments().isEmpty() && Double.isFinite(build[j]);
            }
            route = router.choose(ready, eta, excess, build, estimateMbps() * 125_000 / 1000,
                    client.isConnected() && !needResume && !suspicion.suspect(System.nanoTime()), uploading());
            probe = route.local() && anyReady && client.isConnected() && roundTrips.startProbe(System.nanoTime());
            mustBuild = !route.local() && build[route.partition()] > 0;
        }
        if (probe) {
            probeRoundTrip();
        }
        List<Segment> segments = route.local() ? List.of() : segments(p.partitions().get(route.partition()));
        if (mustBuild) {
            try {
                local.warm(model.cut(segments)); // with the warmer, if it is building the same part
            } catch (OrtException | RuntimeException e) {
                local.failedToBuild(model.cut(segments)); // no later query tries it
                segments = List.of(); // that route does not build here: this query runs locally
                route = new Router.Route(-1, router.localMs(), 0);
            }
        }
        List<OnnxTensor> owned = new ArrayList<>();
        List<QueryResult.SegmentRun> runs = new ArrayList<>();
        String fallback = null;
        boolean remote = false;
        try {
            Map<String, OnnxTensorLike> values = local.feed(inputs, owned);
            if (local.clientOnlyMs() > 0) {
                LocalParts.Pacing.sleepUntil(System.nanoTime(), local.clientOnlyMs());
            }
            CutPlan cut = model.cut(segments);
            List<Part> parts = cut.parts();
            for (int i = 0; i < parts.size(); i++) {
                Part part = parts.get(i);
                if (part.isEmpty()) {
                    continue;
                }
                if (part.side() == Side.CLIENT) {
                    double ms = local.run(part, values, owned, true);
                    runs.add(new QueryResult.SegmentRun(part.units().first(), part.units().last(), "client", ms));
                    continue;
                }
                Segment g = part.units();
                String refused = awaitReady(route, p, startNs, excess);
                if (refused == null) {
                    long h0 = System.nanoTime();
                    double[] gatewayMs = new double[1];
                    refused = hop(p.session(), part, values, owned, g, gatewayMs);
                    if (refused == null) {
                        observeHop(g, (System.nanoTime() - h0) / 1e6);
                        remote = true;
                        runs.add(new QueryResult.SegmentRun(g.first(), g.last(), "gateway",
                                (System.nanoTime() - h0) / 1e6, gatewayMs[0]));
                        continue;
                    }
                }
                fallback = refused;
                runLocally(parts.subList(i, parts.size()), values, owned, runs);
                break;
            }
            List<TensorData> out = new ArrayList<>();
            for (String o : model.outputs) {
                OnnxTensorLike v = values.get(o);
                if (!(v instanceof OnnxTensor t)) {
                    throw new ClientException("bad_model", "output '" + o + "' was not computed");
                }
                out.add(Tensors.copy(o, t));
            }
            double latency = (System.nanoTime() - startNs) / 1e6;
            queries.incrementAndGet();
            if (remote) {
                offloaded.incrementAndGet();
            }
            if (fallback != null) {
                fallbacks.incrementAndGet();
                fire(SessionEvent.FALLBACK, route.partition(), fallback);
            }
            return new QueryResult(out, start, latency, remote || fallback == null ? route.partition() : -1,
                    p.planVersion(), runs, remote, fallback != null, fallback);
        } catch (OrtException | RuntimeException e) {
            if (stopped) {
                throw new ClientException("closed", "the session was closed during the query", e);
            }
            throw new ClientException("bad_input", "the query failed in ONNX Runtime: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("closed", "interrupted");
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    private static List<Segment> segments(Messages.PlanPartition part) {
        return part.segments().stream().map(g -> new Segment(g.first(), g.last())).toList();
    }

    /** Per partition of the plan in force, the estimated ms until it is ready (bytes left in plan order / rate). */
    /** Partitions of {@link #etaMissedPlan} that were not ready by their estimate (guarded by lock). */
    private final Set<Integer> etaMissed = new HashSet<>();
    private Messages.Plan etaMissedPlan;

    private double[] etas() {
        double[] eta = new double[plan.partitions().size()];
        if (failed) {
            Arrays.fill(eta, Double.POSITIVE_INFINITY);
            return eta;
        }
        double bytesPerMs = estimateMbps() * 125_000 / 1000;
        double left = 0;
        // the gateway builds one partition after the other: a partition is ready once its bytes are there and the
        // builds before it are done, and then its own new segments are built (the simulator's model of it)
        double[] loads = planLoadsMs;
        double previous = 0;
        Set<String> counted = new HashSet<>();
        for (int j = 0; j < eta.length; j++) {
            Messages.PlanPartition part = plan.partitions().get(j);
            for (int u : part.units()) {
                String a = model.addresses.get(u);
                if (a == null || !counted.add(a)) {
                    continue;
                }
                UnitState st = units.get(a);
                if (plan.units().get(u).held() || st != null && st.complete) {
                    continue;
                }
                long size = model.layout.bytes(u);
                long have = st == null || st.chunkBytes == 0 ? 0 : Math.min(size, (long) st.acked.cardinality()
                        * st.chunkBytes);
                left += size - have;
            }
            if (ready.get(j)) {
                eta[j] = 0;
                continue;
            }
            previous = Math.max(left / bytesPerMs, previous) + (j < loads.length ? loads[j] : 0);
            eta[j] = etaMissedPlan == plan && etaMissed.contains(j) ? Double.POSITIVE_INFINITY : previous;
        }
        return eta;
    }

    /** How much longer than the model each segment's hops took lately (ms), fading with a 1 s half-life. */
    private final Map<Segment, double[]> hopExcess = new HashMap<>();
    static final double EXCESS_HALF_LIFE_MS = 1000;

    private void observeHop(Segment g, double ms) {
        Messages.SegmentRef ref = new Messages.SegmentRef(g.first(), g.last());
        double model = router.hopMs(ref, estimateMbps() * 125_000 / 1000, uploading());
        double now = nowMs();
        synchronized (hopExcess) {
            double[] e = hopExcess.computeIfAbsent(g, k -> new double[] {0, now});
            double faded = e[0] * Math.pow(0.5, (now - e[1]) / EXCESS_HALF_LIFE_MS);
            // a slow hop counts at once; a fast one pulls the estimate down by half the difference
            double seen = ms - model;
            e[0] = seen > faded ? seen : faded + (seen - faded) / 2;
            e[1] = now;
        }
    }

    /** Per partition of {@code p}, the summed current excess of its segments. */
    private double[] excesses(Messages.Plan p) {
        double[] out = new double[p.partitions().size()];
        double now = nowMs();
        synchronized (hopExcess) {
            if (hopExcess.isEmpty()) {
                return out;
            }
            for (int j = 0; j < out.length; j++) {
                for (Messages.SegmentRef r : p.partitions().get(j).segments()) {
                    double[] e = hopExcess.get(new Segment(r.first(), r.last()));
                    if (e != null) {
                        out[j] += e[0] * Math.pow(0.5, (now - e[1]) / EXCESS_HALF_LIFE_MS);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Waits for a not-yet-ready partition as long as offloading still beats running locally; null when ready,
     * else why not.
     */
    private String awaitReady(Router.Route route, Messages.Plan p, long startNs, double[] excess)
            throws InterruptedException {
        // waiting longer than this would make the query slower than running it locally: run the rest here then
        double latest = router.latestHopStartMs(p.partitions().get(route.partition()).segments(),
                estimateMbps() * 125_000 / 1000, excess[route.partition()], uploading());
        long deadline = startNs + (long) (Math.max(0, latest) * 1e6);
        synchronized (lock) {
            while (true) {
                if (plan != p) {
                    // a new plan: its partitions are numbered anew; the segments' units decide (the hop says)
                    return null;
                }
                if (ready.get(route.partition())) {
                    return null;
                }
                if (needResume || failed || stopped) {
                    return "partition " + route.partition() + " is not ready and the gateway is unreachable";
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    // its estimate was wrong (a long build, a slow link): no later query waits for it again under
                    // this plan; they run locally (or on what is ready) until it is announced
                    if (etaMissedPlan != p) {
                        etaMissedPlan = p;
                        etaMissed.clear();
                    }
                    etaMissed.add(route.partition());
                    return "partition " + route.partition() + " was not ready by its estimate";
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** One server segment through the gateway; null on success (outputs in {@code values}), else why it failed. */
    private String hop(String session, Part part, Map<String, OnnxTensorLike> values, List<OnnxTensor> owned,
            Segment g, double[] gatewayMs) throws OrtException {
        List<TensorData> send = new ArrayList<>();
        for (String in : part.inputs()) {
            send.add(Tensors.view(in, (OnnxTensor) values.get(in)));
        }
        byte[] payload = Envelope.encode(Json.write(new Messages.QueryHeader(session, g.first(), g.last())),
                TensorCodec.encode(send));
        long timeout = hopTimeoutMs(g);
        // activations that never left (a dark link: the hop timed out still queued) are not link time: counted, three
        // hop timeouts of 1.5 s on a cut link read as 3 Mbit/s on a 20 Mbit/s link
        java.util.function.Consumer<Boolean> release = once(written -> {
            rate.end(written ? payload.length : 0);
            synchronized (lock) {
                hopsWriting--;
                lock.notifyAll();
            }
        });
        rate.begin();
        synchronized (lock) {
            hopsWriting++;
        }
        byte[] reply;
        try {
            reply = GatewayClient.await(client.request(ProtocolTopics.QUERY, payload, 0, timeout,
                    whenWritten(release)));
            release.accept(true); // answered: the activations got through, whichever callback comes first
        } catch (ClientException e) {
            if (e.code().equals("timeout")) {
                suspicion.timedOut(System.nanoTime(), timeout);
            }
            return "hop " + g + " failed: " + e.code() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            release.accept(false);
        }
        try {
            Envelope e = Envelope.decode(reply);
            gatewayMs[0] = Json.read(e.header(), Messages.QueryReply.class, "query reply").gatewayMs();
            List<TensorData> outs = TensorCodec.decode(e.body());
            Set<String> names = new HashSet<>();
            for (TensorData t : outs) {
                OnnxTensor c = Tensors.create(local.env(), t);
                owned.add(c);
                values.put(t.name(), c);
                names.add(t.name());
            }
            for (String o : part.outputs()) {
                if (!names.contains(o)) {
                    return "hop " + g + ": the gateway's answer lacks '" + o + "'";
                }
            }
            return null;
        } catch (RuntimeException | org.layerlift.protocol.ProtocolException e) {
            return "hop " + g + ": the gateway's answer does not decode: " + e.getMessage();
        }
    }

    private long hopTimeoutMs(Segment g) {
        if (options.hopTimeout() != null) {
            return Math.max(1, options.hopTimeout().toMillis());
        }
        return (long) Math.max(1000, 2 * local.clientMs(g.first(), model.units.size() - 1));
    }

    /**
     * After a failed hop: the rest of the query on the client, from what is computed so far — the refused segment
     * and everything after it, each part run here (the client holds every weight).
     */
    private void runLocally(List<Part> rest, Map<String, OnnxTensorLike> values, List<OnnxTensor> owned,
            List<QueryResult.SegmentRun> runs) throws OrtException, InterruptedException {
        for (Part part : rest) {
            if (part.isEmpty()) {
                continue;
            }
            double ms = local.run(part, values, owned, true);
            runs.add(new QueryResult.SegmentRun(part.units().first(), part.units().last(), "client", ms));
        }
    }

    @Override
    public List<TensorData> reference(List<TensorData> inputs) throws ClientException {
        check(inputs);
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensorLike> values = local.feed(inputs, owned);
            for (Part part : model.cut(List.of()).parts()) {
                if (!part.isEmpty()) {
                    local.run(part, values, owned, false);
                }
            }
            List<TensorData> out = new ArrayList<>();
            for (String o : model.outputs) {
                out.add(Tensors.copy(o, (OnnxTensor) values.get(o)));
            }
            return out;
        } catch (OrtException | RuntimeException e) {
            if (stopped) {
                throw new ClientException("closed", "the session was closed during the query", e);
            }
            throw new ClientException("bad_input", "the model failed in ONNX Runtime: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException("closed", "interrupted");
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    // ---- state ----

    @Override
    public Messages.Plan plan() {
        synchronized (lock) {
            return plan;
        }
    }

    @Override
    public Messages.Plan firstPlan() {
        synchronized (lock) {
            return firstPlan;
        }
    }

    @Override
    public SessionProgress progress() {
        synchronized (lock) {
            long total = bytesUploaded.get() + bytesLeft();
            return new SessionProgress(sessionId, plan.strategy(), plan.planVersion(), total,
                    bytesUploaded.get(), bytesSkipped.get(), plan.partitions().size(), ready.cardinality(),
                    chunksSent.get(), chunksResent.get(), replans, bandwidthReports, queries.get(), offloaded.get(),
                    fallbacks.get(), uploadDoneMs, rate.mbps(), client.isConnected(), chunksAlreadyHeld.get());
        }
    }

    /** Unit bytes the plan in force still needs from this client (each address once). */
    private long bytesLeft() {
        long left = 0;
        Set<String> seen = new HashSet<>();
        for (Messages.PlanPartition part : plan.partitions()) {
            for (int u : part.units()) {
                String a = model.addresses.get(u);
                if (a == null || !seen.add(a) || plan.units().get(u).held()) {
                    continue;
                }
                UnitState st = units.get(a);
                long size = model.layout.bytes(u);
                if (st == null || st.chunkBytes == 0) {
                    left += size;
                } else if (!st.complete) {
                    left += Math.max(0, size - (long) st.acked.cardinality() * st.chunkBytes);
                }
            }
        }
        return left;
    }

    @Override
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    private void fire(String type, int partition, String detail) {
        if (listeners.isEmpty()) {
            return;
        }
        SessionEvent e = new SessionEvent(type, nowMs(), partition, detail, progress());
        for (SessionListener l : listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                // a listener's bug is not the session's
            }
        }
    }

    @Override
    public boolean awaitUploaded(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (uploadDoneMs < 0 && !failed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return uploadDoneMs >= 0;
        }
    }

    /** Per partition of {@code p}, a query's latency along its route by {@code router} (NaN: it has no route). */
    static double[] routeLatencies(Router router, Messages.Plan p, double bytesPerMs, boolean uploading) {
        double[] latency = new double[p.partitions().size()];
        for (int j = 0; j < latency.length; j++) {
            List<Messages.SegmentRef> segments = p.partitions().get(j).segments();
            latency[j] = segments.isEmpty() ? Double.NaN : router.latencyMs(segments, bytesPerMs, uploading);
        }
        return latency;
    }

    /** The units the gateway held when it made {@code p}. */
    static Set<Integer> held(Messages.Plan p) {
        Set<Integer> held = new HashSet<>();
        for (Messages.PlanUnit u : p.units()) {
            if (u.held()) {
                held.add(u.index());
            }
        }
        return held;
    }

    /** The plan as the simulator takes it. */
    static UploadPlan uploadPlan(Messages.Plan p) {
        List<Partition> parts = new ArrayList<>();
        for (Messages.PlanPartition part : p.partitions()) {
            parts.add(new Partition(part.units(), part.segments().stream().map(s -> new Segment(s.first(), s.last()))
                    .toList()));
        }
        EarlyQueryPolicy policy;
        try {
            policy = EarlyQueryPolicy.valueOf(p.earlyQueries());
        } catch (RuntimeException e) {
            policy = EarlyQueryPolicy.LOCAL;
        }
        return new UploadPlan(p.strategy(), parts, policy);
    }

    /** The plan's cost of one segment build beyond its units' figures; 0 when the gateway sent none that is sane. */
    static double segmentBuildMs(Messages.Plan p) {
        double ms = p.segmentBuildMs();
        return ms >= 0 && ms <= 60_000 ? ms : 0;
    }

    /**
     * Per partition of {@code p}, how long the gateway takes to make it ready once its bytes are there: the builds of
     * its new segments as the plan's figures charge them. Empty for a plan the simulator cannot take.
     */
    static double[] partitionLoadsMs(Messages.Plan p, double[] clientMs) {
        try {
            return Simulator.partitionLoadsMs(Router.costs(p, clientMs, p.clientOnlyMs()), uploadPlan(p),
                    SimulationOptions.reference().withUnitsOnServer(held(p)).withSegmentLoads(true)
                            .withSegmentBuildMs(segmentBuildMs(p)));
        } catch (RuntimeException e) {
            return new double[0];
        }
    }

    @Override
    public Prediction predict(double queryIntervalMs) {
        Messages.Plan p = firstPlan();
        double[] clientMs = new double[p.units().size()];
        for (Messages.PlanUnit u : p.units()) {
            clientMs[u.index()] = u.clientMs();
        }
        Set<Integer> held = held(p);
        CostProfile profile = Router.costs(p, clientMs, p.clientOnlyMs());
        UploadPlan upload = uploadPlan(p);
        Router.HopOverhead overhead = hopOverhead(p, openRoundTripMs);
        SimulationOptions options = SimulationOptions.reference().withSharedLink(true).withClientRouting(true)
                .withQueryIntervalMs(queryIntervalMs).withUnitsOnServer(held).withSegmentLoads(true)
                .withSegmentBuildMs(segmentBuildMs(p)).withHopOverhead(overhead.fixedMs(), overhead.uploadWaitMs());
        SimulationResult r = Simulator.simulate(profile, upload, p.bandwidthMbps(), options, 0);
        // the client side: its routes' parts built one after the other, as the warmer does, from when the plan came
        double[] build;
        synchronized (lock) {
            build = firstPlanBuildMs.clone();
        }
        if (build.length == p.partitions().size()) {
            double[] latency = routeLatencies(new Router(p, clientMs, p.clientOnlyMs(), overhead), p,
                    p.bandwidthMbps() * 125_000 / 1000, false);
            double[] readyAt = new double[build.length];
            for (int j = 0; j < build.length; j++) {
                readyAt[j] = r.partitions().get(j).readyMs();
            }
            double[] usable = WarmOrder.schedule(latency, readyAt, build, r.localLatencyMs());
            r = Simulator.simulate(profile, upload, p.bandwidthMbps(), options.withClientUsableMs(
                    Arrays.stream(usable).boxed().toList()), 0);
        }
        List<Double> readyMs = r.partitions().stream().map(PartitionTiming::readyMs).toList();
        List<Prediction.Point> points = new ArrayList<>();
        for (QueryRecord q : r.queries()) {
            points.add(new Prediction.Point(q.startMs(), q.latencyMs(), q.plan()));
        }
        return new Prediction(r.meanLatencyDuringUploadMs(), r.uploadDoneMs(), r.localLatencyMs(), readyMs, points);
    }

    /** Stops the upload thread without telling the gateway (the client is closing). */
    void stop() {
        stopped = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        Thread t = uploader;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        warmer.shutdownNow();
        try {
            warmer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        local.close();
        closeQuietly(model);
    }

    @Override
    public void close() {
        if (stopped && uploader != null && !uploader.isAlive()) {
            client.forget(this);
            return;
        }
        String id = sessionId;
        stop();
        if (client.isConnected()) {
            try {
                GatewayClient.await(client.request(ProtocolTopics.CLOSE, Json.write(new Messages.CloseRequest(id)), 1,
                        2000, null));
            } catch (ClientException e) {
                // the session expires on the gateway by itself
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.unregister(id, this);
        client.forget(this);
    }
}
