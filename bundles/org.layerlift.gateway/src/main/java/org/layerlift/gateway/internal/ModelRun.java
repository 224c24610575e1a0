package org.layerlift.gateway.internal;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.layerlift.api.inference.SegmentExecutor;
import org.layerlift.api.inference.SegmentSpec;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;
import org.layerlift.model.runtime.RandomInputs;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.MissingWeightException;
import org.layerlift.model.surgery.Weights;

/**
 * {@code layerlift:ort <model.onnx> [runs]}: a whole model through the gateway's own segment executor — built with its
 * weights (embedded, or external data files next to it), run on seeded inputs of its input shapes, timed. Plain
 * logic over the {@link SegmentExecutor} API, so a test drives it with a real executor and no framework.
 */
final class ModelRun {

    private ModelRun() {}

    static String run(SegmentExecutor executor, String file, int runs) {
        if (runs < 1 || runs > 1000) {
            return "runs must be 1..1000, got " + runs + "\n";
        }
        Path path = Path.of(file).toAbsolutePath();
        ModelProto model;
        try {
            model = ModelProto.parseFrom(Files.readAllBytes(path));
            if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
                return path + " is not an ONNX model (no graph nodes)\n";
            }
        } catch (NoSuchFileException e) {
            return "no such file: " + path + "\n";
        } catch (InvalidProtocolBufferException e) {
            return path + " is not an ONNX model: " + e.getMessage() + "\n";
        } catch (IOException e) {
            return "cannot read " + path + ": " + e.getMessage() + "\n";
        }
        byte[] graph;
        try (ExternalDataWeights weights = new ExternalDataWeights(path)) {
            graph = Weights.embed(model, weights, path.getFileName().toString()).toByteArray();
        } catch (MissingWeightException e) {
            return path + ": " + e.getMessage() + " (a model stripped of its weights: put its external data next to it)"
                    + "\n";
        } catch (IOException | RuntimeException e) {
            return path + ": its weights cannot be read: " + e.getMessage() + "\n";
        }
        String key = "layerlift-ort/" + path.getFileName() + "/" + System.nanoTime();
        try {
            long t0 = System.nanoTime();
            executor.prepare(new SegmentSpec(key, graph, 0, Map::of));
            double buildMs = (System.nanoTime() - t0) / 1e6;
            List<TensorSpec> specs = executor.inputs(key);
            List<TensorData> inputs = RandomInputs.tensors(specs, 1L);
            double[] ms = new double[runs];
            List<TensorData> outputs = null;
            for (int i = 0; i < runs; i++) {
                long r0 = System.nanoTime();
                outputs = executor.run(key, inputs).toCompletableFuture().get(5, TimeUnit.MINUTES);
                ms[i] = (System.nanoTime() - r0) / 1e6;
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%s: built in %.1f ms; %d run%s: first %.2f ms, median %.2f ms%n",
                    path.getFileName(), buildMs, runs, runs == 1 ? "" : "s", ms[0], sorted[runs / 2]));
            for (TensorSpec s : specs) {
                out.append("  input  ").append(s.name()).append(' ').append(Arrays.toString(s.shape())).append('\n');
            }
            for (TensorData t : outputs) {
                out.append("  output ").append(t.name()).append(' ').append(Arrays.toString(t.shape())).append('\n');
            }
            return out.toString();
        } catch (java.util.concurrent.ExecutionException e) {
            return path.getFileName() + ": the run failed: " + e.getCause().getMessage() + "\n";
        } catch (java.util.concurrent.TimeoutException e) {
            return path.getFileName() + ": no answer within 5 minutes\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted\n";
        } catch (Exception e) {
            return path.getFileName() + ": " + e.getMessage() + "\n";
        } finally {
            executor.release(key);
        }
    }
}
