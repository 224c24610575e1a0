package org.layerlift.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Planner;
import org.layerlift.api.partition.PlannerState;
import org.layerlift.api.partition.Segment;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.inference.onnx.internal.ExecutorSettings;
import org.layerlift.inference.onnx.internal.SegmentRuntime;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.runtime.Outputs;
import org.layerlift.model.runtime.PlanRunner;
import org.layerlift.model.runtime.RandomInputs;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.Materializer;
import org.layerlift.model.surgery.ModelCutter;
import org.layerlift.model.surgery.UnitWeights;
import org.layerlift.model.units.GraphUnit;
import org.layerlift.model.units.UnitGrouping;
import org.layerlift.protocol.ErrorCode;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolException;
import org.layerlift.store.internal.LocalLayerStore;
import org.layerlift.store.internal.StoreSettings;
import org.layerlift.strategy.frontier.FrontierStrategy;
import org.layerlift.strategy.ionn.IonnStrategy;

/**
 * The serving core without a framework, with the real layer store, the real ONNX Runtime executor and the real
 * strategies: manifests, uploads, readiness, queries, re-planning, persistence, expiry and refusals.
 */
class SessionManagerTest {

    private static final Path WORK = Path.of(System.getProperty("layerlift.test.work", "target/test-work"));

    private Path dir;
    private LocalLayerStore store;
    private SegmentRuntime executor;
    private final Map<String, PartitionStrategy> strategies = new LinkedHashMap<>();
    private volatile String selected = "frontier";
    private final List<Messages.Event> events = new CopyOnWriteArrayList<>();
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private SessionManager manager;

    /** A model as a client holds it: graph, units, unit bytes and addresses. */
    record Model(byte[] graph, OnnxGraph onnx, List<List<Integer>> groups, List<byte[]> bytes, List<String> addresses,
            List<GraphUnit> units, Path file) {

        Messages.Manifest manifest(String strategy) {
            List<Messages.ManifestUnit> mu = new ArrayList<>();
            for (int u = 0; u < units.size(); u++) {
                mu.add(new Messages.ManifestUnit(units.get(u).name(), bytes.get(u).length, addresses.get(u),
                        Math.max(0.05, units.get(u).flops() / 1e9 * 400)));
            }
            return new Messages.Manifest("squeezenet1_1", "dominator", Map.of(), 40, strategy, 0.1, mu);
        }
    }

