package org.layerlift.model.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.Part;
import org.layerlift.model.surgery.Side;
import org.layerlift.model.surgery.WeightSource;

/**
 * Runs the parts of cut plans in order with ONNX Runtime over one tensor map: the map starts with the model inputs,
 * each part reads its inputs from it and writes its outputs (copied, so no session or result needs to stay open)
 * into it. Sessions of parts whose weights total at most {@code cacheBytes} are kept (least recently used first
 * out), keyed by the part's content, so plans that share parts share sessions; others are closed after their run.
 * Not thread-safe.
 */
public final class PlanRunner implements AutoCloseable {

    private final OrtEnvironment env;
    private final OrtSession.SessionOptions options;
    private final WeightSource weights;
    private final WeightSource serverWeights;
    private final long cacheBytes;
    private final boolean ortReadsWeights;
    private final LinkedHashMap<String, Cached> cache = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;

    private record Cached(OrtSession session, long bytes) {}

    /**
     * @param options used for every part session (the caller keeps ownership)
     * @param weights where the parts' external weights come from
     * @param cacheBytes the weight bytes of part sessions kept between runs (0: keep none)
     */
    public PlanRunner(OrtEnvironment env, OrtSession.SessionOptions options, WeightSource weights, long cacheBytes) {
        this(env, options, weights, weights, cacheBytes, false);
    }

    /**
     * A runner whose client parts take their weights from {@code clientWeights} and server parts from
     * {@code serverWeights} (say, only what was uploaded): a server part fails to build if it needs anything else.
     */
    public PlanRunner(OrtEnvironment env, OrtSession.SessionOptions options, WeightSource clientWeights,
            WeightSource serverWeights, long cacheBytes) {
        this(env, options, clientWeights, serverWeights, cacheBytes, false);
    }

    private PlanRunner(OrtEnvironment env, OrtSession.SessionOptions options, WeightSource weights,
            WeightSource serverWeights, long cacheBytes, boolean ortReadsWeights) {
        this.env = env;
        this.options = options;
        this.weights = weights;
        this.serverWeights = serverWeights;
        this.cacheBytes = cacheBytes;
        this.ortReadsWeights = ortReadsWeights;
    }

    /**
     * A runner that leaves external weights external: each part's graph (with the original location, offset and
     * length of its tensors) is handed to ONNX Runtime, which reads just those tensors from the model's data files
     * in {@code modelDirectory} (no copy of the weights through Java: the fast way for large models). Sets
     * {@code session.model_external_initializers_file_folder_path} on {@code options}.
     */
    public static PlanRunner readingExternalData(OrtEnvironment env, OrtSession.SessionOptions options,
            java.nio.file.Path modelDirectory, long cacheBytes) throws OrtException {
        options.addConfigEntry("session.model_external_initializers_file_folder_path",
                modelDirectory.toAbsolutePath().toString());
        return new PlanRunner(env, options, WeightSource.none(), WeightSource.none(), cacheBytes, true);
    }

