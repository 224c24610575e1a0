package org.layerlift.model.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.surgery.Materializer;

/**
 * The models the tests use: the stripped graphs of testdata/models (copied into target/test-work with seeded
 * weights materialised next to them) and the two real models the pom unpacks into target/test-models.
 */
final class TestModels {

    static final long SEED = 20260101L;

    /** A test model: where it is and the sizes of its symbolic input dimensions. */
    record Spec(String name, Path file, Map<String, Long> dims, boolean int8) {}

    static final List<String> STRIPPED = List.of("bvlc_alexnet", "googlenet", "inception_v3", "mobilenet_v2",
            "resnet18", "resnet50", "squeezenet1_1", "vgg16");

    private TestModels() {}

    static Path property(String key, String fallback) {
        return Path.of(System.getProperty(key, fallback)).toAbsolutePath().normalize();
    }

    static Path testdata() {
        return property("layerlift.testdata.models", "../../testdata/models");
    }

    static Path work() {
        return property("layerlift.test.work", "target/test-work");
    }

    static Path downloaded() {
        return property("layerlift.test.models", "target/test-models");
    }

    /** A stripped test model copied to target/test-work/models with its weights materialised (reused if there). */
    static synchronized Path materialized(String name) {
        try {
            Path dir = work().resolve("models");
            Files.createDirectories(dir);
            Path copy = dir.resolve(name + ".onnx");
            Files.copy(testdata().resolve(name + ".onnx"), copy, StandardCopyOption.REPLACE_EXISTING);
            Materializer.materialize(copy, SEED);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Spec spec(String name) {
        return switch (name) {
            case "ppocr_det" -> new Spec(name, downloaded().resolve("models/ch_PP-OCRv4_det_infer.onnx"),
                    Map.of("p2o.DynamicDimension.0", 1L, "p2o.DynamicDimension.1", 320L,
                            "p2o.DynamicDimension.2", 320L), false);
            case "minilm_q" -> new Spec(name, downloaded().resolve("all-minilm-l6-v2-q.onnx"),
                    Map.of("batch_size", 1L, "sequence_length", 16L), true);
            default -> new Spec(name, materialized(name), Map.of(), false);
        };
    }

    static ModelProto load(Path file) {
        try {
            return ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Coarse units: node-level units merged into runs of about {@code size}. */
    static List<List<Integer>> coarse(List<List<Integer>> nodeUnits, int size, long seed) {
        Random r = new Random(seed);
        List<List<Integer>> out = new ArrayList<>();
        int i = 0;
        while (i < nodeUnits.size()) {
            int len = Math.min(nodeUnits.size() - i, 1 + r.nextInt(Math.max(1, 2 * size - 1)));
            List<Integer> unit = new ArrayList<>();
            for (int k = i; k < i + len; k++) {
                unit.addAll(nodeUnits.get(k));
            }
            out.add(unit);
            i += len;
        }
        return out;
    }

    /**
     * {@code count} seeded plans over {@code n} units: the first ones fixed (a segment at the very start, at the very
     * end, both ends, everything on the server, two segments, a single unit in the middle), the rest random with 1 to
     * 4 segments.
     */
    static List<List<Segment>> plans(int n, int count, long seed) {
        Random r = new Random(seed);
        List<List<Segment>> plans = new ArrayList<>();
        int third = Math.max(0, n / 3);
        plans.add(List.of(new Segment(0, Math.max(0, third - 1))));
        plans.add(List.of(new Segment(Math.min(n - 1, 2 * third), n - 1)));
        if (n >= 3) {
            plans.add(List.of(new Segment(0, 0), new Segment(n - 1, n - 1)));
        }
        plans.add(List.of(new Segment(0, n - 1)));
        if (n >= 5) {
            plans.add(List.of(new Segment(1, n / 2 - 1), new Segment(n / 2 + 1, n - 2)));
        }
        plans.add(List.of(new Segment(n / 2, n / 2)));
        while (plans.size() < count) {
            int k = 1 + r.nextInt(Math.min(4, Math.max(1, n / 2)));
            // k disjoint segments: pick 2k sorted distinct cut points in [0, n]
            java.util.TreeSet<Integer> points = new java.util.TreeSet<>();
            while (points.size() < 2 * k) {
                points.add(r.nextInt(n + 1));
            }
            Integer[] p = points.toArray(new Integer[0]);
            List<Segment> plan = new ArrayList<>();
            for (int s = 0; s < k; s++) {
                int first = p[2 * s];
                int last = p[2 * s + 1] - 1;
                if (last >= first) {
                    plan.add(new Segment(first, last));
                }
            }
            if (!plan.isEmpty()) {
                plans.add(plan);
            }
        }
        return plans;
    }
}
