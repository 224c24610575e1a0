package org.layerlift.client.internal;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.layerlift.api.inference.TensorData;
import org.layerlift.client.ClientException;
import org.layerlift.client.DeviceEmulation;
import org.layerlift.model.runtime.NodeProfile;
import org.layerlift.model.runtime.OrtProfiler;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.Part;
import org.layerlift.model.surgery.Weights;

/**
 * The client's local compute: one ONNX Runtime session per part (built on first use, kept), runs padded to the
 * emulated device, and the per-unit client times the manifest declares.
 */
final class LocalParts implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final ClientModel model;
    private final DeviceEmulation device;
    private final int threads;
    private final Map<String, Built> sessions = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Object> building = new java.util.concurrent.ConcurrentHashMap<>();
    private final BuildEstimate builds = new BuildEstimate();
    /** keys of parts whose build failed (bounded: a plan has at most this many parts worth remembering) */
    private final java.util.Set<String> failed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final int MAX_FAILED = 10_000;
    private volatile boolean closed;
    /**
     * Runs and builds hold it shared, {@link #close} exclusively: an ORT session closed under a running query is a
     * native use after free (a SIGSEGV of the whole JVM, seen when a client was closed while its query thread ran).
     * Always taken before a {@code building} monitor.
     */
    private final java.util.concurrent.locks.ReentrantReadWriteLock use =
            new java.util.concurrent.locks.ReentrantReadWriteLock();
    /** per-unit client times of the (emulated) device, ms */
    private final double[] clientMs;
    private final double clientOnlyMs;

    LocalParts(ClientModel model, DeviceEmulation device, int threads) throws ClientException {
        this.model = model;
        this.device = device;
        this.threads = threads;
        int n = model.units.size();
        if (device.unitClientMs() != null) {
            if (device.unitClientMs().size() != n) {
                throw new ClientException("bad_model", "the client profile has " + device.unitClientMs().size()
                        + " units, model " + model.name + " has " + n + " (" + model.granularity + " units): use a "
                        + "profile of this model's graph, or --slowdown instead");
            }
            clientMs = device.unitClientMs().stream().mapToDouble(Double::doubleValue).toArray();
            clientOnlyMs = device.clientOnlyMs();
        } else {
            double[] measured = measure();
            clientMs = new double[n];
            for (int u = 0; u < n; u++) {
                clientMs[u] = measured[u] * device.slowdown();
            }
            clientOnlyMs = 0;
        }
    }

    OrtEnvironment env() {
        return env;
    }

    /** Per-unit client times of the emulated device, ms. */
    double[] clientMs() {
        return clientMs.clone();
    }

    double clientOnlyMs() {
        return clientOnlyMs;
    }

    /** The whole model on the (emulated) client. */
    double localLatencyMs() {
        double t = clientOnlyMs;
        for (double ms : clientMs) {
            t += ms;
        }
        return t;
    }

    /** Client time of units first..last (inclusive) on the emulated device. */
    double clientMs(int first, int last) {
        double t = 0;
        for (int u = first; u <= last; u++) {
            t += clientMs[u];
        }
        return t;
    }

    /** Per-unit times on this device with ONNX Runtime's profiler (whole model, seeded inputs). */
    private double[] measure() throws ClientException {
        try {
            ModelProto embedded = Weights.embed(model.stripped, model.weights, model.name);
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            try {
                for (TensorData t : org.layerlift.model.runtime.RandomInputs.tensors(model.inputs, 1L)) {
                    inputs.put(t.name(), Tensors.create(env, t));
                }
                OrtProfiler.Settings settings = new OrtProfiler.Settings(1, 3, threads,
                        OrtSession.SessionOptions.OptLevel.ALL_OPT);
                NodeProfile nodes = OrtProfiler.profile(env, embedded, inputs, settings);
                return nodes.perUnit(model.groups);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        } catch (OrtException | java.io.IOException | RuntimeException e) {
            throw new ClientException("bad_model", "model " + model.file + " does not run with ONNX Runtime here: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Runs one client part: reads its inputs from {@code values}, puts its outputs there (owned by {@code owned}),
     * then sleeps to the emulated device's time when {@code padded}.
     *
     * @return the part's time in ms, padding included
     */
    double run(Part part, Map<String, OnnxTensorLike> values, List<OnnxTensor> owned, boolean padded)
            throws OrtException, InterruptedException {
        long t0;
        use.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the session is closed");
            }
            // building a part's session is not compute of the emulated device: the clock starts after it
            OrtSession s = session(part);
            t0 = System.nanoTime();
            Map<String, OnnxTensorLike> feed = new HashMap<>();
            for (String in : part.inputs()) {
                OnnxTensorLike v = values.get(in);
                if (v == null) {
                    throw new IllegalStateException("part " + part + " needs '" + in + "', which nothing computed");
                }
                feed.put(in, v);
            }
            try (OrtSession.Result r = s.run(feed)) {
                for (String out : part.outputs()) {
                    OnnxTensor c = org.layerlift.model.runtime.Outputs.copy(env,
                            (OnnxTensor) r.get(out).orElseThrow());
                    owned.add(c);
                    values.put(out, c);
                }
            }
        } finally {
            use.readLock().unlock();
        }
        double ranMs = (System.nanoTime() - t0) / 1e6;
        if (padded && device.padded()) {
            // the emulated device's time for these units: the profile's, or F times this device's measured at open
            // (deterministic, and what the manifest declared; a run slower than that is not shortened)
            Pacing.sleepUntil(t0, Math.max(ranMs, clientMs(part.units().first(), part.units().last())));
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Whether every client part of {@code cut} has its session built: nothing left to build for that route. */
    boolean built(CutPlan cut) {
        return buildEstimateMs(cut) == 0;
    }

    private static String key(Part part) {
        return part.units() + "|" + part.inputs() + "|" + part.outputs();
    }

    /**
     * What building the client parts of {@code cut} not built yet would take (ms, from the builds so far): 0 when all
     * are built, infinite when one of them failed to build (no query tries it again).
     */
    double buildEstimateMs(CutPlan cut) {
        long bytes = 0;
        int parts = 0;
        for (Part part : cut.parts()) {
            if (!part.isEmpty() && part.side() == org.layerlift.model.surgery.Side.CLIENT
                    && !sessions.containsKey(key(part))) {
                if (failed.contains(key(part))) {
                    return Double.POSITIVE_INFINITY;
                }
                bytes += weightBytes(part);
                parts++;
            }
        }
        return parts == 0 ? 0 : builds.estimateMs(bytes, parts);
    }

    /** The client parts of {@code cut} not built yet do not build: routes through them are not taken. */
    void failedToBuild(CutPlan cut) {
        for (Part part : cut.parts()) {
            if (!part.isEmpty() && part.side() == org.layerlift.model.surgery.Side.CLIENT
                    && !sessions.containsKey(key(part)) && failed.size() < MAX_FAILED) {
                failed.add(key(part));
            }
        }
    }

    private long weightBytes(Part part) {
        long bytes = 0;
        for (int u = part.units().first(); u <= part.units().last(); u++) {
            bytes += model.layout.bytes(u);
        }
        return bytes;
    }

    /** Builds the sessions of a plan's client parts ahead of the queries that need them. */
    void warm(CutPlan cut) throws OrtException {
        use.readLock().lock();
        try {
            for (Part part : cut.parts()) {
                if (closed) {
                    return;
                }
                if (!part.isEmpty() && part.side() == org.layerlift.model.surgery.Side.CLIENT) {
                    session(part);
                }
            }
        } finally {
            use.readLock().unlock();
        }
    }

    private OrtSession session(Part part) throws OrtException {
        String key = key(part);
        Built b = sessions.get(key);
        if (b != null) {
            return b.session();
        }
        // one build per part; other parts build (and run) meanwhile
        synchronized (building.computeIfAbsent(key, k -> new Object())) {
            b = sessions.get(key);
            if (b == null) {
                if (closed) {
                    throw new IllegalStateException("the session is closed");
                }
                long t0 = System.nanoTime();
                b = build(part);
                builds.built(weightBytes(part), (System.nanoTime() - t0) / 1e6);
                sessions.put(key, b);
            }
            return b.session();
        }
    }

    /** A part's ONNX Runtime session and the weight tensors it runs on (which must outlive it). */
    private record Built(OrtSession session, List<OnnxTensor> weights) {
        void close() {
            try {
                session.close();
            } catch (OrtException e) {
                // closing anyway
            } finally {
                weights.forEach(OnnxTensor::close);
            }
        }
    }

    /**
     * Builds a part's session with its weights handed to ONNX Runtime as tensors (external initializers) rather
     * than embedded in the graph: the embedded way copies every weight twice more on the heap (into the serialised
     * graph, then out of it) and makes ORT parse it. Measured on a quiet machine (AlexNet, one thread): the whole
     * model 0.7 s against 0.9-1.3 s; the 218 MB fc6-fc7 part alone 0.6 s against 0.8-1.2 s, and 1.1-1.4 s either
     * way while another session of that size is open. Weights of other element types and Constant values are
     * embedded.
     */
    private Built build(Part part) throws OrtException {
        ModelProto graph = part.graph();
        Map<String, OnnxTensorLike> external = new HashMap<>();
        List<OnnxTensor> owned = new java.util.ArrayList<>();
        OrtSession s = null;
        try {
            ModelProto.Builder changed = graph.toBuilder();
            GraphProto.Builder g = changed.getGraphBuilder();
            for (int i = 0; i < g.getInitializerCount(); i++) {
                TensorProto t = g.getInitializer(i);
                if (!org.layerlift.model.surgery.Tensors.isExternal(t)) {
                    continue;
                }
                TensorProto embedded = Weights.embed(t, model.weights, part.toString()); // read and size-checked
                OnnxJavaType type = weightType(t.getDataType());
                if (type == null) {
                    g.setInitializer(i, embedded);
                    continue;
                }
                ByteString bytes = embedded.getRawData();
                ByteBuffer direct = ByteBuffer.allocateDirect(bytes.size()).order(ByteOrder.nativeOrder());
                bytes.copyTo(direct);
                direct.flip();
                long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
                OnnxTensor tensor = OnnxTensor.createTensor(env, direct, dims, type);
                owned.add(tensor);
                external.put(t.getName(), tensor);
            }
            for (int n = 0; n < g.getNodeCount(); n++) {
                for (int a = 0; a < g.getNode(n).getAttributeCount(); a++) {
                    AttributeProto attribute = g.getNode(n).getAttribute(a);
                    if (attribute.hasT() && org.layerlift.model.surgery.Tensors.isExternal(attribute.getT())) {
                        g.getNodeBuilder(n).getAttributeBuilder(a).setT(Weights.embed(attribute.getT(), model.weights,
                                part.toString()));
                    }
                }
            }
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setIntraOpNumThreads(threads);
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                if (!external.isEmpty()) {
                    o.addExternalInitializers(external);
                }
                s = env.createSession(changed.build().toByteArray(), o);
            }
            warmUp(s);
            Built built = new Built(s, List.copyOf(owned));
            s = null;
            owned.clear();
            return built;
        } finally {
            if (s != null) {
                s.close();
            }
            owned.forEach(OnnxTensor::close);
        }
    }

    /**
     * The element types whose weights go to ONNX Runtime as tensors (float, the integers, double; the mapping is
     * {@link Tensors#javaType}'s); null: embedded in the graph instead (bool, the 16-bit floats, anything else).
     */
    private static OnnxJavaType weightType(int onnxType) {
        return switch (onnxType) {
            case 1, 2, 3, 5, 6, 7, 11 -> Tensors.javaType(onnxType);
            default -> null;
        };
    }

    /** One run on zeros: ONNX Runtime's first run is several times slower than the next (not a query's to pay). */
    private void warmUp(OrtSession s) {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (Map.Entry<String, ai.onnxruntime.NodeInfo> e : s.getInputInfo().entrySet()) {
                if (!(e.getValue().getInfo() instanceof ai.onnxruntime.TensorInfo info)) {
                    return;
                }
                long[] shape = info.getShape();
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shape[i] < 0 ? 1 : shape[i];
                    count *= shape[i];
                }
                int type = Tensors.onnxType(info.type);
                java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocateDirect(Math.toIntExact(count
                        * TensorData.elementSize(type))).order(java.nio.ByteOrder.nativeOrder());
                feed.put(e.getKey(), OnnxTensor.createTensor(env, zeros, shape, info.type));
            }
            try (OrtSession.Result r = s.run(feed)) {
                // only the run matters
            }
        } catch (OrtException | RuntimeException e) {
            // not warmed: the first query pays
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** Inputs the caller gave, as ORT tensors owned by {@code owned}. */
    Map<String, OnnxTensorLike> feed(List<TensorData> inputs, List<OnnxTensor> owned) throws OrtException {
        Map<String, OnnxTensorLike> map = new HashMap<>();
        for (TensorData t : inputs) {
            OnnxTensor o = Tensors.create(env, t);
            owned.add(o);
            map.put(t.name(), o);
        }
        return map;
    }

    @Override
    public void close() {
        closed = true;
        // waits for the runs and builds in progress (each is bounded: one ONNX Runtime run or session build)
        use.writeLock().lock();
        try {
            closeSessions();
        } finally {
            use.writeLock().unlock();
        }
    }

    private void closeSessions() {
        for (String key : List.copyOf(sessions.keySet())) {
            synchronized (building.computeIfAbsent(key, k -> new Object())) {
                Built b = sessions.remove(key);
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    /** Sleeps to a target duration. */
    static final class Pacing {
        private Pacing() {}

        static void sleepUntil(long startNanos, double targetMs) throws InterruptedException {
            long end = startNanos + (long) (targetMs * 1e6);
            long left;
            while ((left = end - System.nanoTime()) > 0) {
                if (left > 2_000_000) {
                    Thread.sleep((left - 1_000_000) / 1_000_000, 0);
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
