package org.layerlift.model.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.ModelNames;
import org.layerlift.model.surgery.Part;
import org.layerlift.model.surgery.Side;
import org.layerlift.model.surgery.WeightSource;

/**
 * Times models and their parts on this machine with ONNX Runtime. Per node: ONNX Runtime's profiler (node names made
 * unique first, kernel events mapped back to node indices, warm-up runs dropped, median over runs). Per part: wall
 * time of each cut sub-model on the activations the plan gives it. Load: session creation time. Server costs can be
 * measured from the graph alone: materialise seeded weights first (random weights cost the same time).
 */
public final class OrtProfiler {

    /**
     * How to measure.
     *
     * @param warmup runs before measuring (at least 1 is wise: the first run allocates)
     * @param runs measured runs (the median is reported)
     * @param intraOpThreads ONNX Runtime intra-op threads (0: its default, all cores)
     * @param optimization the graph optimisation level (nodes ONNX Runtime fuses report their time on the fused
     *     node; {@code BASIC_OPT} keeps more nodes apart)
     */
    public record Settings(int warmup, int runs, int intraOpThreads, OrtSession.SessionOptions.OptLevel optimization) {
        public Settings {
            if (warmup < 0 || runs < 1 || intraOpThreads < 0) {
                throw new IllegalArgumentException("bad settings: warmup " + warmup + ", runs " + runs
                        + ", threads " + intraOpThreads);
            }
        }

        public static Settings of(int warmup, int runs) {
            return new Settings(warmup, runs, 0, OrtSession.SessionOptions.OptLevel.ALL_OPT);
        }
    }

    /** The time of one part of a plan: session creation and the median run, ms. */
    public record PartTiming(int part, Side side, Segment units, double loadMs, double runMs) {}

    private OrtProfiler() {}