    /** Runs {@code plan} once, no sessions kept. */
    public static PlanResult runOnce(OrtEnvironment env, CutPlan plan, WeightSource weights,
            Map<String, ? extends OnnxTensorLike> inputs) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                PlanRunner runner = new PlanRunner(env, options, weights, 0)) {
            return runner.run(plan, inputs);
        }
    }

    /**
     * Runs all parts of {@code plan} on {@code inputs} (the model inputs; the caller keeps them) and returns the
     * model outputs with per-part timings. Close the result to free its tensors.
     */
    public PlanResult run(CutPlan plan, Map<String, ? extends OnnxTensorLike> inputs) throws OrtException {
        for (String in : plan.modelInputs()) {
            if (!inputs.containsKey(in)) {
                throw new IllegalArgumentException("model " + plan.modelName() + ": input '" + in
                        + "' is missing; given " + inputs.keySet());
            }
        }
        Map<String, OnnxTensorLike> map = new HashMap<>(inputs);
        List<OnnxTensor> owned = new ArrayList<>();
        int n = plan.parts().size();
        double[] loadMs = new double[n];
        double[] runMs = new double[n];
        Arrays.fill(loadMs, Double.NaN);
        Arrays.fill(runMs, Double.NaN);
        boolean done = false;
        try {
            for (Part part : plan.parts()) {
                if (part.isEmpty()) {
                    continue;
                }
                Map<String, OnnxTensorLike> feed = new HashMap<>();
                for (String in : part.inputs()) {
                    OnnxTensorLike v = map.get(in);
                    if (v == null) {
                        throw new IllegalStateException(part + " needs '" + in
                                + "', which neither the inputs nor an earlier part provide");
                    }
                    feed.put(in, v);
                }
                String key = key(part);
                Cached cached = cache.get(key);
                OrtSession session;
                if (cached != null) {
                    session = cached.session();
                } else {
                    long t0 = System.nanoTime();
                    session = load(part);
                    loadMs[part.index()] = (System.nanoTime() - t0) / 1e6;
                }
                try {
                    long t0 = System.nanoTime();
                    try (OrtSession.Result result = session.run(feed)) {
                        runMs[part.index()] = (System.nanoTime() - t0) / 1e6;
                        for (String out : part.outputs()) {
                            Optional<OnnxValue> v = result.get(out);
                            if (v.isEmpty() || !(v.get() instanceof OnnxTensor t)) {
                                throw new IllegalStateException(part + " did not return tensor '" + out + "'");
                            }
                            OnnxTensor copy = Outputs.copy(env, t);
                            owned.add(copy);
                            map.put(out, copy);
                        }
                    }
                } finally {
                    if (cached == null && !keep(key, session, part.externalBytes())) {
                        session.close();
                    }
                }
            }
            Map<String, OnnxTensor> outputs = new LinkedHashMap<>();
            for (String out : plan.modelOutputs()) {
                OnnxTensorLike v = map.get(out);
                if (v == null) {
                    throw new IllegalStateException("model " + plan.modelName() + ": no part produced output '"
                            + out + "'");
                }
                OnnxTensor t = v instanceof OnnxTensor x && owned.contains(x) ? x
                        : Outputs.copy(env, (OnnxTensor) v); // a model input passed through
                if (!owned.contains(t)) {
                    owned.add(t);
                }
                outputs.put(out, t);
            }
            done = true;
            return new PlanResult(outputs, owned, loadMs, runMs);
        } finally {
            if (!done) {
                owned.forEach(OnnxTensor::close);
            }
        }
    }

    private OrtSession load(Part part) throws OrtException {
        byte[] bytes = (ortReadsWeights ? part.graph()
                : part.model(part.side() == Side.SERVER ? serverWeights : weights)).toByteArray();
        try {
            return env.createSession(bytes, options);
        } catch (OrtException e) {
            throw new OrtException(e.getCode(), part + " does not load in ONNX Runtime: " + e.getMessage());
        }
    }

    private boolean keep(String key, OrtSession session, long bytes) {
        if (bytes > cacheBytes) {
            return false;
        }
        cache.put(key, new Cached(session, bytes));
        cachedBytes += bytes;
        Iterator<Map.Entry<String, Cached>> it = cache.entrySet().iterator();
        while (cachedBytes > cacheBytes && it.hasNext()) {
            Map.Entry<String, Cached> e = it.next();
            if (e.getKey().equals(key)) {
                continue;
            }
            it.remove();
            cachedBytes -= e.getValue().bytes();
            close(e.getValue().session());
        }
        return true;
    }

    private static String key(Part part) {
        return part.nodes() + "|" + part.inputs() + "|" + part.outputs();
    }

    /** The number of part sessions kept. */
    public int cachedSessions() {
        return cache.size();
    }

    private static void close(OrtSession s) {
        try {
            s.close();
        } catch (OrtException e) {
            // closing frees native memory; nothing to recover
        }
    }

    @Override
    public void close() {
        cache.values().forEach(c -> close(c.session()));
        cache.clear();
        cachedBytes = 0;
    }

    /** The model outputs of one plan run, and what each part cost (NaN: not loaded / not run). */
    public static final class PlanResult implements AutoCloseable {
        private final Map<String, OnnxTensor> outputs;
        private final List<OnnxTensor> owned;
        private final double[] loadMs;
        private final double[] runMs;

        PlanResult(Map<String, OnnxTensor> outputs, List<OnnxTensor> owned, double[] loadMs, double[] runMs) {
            this.outputs = java.util.Collections.unmodifiableMap(outputs);
            this.owned = owned;
            this.loadMs = loadMs;
            this.runMs = runMs;
        }

        /** Model output name → tensor, in the model's output order. */
        public Map<String, OnnxTensor> outputs() {
            return outputs;
        }

        /** Session creation time per part in ms (NaN when the session came from the cache or the part is empty). */
        public double[] loadMs() {
            return loadMs.clone();
        }

        /** Run time per part in ms (NaN for empty parts). */
        public double[] runMs() {
            return runMs.clone();
        }

        @Override
        public void close() {
            owned.forEach(OnnxTensor::close);
        }
    }
}
