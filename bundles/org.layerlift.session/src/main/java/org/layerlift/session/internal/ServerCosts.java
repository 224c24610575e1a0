package org.layerlift.session.internal;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Stream;
import org.layerlift.model.runtime.NodeProfile;
import org.layerlift.model.runtime.OrtProfiler;
import org.layerlift.model.runtime.RandomInputs;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.Materializer;
import org.layerlift.model.surgery.Tensors;
import org.layerlift.model.surgery.Weights;

/**
 * The gateway's own per-unit costs of a model, measured once per {@link ModelLayout#key()} from the graph alone:
 * seeded random weights cost the same time as the real ones. Results are kept in memory and in
 * {@code <dir>/<layout key>.json}, so a known model plans at once, also after a restart. Measurements run one at a
 * time on the caller's executor.
 */
final class ServerCosts {

    /** Per-unit server run and load times, ms. */
    record Costs(@JsonProperty("server_ms") double[] serverMs, @JsonProperty("load_ms") double[] loadMs,
            @JsonProperty("measure_ms") double measureMs) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEPT = 256;

    private final Path dir;
    private final ExecutorService executor;
    private final int runs;
    private final int threads;
    private final Map<String, CompletableFuture<Costs>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Costs> known = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Costs> eldest) {
                    return size() > KEPT;
                }
            });

    ServerCosts(Path dir, ExecutorService executor, int runs, int threads) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.executor = executor;
        this.runs = runs;
        this.threads = threads;
    }

    /** The costs of a layout: at once when known, else once measured. */
    CompletableFuture<Costs> costs(ModelLayout layout) {
        Costs c = known.get(layout.key());
        if (c == null) {
            c = readFile(layout);
            if (c != null) {
                known.put(layout.key(), c);
            }
        }
        if (c != null) {
            return CompletableFuture.completedFuture(c);
        }
        return inFlight.computeIfAbsent(layout.key(), k -> {
            CompletableFuture<Costs> f = new CompletableFuture<>();
            try {
                executor.execute(() -> {
                    try {
                        Costs measured = measure(layout);
                        known.put(k, measured);
                        writeFile(layout, measured);
                        f.complete(measured);
                    } catch (Throwable t) {
                        f.completeExceptionally(t);
                    } finally {
                        inFlight.remove(k);
                    }
                });
            } catch (RejectedExecutionException e) {
                inFlight.remove(k);
                f.completeExceptionally(e);
            }
            return f;
        });
    }

    private Costs readFile(ModelLayout layout) {
        Path f = dir.resolve(layout.key() + ".json");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            Costs c = JSON.readValue(f.toFile(), Costs.class);
            if (c.serverMs() != null && c.loadMs() != null && c.serverMs().length == layout.unitCount()
                    && c.loadMs().length == layout.unitCount()) {
                return c;
            }
        } catch (IOException e) {
            // a torn or foreign file: measure again
        }
        return null;
    }

    private void writeFile(ModelLayout layout, Costs costs) throws IOException {
        Path tmp = dir.resolve(layout.key() + ".json.tmp");
        Files.write(tmp, JSON.writeValueAsBytes(costs));
        Files.move(tmp, dir.resolve(layout.key() + ".json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private Costs measure(ModelLayout layout) throws IOException, OrtException {
        long t0 = System.nanoTime();
        Path work = Files.createTempDirectory("layerlift-costs");
        try {
            // the client's graph names its own data files: never use them as paths, lay the weights out afresh
            ModelProto proto = relocate(layout.graph().proto(), "weights.bin");
            Path model = work.resolve("model.onnx");
            Files.write(model, proto.toByteArray());
            Materializer.materialize(proto, model, 1L);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtProfiler.Settings settings = new OrtProfiler.Settings(1, runs, threads,
                    OrtSession.SessionOptions.OptLevel.ALL_OPT);
            ModelProto embedded;
            try (ExternalDataWeights data = new ExternalDataWeights(model)) {
                embedded = Weights.embed(proto, data, layout.graph().name());
            }
            Map<String, Long> dims = new LinkedHashMap<>();
            layout.shapes().inputShapes().forEach((input, shape) -> {
                for (int i = 0; i < shape.length; i++) {
                    dims.put(input + ":" + i, shape[i]);
                }
            });
            NodeProfile nodes;
            Map<String, OnnxTensor> inputs = RandomInputs.create(env, proto, dims, 1L);
            try {
                nodes = OrtProfiler.profile(env, embedded, inputs, settings);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
            double[] server = nodes.perUnit(layout.groups());
            double wholeLoad = OrtProfiler.loadMs(env, embedded, settings, 1);
            // one load of the whole model, shared out by weight bytes: per-unit loads would cost a session each
            long total = 0;
            for (int u = 0; u < layout.unitCount(); u++) {
                total += layout.weights().bytes(u);
            }
            double[] load = new double[layout.unitCount()];
            for (int u = 0; u < load.length; u++) {
                load[u] = total == 0 ? 0 : wholeLoad * layout.weights().bytes(u) / total;
            }
            return new Costs(server, load, (System.nanoTime() - t0) / 1e6);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The model with every external tensor moved into one file, in graph order. */
    static ModelProto relocate(ModelProto model, String location) {
        ModelProto.Builder m = model.toBuilder();
        GraphProto.Builder g = m.getGraphBuilder();
        long offset = 0;
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (Tensors.isExternal(t)) {
                g.setInitializer(i, place(t, location, offset));
                offset += align(Tensors.byteLength(t));
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            for (int a = 0; a < n.getAttributeCount(); a++) {
                AttributeProto attr = n.getAttribute(a);
                if (attr.hasT() && Tensors.isExternal(attr.getT())) {
                    g.getNodeBuilder(i).getAttributeBuilder(a).setT(place(attr.getT(), location, offset));
                    offset += align(Tensors.byteLength(attr.getT()));
                }
            }
        }
        return m.build();
    }

    private static long align(long n) {
        return (n + 63) / 64 * 64;
    }

    private static TensorProto place(TensorProto t, String location, long offset) {
        return t.toBuilder().clearExternalData()
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length")
                        .setValue(Long.toString(Tensors.byteLength(t))))
                .build();
    }
}
