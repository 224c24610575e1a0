package org.layerlift.model.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.units.GraphUnit;
import org.layerlift.model.units.UnitGrouping;

/**
 * Times import (parse + DAG + weights), shape inference (activation sizes, FLOPs) and both groupings for every test
 * model. Cold = the first run of each model in this JVM (class loading, JIT), in the listed order; warm = median of
 * the next runs. Not a unit test: run it by hand (docs/onnx-import.md):
 *
 * <pre>
 * mvn -o -q -pl bundles/org.layerlift.model -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * M=bundles/org.layerlift.model
 * java -cp "$M/target/test-classes:$M/target/classes:$(cat $M/target/cp.txt)" \
 *     org.layerlift.model.bench.ImportBenchmark testdata/models $M/target/test-models [runs]
 * </pre>
 */
public final class ImportBenchmark {

    private record Case(String file, String shape) {
    }

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "testdata/models");
        Path real = Path.of(args.length > 1 ? args[1] : "bundles/org.layerlift.model/target/test-models");
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        List<Case> cases = new ArrayList<>();
        for (String f : List.of("inception_v3.onnx", "bvlc_alexnet.onnx", "googlenet.onnx", "mobilenet_v2.onnx",
                "resnet18.onnx", "resnet50.onnx", "squeezenet1_1.onnx", "vgg16.onnx")) {
            cases.add(new Case(shared.resolve(f).toString(), ""));
        }
        cases.add(new Case(real.resolve("models/ch_PP-OCRv4_det_infer.onnx").toString(), "1,3,640,640"));
        cases.add(new Case(real.resolve("all-minilm-l6-v2-q.onnx").toString(), "batch_size=1,sequence_length=128"));
        System.out.printf(Locale.ROOT, "%-28s %6s %5s %5s %9s %9s %9s %9s %9s%n", "model", "nodes", "dom", "node",
                "cold ms", "warm ms", "import", "shapes", "units");
        for (Case c : cases) {
            Path file = Path.of(c.file());
            if (!Files.isRegularFile(file)) {
                System.out.println(file + ": missing (run mvn ... test-compile first)");
                continue;
            }
            double[] cold = once(file, c.shape());
            double[][] warm = new double[runs][];
            for (int i = 0; i < runs; i++) {
                warm[i] = once(file, c.shape());
            }
            OnnxGraph g = OnnxGraph.load(file);
            GraphShapes s = GraphShapes.infer(g, InputShapes.parse(c.shape()));
            List<GraphUnit> dom = UnitGrouping.dominators(g, s);
            List<GraphUnit> nodes = UnitGrouping.nodes(g, s);
            System.out.printf(Locale.ROOT, "%-28s %6d %5d %5d %9.1f %9.1f %9.1f %9.1f %9.1f%n",
                    file.getFileName(), g.size(), dom.size(), nodes.size(), cold[3], median(warm, 3),
                    median(warm, 0), median(warm, 1), median(warm, 2));
        }
    }

    /** Milliseconds of import, shapes, units (both groupings) and the total. */
    private static double[] once(Path file, String shape) {
        long t0 = System.nanoTime();
        OnnxGraph g = OnnxGraph.load(file);
        long t1 = System.nanoTime();
        GraphShapes s = GraphShapes.infer(g, InputShapes.parse(shape));
        long t2 = System.nanoTime();
        int n = UnitGrouping.dominators(g, s).size() + UnitGrouping.nodes(g, s).size();
        long t3 = System.nanoTime();
        if (n == 0) {
            throw new IllegalStateException();
        }
        return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t3 - t0) / 1e6};
    }

    private static double median(double[][] runs, int column) {
        double[] v = Arrays.stream(runs).mapToDouble(r -> r[column]).sorted().toArray();
        return v[v.length / 2];
    }
}