    private static OrtSession.SessionOptions options(Settings s) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        if (s.intraOpThreads() > 0) {
            o.setIntraOpNumThreads(s.intraOpThreads());
        }
        o.setOptimizationLevel(s.optimization());
        return o;
    }

    /**
     * Per-node times of {@code model} (weights embedded; see {@code Weights.embed}) on {@code inputs}.
     */
    public static NodeProfile profile(OrtEnvironment env, ModelProto model,
            Map<String, ? extends OnnxTensorLike> inputs, Settings settings) throws OrtException, IOException {
        ModelProto named = ModelNames.withUniqueNodeNames(model);
        List<String> names = ModelNames.uniqueNodeNames(named.getGraph());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        Path dir = Files.createTempDirectory("layerlift-profile");
        String traceFile;
        double loadMs;
        double[] wall = new double[settings.runs()];
        try (OrtSession.SessionOptions o = options(settings)) {
            o.enableProfiling(dir.resolve("trace").toString());
            byte[] bytes = named.toByteArray();
            long t0 = System.nanoTime();
            try (OrtSession session = env.createSession(bytes, o)) {
                loadMs = (System.nanoTime() - t0) / 1e6;
                for (int r = 0; r < settings.warmup() + settings.runs(); r++) {
                    long s0 = System.nanoTime();
                    try (OrtSession.Result result = session.run(inputs)) {
                        if (r >= settings.warmup()) {
                            wall[r - settings.warmup()] = (System.nanoTime() - s0) / 1e6;
                        }
                    }
                }
                traceFile = session.endProfiling();
            }
        }
        try {
            Path trace = Path.of(traceFile);
            if (!trace.isAbsolute() && !Files.exists(trace)) {
                trace = dir.resolve(traceFile);
            }
            String json = Files.readString(trace, StandardCharsets.UTF_8);
            Files.deleteIfExists(trace);
            Map<String, Integer> producers = new HashMap<>();
            for (int i = 0; i < named.getGraph().getNodeCount(); i++) {
                for (String out : named.getGraph().getNode(i).getOutputList()) {
                    producers.putIfAbsent(out, i);
                }
            }
            return fromTrace(json, names, index, producers, settings.warmup(), settings.runs(), median(wall), loadMs);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** ONNX Runtime's NCHWc layout transformer names the node it makes after its first output: {@code <tensor>_nchwc}. */
    static final String NCHWC_SUFFIX = "_nchwc";
    /** ONNX Runtime's fusions (Gemm+Relu, Conv+activation) name the fused node {@code "fused " + <first node>}. */
    static final String FUSED_PREFIX = "fused ";

    /**
     * The model node a kernel's time belongs to, or null: the node of that name; the node a fusion started from
     * ({@code fused <name>}, made unique by ONNX Runtime with {@code _token_<n>} when taken); the producer of
     * {@code <tensor>} for {@code <tensor>_nchwc}. Without the fused names AlexNet's fc6 and fc7 (Gemm fused with
     * their Relu, 15 of its 37 ms here) had no time at all, on the client's emulated device and on the gateway.
     */
    static Integer attribute(String kernel, Map<String, Integer> index, Map<String, Integer> producers) {
        Integer node = index.get(kernel);
        if (node == null && kernel.startsWith(FUSED_PREFIX)) {
            String original = kernel.substring(FUSED_PREFIX.length());
            node = index.get(original);
            if (node == null) {
                java.util.regex.Matcher m = TOKEN.matcher(original);
                if (m.matches()) {
                    node = index.get(m.group(1));
                }
            }
        }
        if (node == null && kernel.endsWith(NCHWC_SUFFIX)) {
            node = producers.get(kernel.substring(0, kernel.length() - NCHWC_SUFFIX.length()));
        }
        return node;
    }

    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("(.*)_token_\\d+");

    /**
     * Parses an ONNX Runtime profile trace: node kernel events bucketed into model_run windows. A kernel named after
     * a model node counts for it; one that ONNX Runtime's layout transformer made from a node (named
     * {@code <output tensor>_nchwc}, a fused Conv+Relu being named after the Relu's output) counts for the node
     * producing that tensor in the model; one a fusion made ({@code fused <node>}) counts for the node it started
     * from; any other is unattributed (reorders between layouts and the like).
     */
    @SuppressWarnings("unchecked")
    static NodeProfile fromTrace(String json, List<String> names, Map<String, Integer> index,
            Map<String, Integer> producers, int warmup, int runs, double runMs, double loadMs) {
        Object parsed = Json.parse(json);
        if (!(parsed instanceof List<?> events)) {
            throw new IllegalArgumentException("an ONNX Runtime profile is a JSON array of events");
        }
        List<double[]> windows = new ArrayList<>(); // {ts, ts + dur}
        List<Map<String, Object>> kernels = new ArrayList<>();
        for (Object o : events) {
            if (!(o instanceof Map<?, ?> m)) {
                continue;
            }
            Map<String, Object> e = (Map<String, Object>) m;
            String cat = String.valueOf(e.get("cat"));
            String name = String.valueOf(e.get("name"));
            if (cat.equals("Session") && name.equals("model_run")) {
                double ts = num(e.get("ts"));
                windows.add(new double[] {ts, ts + num(e.get("dur"))});
            } else if (cat.equals("Node") && name.endsWith("_kernel_time")) {
                kernels.add(e);
            }
        }
        windows.sort((a, b) -> Double.compare(a[0], b[0]));
        if (windows.size() != warmup + runs) {
            throw new IllegalStateException("the profile has " + windows.size() + " model runs, expected "
                    + (warmup + runs));
        }
        double[][] perRun = new double[runs][names.size()];
        Map<String, double[]> other = new LinkedHashMap<>();
        for (Map<String, Object> e : kernels) {
            double ts = num(e.get("ts"));
            int run = -1;
            for (int w = 0; w < windows.size(); w++) {
                if (ts >= windows.get(w)[0] && ts <= windows.get(w)[1]) {
                    run = w;
                    break;
                }
            }
            if (run < warmup) {
                continue; // warm-up, or outside any run (session start)
            }
            String name = String.valueOf(e.get("name"));
            name = name.substring(0, name.length() - "_kernel_time".length());
            double ms = num(e.get("dur")) / 1000.0;
            Integer node = attribute(name, index, producers);
            if (node != null) {
                perRun[run - warmup][node] += ms;
            } else {
                other.computeIfAbsent(name, k -> new double[runs])[run - warmup] += ms;
            }
        }
        double[] nodeMs = new double[names.size()];
        double[] column = new double[runs];
        for (int i = 0; i < names.size(); i++) {
            for (int r = 0; r < runs; r++) {
                column[r] = perRun[r][i];
            }
            nodeMs[i] = median(column);
        }
        Map<String, Double> unattributed = new LinkedHashMap<>();
        other.forEach((k, v) -> unattributed.put(k, median(v)));
        return new NodeProfile(names, nodeMs, unattributed, runMs, loadMs, runs);
    }

    private static double num(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("expected a number in the profile, got " + o);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Session creation time of {@code model} (weights embedded), ms: the median of {@code repeats} loads. */
    public static double loadMs(OrtEnvironment env, ModelProto model, Settings settings, int repeats)
            throws OrtException {
        byte[] bytes = model.toByteArray();
        double[] ms = new double[Math.max(1, repeats)];
        try (OrtSession.SessionOptions o = options(settings)) {
            for (int r = 0; r < ms.length; r++) {
                long t0 = System.nanoTime();
                try (OrtSession s = env.createSession(bytes, o)) {
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        return median(ms);
    }

    /**
     * Per-part times of a cut plan: each non-empty part is loaded (timed), run {@code warmup + runs} times on the
     * tensors the earlier parts produced (median of the measured runs), and its outputs passed on.
     */
    public static List<PartTiming> timeParts(OrtEnvironment env, CutPlan plan, WeightSource weights,
            Map<String, ? extends OnnxTensorLike> inputs, Settings settings) throws OrtException {
        Map<String, OnnxTensorLike> map = new HashMap<>(inputs);
        List<OnnxTensor> owned = new ArrayList<>();
        List<PartTiming> out = new ArrayList<>();
        try (OrtSession.SessionOptions o = options(settings)) {
            for (Part part : plan.parts()) {
                if (part.isEmpty()) {
                    out.add(new PartTiming(part.index(), part.side(), part.units(), 0, 0));
                    continue;
                }
                Map<String, OnnxTensorLike> feed = new HashMap<>();
                for (String in : part.inputs()) {
                    OnnxTensorLike v = map.get(in);
                    if (v == null) {
                        throw new IllegalArgumentException(part + " needs '" + in + "', which is not available");
                    }
                    feed.put(in, v);
                }
                byte[] bytes = part.model(weights).toByteArray();
                long t0 = System.nanoTime();
                try (OrtSession session = env.createSession(bytes, o)) {
                    double load = (System.nanoTime() - t0) / 1e6;
                    double[] ms = new double[settings.runs()];
                    for (int r = 0; r < settings.warmup() + settings.runs(); r++) {
                        long s0 = System.nanoTime();
                        try (OrtSession.Result result = session.run(feed)) {
                            double took = (System.nanoTime() - s0) / 1e6;
                            if (r >= settings.warmup()) {
                                ms[r - settings.warmup()] = took;
                            }
                            if (r == settings.warmup() + settings.runs() - 1) {
                                for (String name : part.outputs()) {
                                    OnnxValue v = result.get(name).orElseThrow();
                                    OnnxTensor copy = Outputs.copy(env, (OnnxTensor) v);
                                    owned.add(copy);
                                    map.put(name, copy);
                                }
                            }
                        }
                    }
                    out.add(new PartTiming(part.index(), part.side(), part.units(), load, median(ms)));
                }
            }
        } finally {
            owned.forEach(OnnxTensor::close);
        }
        return out;
    }
}