    private static Model squeezenet(long seed) throws Exception {
        Path d = Files.createDirectories(WORK.resolve("manager-model-" + seed));
        Path file = d.resolve("squeezenet1_1.onnx");
        Files.copy(Path.of(System.getProperty("layerlift.testdata.models", "../../testdata/models"),
                "squeezenet1_1.onnx"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Materializer.materialize(file, seed);
        byte[] graph = Files.readAllBytes(file);
        OnnxGraph g = OnnxGraph.parse(graph, "squeezenet1_1");
        List<List<Integer>> groups = UnitGrouping.dominatorGroups(g);
        List<GraphUnit> units = UnitGrouping.units(g, GraphShapes.infer(g, InputShapes.none()), groups);
        UnitWeights w = UnitWeights.of(g.proto(), groups);
        List<byte[]> bytes = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        try (ExternalDataWeights data = new ExternalDataWeights(file)) {
            for (int u = 0; u < groups.size(); u++) {
                byte[] b = w.unitBytes(u, data);
                bytes.add(b);
                addresses.add(b.length == 0 ? null : UnitWeights.sha256(b));
            }
        }
        return new Model(graph, g, groups, bytes, addresses, units, file);
    }

    @BeforeEach
    void start() throws Exception {
        dir = Files.createTempDirectory(Files.createDirectories(WORK), "manager");
        store = new LocalLayerStore(new StoreSettings(dir.resolve("store"), 1L << 30, 1L << 30, 0, 1L << 28,
                8 << 20, 64, Duration.ofHours(1)));
        executor = new SegmentRuntime(ExecutorSettings.defaults());
        strategies.put("frontier", new FrontierStrategy());
        strategies.put("ionn", new IonnStrategy());
        manager = newManager();
        manager.start();
    }

    private SessionManager newManager() throws Exception {
        Planner planner = new Planner() {
            @Override
            public UploadPlan plan(PlanRequest request) {
                return strategies.getOrDefault(selected, strategies.get("ionn")).plan(request);
            }

            @Override
            public PlannerState state() {
                String active = strategies.containsKey(selected) ? selected : "ionn";
                return new PlannerState(selected, "ionn", active, new TreeSet<>(strategies.keySet()), List.of());
            }
        };
        Strategies named = new Strategies() {
            @Override
            public SortedSet<String> names() {
                return new TreeSet<>(strategies.keySet());
            }

            @Override
            public PartitionStrategy get(String name) {
                return strategies.get(name);
            }
        };
        SessionManager.Log log = new SessionManager.Log() {
            @Override
            public void info(String message) {
                logged.add(message);
            }

            @Override
            public void warn(String message) {
                logged.add("WARN " + message);
            }
        };
        return new SessionManager(new SessionSettings(dir.resolve("serving"), 60_000, 16, 2, 256 * 1024, 2, 1,
                100_000), planner, named, store, executor, (client, e) -> events.add(e), log, now::get);
    }

    @AfterEach
    void stop() throws Exception {
        manager.close();
        executor.close();
        store.close();
    }

    private Messages.Plan open(String client, Model m, String strategy) throws Exception {
        return manager.open(client, m.manifest(strategy), ByteBuffer.wrap(m.graph)).get(300, TimeUnit.SECONDS);
    }

    private void uploadAll(String client, Messages.Plan plan, Model m) throws Exception {
        int cb = plan.chunkBytes();
        for (int u = 0; u < m.bytes.size(); u++) {
            byte[] b = m.bytes.get(u);
            for (int i = 0; i * cb < b.length; i++) {
                ByteBuffer chunk = ByteBuffer.wrap(b, i * cb, Math.min(cb, b.length - i * cb)).slice();
                String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(toArray(chunk)));
                manager.chunk(client, new Messages.ChunkHeader(plan.session(), m.addresses.get(u), i, b.length, cb,
                        sha), chunk);
            }
        }
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private void awaitReady(String session, int partition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            for (Messages.Event e : events) {
                if (e.session().equals(session) && Messages.Event.PARTITION_READY.equals(e.type())
                        && e.partition() == partition) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("partition " + partition + " not ready; events " + events + "; log " + logged);
    }

    /** The whole model as one server segment on the model's own inputs, against a local run. */
    private void assertWholeModelQueryIsExact(String client, String session, Model m) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        GraphShapes shapes = GraphShapes.infer(m.onnx, InputShapes.none());
        Map<String, Long> dims = new LinkedHashMap<>();
        shapes.inputShapes().forEach((k, v) -> {
            for (int i = 0; i < v.length; i++) {
                dims.put(k + ":" + i, v[i]);
            }
        });
        Map<String, OnnxTensor> inputs = RandomInputs.create(env, m.onnx.proto(), dims, 3);
        try (ExternalDataWeights data = new ExternalDataWeights(m.file);
                PlanRunner.PlanResult local = PlanRunner.runOnce(env, new ModelCutter(m.onnx.proto())
                        .cut(m.groups, List.of()), data, inputs)) {
            List<TensorData> in = new ArrayList<>();
            inputs.forEach((name, t) -> in.add(new TensorData(name, 1, t.getInfo().getShape(),
                    t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN))));
            int last = m.groups.size() - 1;
            SessionManager.QueryResult r = queryWhenLoaded(client, new Messages.QueryHeader(session, 0, last), in);
            double[] expected = Outputs.values(local.outputs().values().iterator().next());
            ByteBuffer got = r.outputs().get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - got.getFloat(i * 4)));
            }
            assertTrue(worst <= 1e-4, "max abs difference " + worst);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private SessionManager.QueryResult queryWhenLoaded(String client, Messages.QueryHeader h, List<TensorData> in)
            throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            try {
                return manager.query(client, h, in).get(60, TimeUnit.SECONDS);
            } catch (ProtocolException e) {
                if (e.code() != ErrorCode.SEGMENT_NOT_READY || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(50); // being loaded in the background
            }
        }
    }

    @Test
    void aManifestPlansUploadsMakePartitionsReadyAndQueriesAreExact() throws Exception {
        Model m = squeezenet(1);
        Messages.Plan plan = open("phone", m, null);
        assertEquals("frontier", plan.strategy());
        assertEquals(m.bytes.stream().mapToLong(b -> b.length).sum(), plan.bytesToUpload());
        assertFalse(plan.partitions().isEmpty());
        ProtocolException early = assertThrows(ProtocolException.class, () -> manager.query("phone",
                new Messages.QueryHeader(plan.session(), 0, m.groups.size() - 1), List.of()));
        assertEquals(ErrorCode.SEGMENT_NOT_READY, early.code());
        uploadAll("phone", plan, m);
        for (Messages.PlanPartition p : plan.partitions()) {
            awaitReady(plan.session(), p.index());
        }
        assertWholeModelQueryIsExact("phone", plan.session(), m);
        // the same manifest again is the same session, now with everything held
        Messages.Plan again = open("phone", m, null);
        assertEquals(plan.session(), again.session());
        assertEquals(0, again.bytesToUpload());
        // another client with the same model shares the units: nothing to upload, the query runs at once
        Messages.Plan other = open("tablet", m, "ionn");
        assertEquals(0, other.bytesToUpload());
        assertEquals("ionn", other.strategy());
        assertWholeModelQueryIsExact("tablet", other.session(), m);
        // a session is its client's: another client cannot use it
        ProtocolException foreign = assertThrows(ProtocolException.class, () -> manager.have("tablet",
                new Messages.HaveRequest(plan.session())));
        assertEquals(ErrorCode.UNKNOWN_SESSION, foreign.code());
    }

    @Test
    void aStrategySwapRePlansEverySessionItPlannedWithStoredUnitsFree() throws Exception {
        Model m = squeezenet(2);
        Messages.Plan plan = open("phone", m, null);
        Messages.Plan pinned = open("tablet", m, "frontier"); // asked for frontier itself
        int cb = plan.chunkBytes();
        int first = plan.partitions().get(0).units().get(0);
        byte[] b = m.bytes.get(first);
        for (int i = 0; i * cb < b.length; i++) {
            ByteBuffer chunk = ByteBuffer.wrap(b, i * cb, Math.min(cb, b.length - i * cb)).slice();
            manager.chunk("phone", new Messages.ChunkHeader(plan.session(), m.addresses.get(first), i, b.length, cb,
                    HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(toArray(chunk)))),
                    chunk);
        }
        selected = "ionn";
        manager.pollStrategies();
        Messages.Event replan = events.stream().filter(e -> Messages.Event.REPLAN.equals(e.type())).findFirst()
                .orElseThrow(() -> new AssertionError("no re-plan: " + events + " " + logged));
        assertEquals(plan.session(), replan.session());
        assertEquals(2, replan.planVersion());
        assertEquals("ionn", replan.plan().strategy());
        assertEquals(plan.bytesToUpload() - b.length, replan.plan().bytesToUpload(), "the stored unit is free");
        assertTrue(events.stream().noneMatch(e -> Messages.Event.REPLAN.equals(e.type())
                && e.session().equals(pinned.session())), "a session that asked for frontier keeps it");
        // the bandwidth report re-plans too, answered with the plan
        Messages.Plan slower = manager.bandwidth("phone", new Messages.BandwidthReport(plan.session(), 5));
        assertEquals(3, slower.planVersion());
        assertEquals(5, slower.bandwidthMbps());
    }

    @Test
    void aRePlanKeepsTheRouteThatWasReady() throws Exception {
        Model m = squeezenet(4);
        Messages.Plan plan = open("phone", m, null);
        // upload up to the first partition with a route
        int j = 0;
        while (plan.partitions().get(j).segments().isEmpty()) {
            j++;
        }
        Messages.PlanPartition first = plan.partitions().get(j);
        int cb = plan.chunkBytes();
        for (Messages.PlanPartition part : plan.partitions().subList(0, j + 1)) {
            for (int u : part.units()) {
                byte[] b = m.bytes.get(u);
                for (int i = 0; i * cb < b.length; i++) {
                    ByteBuffer chunk = ByteBuffer.wrap(b, i * cb, Math.min(cb, b.length - i * cb)).slice();
                    manager.chunk("phone", new Messages.ChunkHeader(plan.session(), m.addresses.get(u), i, b.length,
                            cb, HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest(toArray(chunk)))), chunk);
                }
            }
        }
        awaitReady(plan.session(), j);
        // a strategy that wants the whole model on the server before anything runs there
        int n = m.groups.size();
        strategies.put("whole", request -> {
            List<Integer> rest = new ArrayList<>();
            for (int u = 0; u < n; u++) {
                if (!request.unitsOnServer().contains(u)) {
                    rest.add(u);
                }
            }
            return new UploadPlan("whole", List.of(new Partition(rest, List.of(new Segment(0, n - 1)))),
                    EarlyQueryPolicy.LOCAL);
        });
        selected = "whole";
        manager.pollStrategies();
        Messages.Event replan = events.stream().filter(e -> Messages.Event.REPLAN.equals(e.type())).findFirst()
                .orElseThrow(() -> new AssertionError("no re-plan: " + events + " " + logged));
        Messages.PlanPartition kept = replan.plan().partitions().get(0);
        assertEquals(List.of(), kept.units(), "uploads nothing");
        assertEquals(first.segments(), kept.segments(), "the route that was ready");
        assertTrue(kept.ready(), "ready in the re-plan itself: its segments are built");
        Messages.PlanPartition whole = replan.plan().partitions().get(replan.plan().partitions().size() - 1);
        assertEquals(List.of(new Messages.SegmentRef(0, n - 1)), whole.segments());
        assertFalse(whole.ready());
        assertTrue(events.stream().anyMatch(e -> Messages.Event.PARTITION_READY.equals(e.type())
                && e.planVersion() == replan.planVersion() && e.partition() == 0), "told at once: " + events);
    }

    @Test
    void sessionsSurviveARestartAndExpireWhenIdle() throws Exception {
        Model m = squeezenet(3);
        Messages.Plan plan = open("phone", m, null);
        uploadAll("phone", plan, m);
        awaitReady(plan.session(), plan.partitions().size() - 1);
        manager.close();
        events.clear();
        manager = newManager();
        manager.start();
        Messages.HaveReply have = manager.have("phone", new Messages.HaveRequest(plan.session()));
        assertTrue(have.units().stream().allMatch(Messages.UnitHolding::complete));
        awaitReady(plan.session(), plan.partitions().size() - 1); // rebuilt in the background after the restart
        assertWholeModelQueryIsExact("phone", plan.session(), m);
        now.addAndGet(61_000);
        assertEquals(1, manager.sweep());
        assertTrue(events.stream().anyMatch(e -> Messages.Event.SESSION_EXPIRED.equals(e.type())));
        assertEquals(ErrorCode.UNKNOWN_SESSION, assertThrows(ProtocolException.class, () -> manager.have("phone",
                new Messages.HaveRequest(plan.session()))).code());
        assertEquals(0, store.usage().pinnedUnits(), "an expired session's units are no longer pinned");
    }

    @Test
    void refusalsCarryTheirReasonCodes() throws Exception {
        Model m = squeezenet(4);
        Messages.Manifest good = m.manifest(null);
        assertEquals(ErrorCode.UNKNOWN_STRATEGY, assertThrows(ProtocolException.class,
                () -> manager.open("phone", m.manifest("nope"), ByteBuffer.wrap(m.graph))).code());
        assertEquals(ErrorCode.BAD_MANIFEST, assertThrows(ProtocolException.class,
                () -> manager.open("phone", good, ByteBuffer.wrap(new byte[] {1, 2, 3}))).code());
        List<Messages.ManifestUnit> renamed = new ArrayList<>(good.units());
        Messages.ManifestUnit u = renamed.get(0);
        renamed.set(0, new Messages.ManifestUnit("other", u.weightBytes(), u.sha256(), u.clientMs()));
        assertEquals(ErrorCode.MANIFEST_MISMATCH, assertThrows(ProtocolException.class, () -> manager.open("phone",
                new Messages.Manifest("m", "dominator", Map.of(), 40, null, 0, renamed), ByteBuffer.wrap(m.graph)))
                .code());
        Messages.Plan plan = open("phone", m, null);
        String sha = "0".repeat(64);
        assertEquals(ErrorCode.UNKNOWN_UNIT, assertThrows(ProtocolException.class, () -> manager.chunk("phone",
                new Messages.ChunkHeader(plan.session(), "e".repeat(64), 0, 10, 1024, sha),
                ByteBuffer.allocate(10))).code());
        int unit = m.addresses.indexOf(m.addresses.stream().filter(a -> a != null).findFirst().get());
        assertEquals(ErrorCode.CHUNK_HASH_MISMATCH, assertThrows(ProtocolException.class, () -> manager.chunk("phone",
                new Messages.ChunkHeader(plan.session(), m.addresses.get(unit), 0, m.bytes.get(unit).length,
                        1 << 20, sha), ByteBuffer.wrap(m.bytes.get(unit)))).code());
        // the session limit per client is 2 here
        open("phone", squeezenet(5), null);
        Model third = squeezenet(6);
        assertEquals(ErrorCode.TOO_MANY_SESSIONS, assertThrows(ProtocolException.class, () -> open("phone", third,
                null)).code());
    }

    @Test
    void aThirdPartyPlanIsCheckedBeforeUse() {
        UploadPlan twice = new UploadPlan("x", List.of(new Partition(List.of(0, 0), List.of())), EarlyQueryPolicy.LOCAL);
        UploadPlan outside = new UploadPlan("x", List.of(new Partition(List.of(0), List.of(new Segment(0, 9)))),
                EarlyQueryPolicy.LOCAL);
        UploadPlan overlapping = new UploadPlan("x", List.of(new Partition(List.of(0),
                List.of(new Segment(0, 2), new Segment(2, 3)))), EarlyQueryPolicy.LOCAL);
        for (UploadPlan bad : List.of(twice, outside, overlapping)) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> SessionManager.checkPlan(bad, 5, "x"));
            assertEquals(ErrorCode.PLANNING_FAILED, e.code());
        }
    }

}
