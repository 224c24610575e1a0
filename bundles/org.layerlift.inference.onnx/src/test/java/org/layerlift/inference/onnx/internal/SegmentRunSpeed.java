package org.layerlift.inference.onnx.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.layerlift.api.inference.SegmentSpec;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.Part;

/**
 * What the executor costs over a bare ORT run: the middle third of resnet18's dominator units as a server segment,
 * run {@value #RUNS} times one after the other (after {@value #WARMUP} warm-up runs) (a) with plain ORT on a session
 * of the same part with its weights embedded, tensors in hand, and (b) through {@link SegmentRuntime} from
 * {@link TensorData} to {@link TensorData} (validation, queue hand-off, input and output copies). Both use one
 * intra-op thread. Also times building the session both ways (external initializers vs embedded weights).
 *
 * A harness, not a test: numbers belong in docs/executor.md, not in assertions. Run it as docs/executor.md shows.
 */
public final class SegmentRunSpeed {

    static final int WARMUP = 10;
    static final int RUNS = 50;
    static final int BUILDS = 5;

    public static void main(String[] args) throws Exception {
        SegmentModels.Model model = SegmentModels.model("resnet18");
        int n = model.units().size();
        Segment middle = new Segment(n / 3, 2 * n / 3);
        CutPlan plan = model.cut(List.of(middle));
        Part part = plan.serverParts().get(0);
        OrtEnvironment env = OrtEnvironment.getEnvironment();

        // the segment's real input: the client part before it run on seeded model inputs
        Map<String, OnnxTensor> modelInputs = model.inputs(SegmentModels.SEED);
        Map<String, OnnxTensor> feed = new HashMap<>();
        try (SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults().withWorkers(1))) {
            SegmentModels.prepare(executor, model, plan, "speed/");
            String key = SegmentModels.key("speed/", part);
            Map<String, OnnxTensor> all = activationsBefore(executor, model, plan, modelInputs);
            for (String in : part.inputs()) {
                feed.put(in, all.get(in));
            }
            List<TensorData> data = new ArrayList<>();
            for (String in : part.inputs()) {
                data.add(TensorConversion.fromOnnx(in, feed.get(in)));
            }

            byte[] embedded;
            try (ExternalDataWeights w = new ExternalDataWeights(model.file())) {
                embedded = part.model(w).toByteArray();
            }
            double[] raw = new double[RUNS];
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                try (OrtSession session = env.createSession(embedded, options)) {
                    for (int i = -WARMUP; i < RUNS; i++) {
                        long t0 = System.nanoTime();
                        try (OrtSession.Result r = session.run(feed)) {
                            if (i >= 0) {
                                raw[i] = (System.nanoTime() - t0) / 1e6;
                            }
                        }
                    }
                }
            }
            double[] through = new double[RUNS];
            List<TensorData> outputs = List.of();
            for (int i = -WARMUP; i < RUNS; i++) {
                long t0 = System.nanoTime();
                outputs = executor.run(key, data).toCompletableFuture().get(60, TimeUnit.SECONDS);
                if (i >= 0) {
                    through[i] = (System.nanoTime() - t0) / 1e6;
                }
            }

            SegmentSpec spec = model.spec("build", part);
            double[] external = new double[BUILDS];
            double[] embedding = new double[BUILDS];
            SessionBuilder externalBuilder = new SessionBuilder(env, 1);
            SessionBuilder embeddingBuilder = new SessionBuilder(env, 1, SessionBuilder.WeightPassing.EMBEDDED);
            for (int i = 0; i < BUILDS; i++) {
                // both read the weights from the data file through the spec
                long t0 = System.nanoTime();
                externalBuilder.build(spec).close();
                external[i] = (System.nanoTime() - t0) / 1e6;
                t0 = System.nanoTime();
                embeddingBuilder.build(spec).close();
                embedding[i] = (System.nanoTime() - t0) / 1e6;
            }

            long inBytes = data.stream().mapToLong(TensorData::byteSize).sum();
            System.out.printf("resnet18 units %d..%d of %d: %d nodes, %.1f MiB weights, input %s (%.2f MiB)%n",
                    middle.first(), middle.last(), n, part.nodes().size(), part.externalBytes() / 1048576.0,
                    data.get(0), inBytes / 1048576.0);
            System.out.printf("outputs %s (%.2f MiB)%n", outputs,
                    outputs.stream().mapToLong(TensorData::byteSize).sum() / 1048576.0);
            System.out.printf("median of %d runs: raw ORT %.2f ms, through the executor %.2f ms, overhead %.2f ms"
                    + " (%.1f %%)%n", RUNS, median(raw), median(through), median(through) - median(raw),
                    100 * (median(through) - median(raw)) / median(raw));
            System.out.printf("session build, median of %d: external initializers %.1f ms, embedded weights %.1f ms"
                    + "%n", BUILDS, median(external), median(embedding));
            all.values().forEach(OnnxTensor::close);
        } finally {
            SegmentModels.closeAll(modelInputs);
        }
    }

    /** Every tensor the parts before the server part produce (and the model inputs). */
    private static Map<String, OnnxTensor> activationsBefore(SegmentRuntime executor, SegmentModels.Model model,
            CutPlan plan, Map<String, OnnxTensor> modelInputs) throws Exception {
        CutPlan prefix = new CutPlan(plan.modelName(), plan.unitCount(), plan.segments(), plan.modelInputs(),
                plan.parts().get(0).outputs(), List.of(plan.parts().get(0)));
        Map<String, OnnxTensor> out = SegmentModels.run(executor, model, prefix, "speed/", modelInputs);
        return out;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
