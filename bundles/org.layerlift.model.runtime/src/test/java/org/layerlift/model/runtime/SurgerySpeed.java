package org.layerlift.model.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.surgery.CutPlan;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.ModelCutter;
import org.layerlift.model.surgery.Part;
import org.layerlift.model.surgery.Tensors;
import org.layerlift.model.surgery.WeightSource;

/**
 * How long building the two sides of a plan takes, weight I/O excluded: per model, the weights are read into memory
 * first; then for 20 seeded plans over node-level units (and 20 over coarse units) it times {@code cutter.cut}
 * plus {@code part.model(weights)} for every part (client and server), after 5 warm-up plans. Also prints the time
 * to serialise the parts to bytes (a copy of all weights: I/O-like, reported apart) and to index the model.
 *
 * A harness, not a test (timings belong in docs/surgery.md, not in assertions); run it from the module folder as
 * docs/surgery.md shows (test class path, working directory bundles/org.layerlift.model.runtime).
 */
public final class SurgerySpeed {

    /** One model's numbers, ms. */
    record Row(String model, int nodes, double indexMs, double medianBuildMs, double maxBuildMs,
            double medianSerializeMs) {}

    public static void main(String[] args) throws Exception {
        System.out.printf("%-14s %6s %9s %13s %10s %17s%n", "model", "nodes", "index ms", "build median",
                "build max", "serialise median");
        for (Row r : measureAll()) {
            System.out.printf("%-14s %6d %9.2f %13.2f %10.2f %17.1f%n", r.model(), r.nodes(), r.indexMs(),
                    r.medianBuildMs(), r.maxBuildMs(), r.medianSerializeMs());
        }
    }

    static List<Row> measureAll() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String name : ExactnessTest.models().toList()) {
            rows.add(measure(name));
        }
        return rows;
    }

    static Row measure(String name) throws Exception {
        TestModels.Spec spec = TestModels.spec(name);
        ModelProto model = TestModels.load(spec.file());
        // weight I/O, excluded: every external tensor in memory
        Map<String, ByteString> all = new HashMap<>();
        try (ExternalDataWeights file = new ExternalDataWeights(spec.file())) {
            for (TensorProto t : model.getGraph().getInitializerList()) {
                if (Tensors.isExternal(t)) {
                    all.put(t.getName(), file.bytes(t));
                }
            }
        }
        WeightSource memory = WeightSource.of("weights in memory", all);
        long t0 = System.nanoTime();
        ModelCutter cutter = new ModelCutter(model, name);
        double indexMs = (System.nanoTime() - t0) / 1e6;
        List<List<Integer>> nodeUnits = cutter.nodeUnits();
        List<List<Integer>> coarse = TestModels.coarse(nodeUnits, Math.max(2, nodeUnits.size() / 12), 7);
        List<Double> build = new ArrayList<>();
        List<Double> serialize = new ArrayList<>();
        int warm = 5;
        for (List<List<Integer>> units : List.of(nodeUnits, coarse)) {
            List<List<Segment>> plans = TestModels.plans(units.size(), 20 + warm, 99);
            for (int i = 0; i < plans.size(); i++) {
                long b0 = System.nanoTime();
                CutPlan plan = cutter.cut(units, plans.get(i));
                List<ModelProto> built = new ArrayList<>();
                for (Part p : plan.parts()) {
                    built.add(p.model(memory));
                }
                long b1 = System.nanoTime();
                long bytes = 0;
                for (ModelProto m : built) {
                    bytes += m.toByteArray().length;
                }
                long b2 = System.nanoTime();
                if (i >= warm && bytes > 0) {
                    build.add((b1 - b0) / 1e6);
                    serialize.add((b2 - b1) / 1e6);
                }
            }
        }
        return new Row(name, cutter.nodeCount(), indexMs, median(build), build.stream().mapToDouble(d -> d).max()
                .orElse(Double.NaN), median(serialize));
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(d -> d).toArray();
        Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2]
                : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
