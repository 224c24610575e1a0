package org.layerlift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.partition.Segment;

class ModelVerifyCommandTest {

    static final Path SQUEEZENET = Cli.ROOT.resolve("testdata/models/squeezenet1_1.onnx");
    static final Path RESNET18 = Cli.ROOT.resolve("testdata/models/resnet18.onnx");
    static final Pattern ROW = Pattern.compile(" *(\\d+)  ((?:\\[\\d+\\.\\.\\d+\\] ?)+) +(\\d+) +(\\S+) +(\\S+)  (ok|ABOVE TOLERANCE)");

    @TempDir
    Path dir;

    /** The model alone in a fresh folder: its weights file is absent. */
    private Path alone(Path model) throws IOException {
        Path copy = dir.resolve(model.getFileName());
        Files.copy(model, copy);
        return copy;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void withoutWeightsItNamesTheMissingFileAndSuggestsMaterialize() throws IOException {
        Path model = alone(SQUEEZENET);
        Cli.Result r = Cli.run("model", "verify", model.toString());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("layerlift model verify: error: model squeezenet1_1.onnx: external data file "
                + dir.resolve("squeezenet1_1.weights") + " (location 'squeezenet1_1.weights' of tensor "), r.err());
        assertTrue(r.err().contains("does not exist: give --materialize"), r.err());
        assertTrue(r.noStackTrace(), r.err());
        assertEquals(List.of(model), files());
    }

    @Test
    void materializedSqueezenetPlansMatchTheWholeModel() throws IOException {
        Path model = alone(SQUEEZENET);
        Cli.Result r = Cli.run("model", "verify", model.toString(), "--materialize", "--plans", "7", "--seed", "3");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("model squeezenet1_1.onnx: 23 dominator units, input input [1,3,224,224]", lines.get(0));
        assertTrue(lines.get(1).startsWith("weights: seeded random (seed 3, 4.7 MiB) in a temporary copy, since "
                + "external data file"), lines.get(1));
        assertEquals("check: max |cut - whole| <= 1.0e-04 (float model)", lines.get(2));
        int rows = 0;
        boolean multi = false;
        boolean first = false;
        boolean last = false;
        for (String line : lines) {
            Matcher m = ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            rows++;
            String[] segments = m.group(2).trim().split(" ");
            multi |= segments.length >= 2;
            first |= segments[0].startsWith("[0..");
            last |= segments[segments.length - 1].endsWith("..22]");
            assertEquals("ok", m.group(6), line);
            assertTrue(Double.parseDouble(m.group(4)) <= 1e-4, line);
        }
        assertEquals(7, rows, r.out());
        assertTrue(multi && first && last, r.out());
        assertTrue(lines.get(lines.size() - 1).startsWith("7 plans (") && lines.get(lines.size() - 1)
                .contains("all within tolerance"), lines.get(lines.size() - 1));
        // the weights went into a temporary copy, not next to the model
        assertEquals(List.of(model), files());
    }

    @Test
    void aPlanAboveTheToleranceExitsWithOne() throws IOException {
        Path model = alone(RESNET18);
        // node units of resnet18: the first plan's cut changes ONNX Runtime's fusions a little (about 1e-6)
        String[] args = {"model", "verify", model.toString(), "--materialize", "--plans", "1", "--granularity", "node"};
        Cli.Result ok = Cli.run(args);
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        Matcher m = ROW.matcher(ok.out().lines().filter(l -> ROW.matcher(l).matches()).findFirst().orElseThrow());
        assertTrue(m.matches());
        double diff = Double.parseDouble(m.group(4));
        assertTrue(diff > 0 && diff <= 1e-4, ok.out());
        String[] strict = Stream.concat(Stream.of(args), Stream.of("--tolerance", "1e-9")).toArray(String[]::new);
        Cli.Result failed = Cli.run(strict);
        assertEquals(1, failed.exitCode(), failed.out() + failed.err());
        assertTrue(failed.out().contains("ABOVE TOLERANCE"), failed.out());
        assertTrue(failed.out().contains("check: max |cut - whole| <= 1.0e-09 (float model)"), failed.out());
        assertEquals("layerlift model verify: 1 of 1 plans differ from the whole model by more than the tolerance\n",
                failed.err().replace("\r\n", "\n"));
        // a relative tolerance alone replaces the absolute default
        String[] relative = Stream.concat(Stream.of(args), Stream.of("--relative-tolerance", "1e-3"))
                .toArray(String[]::new);
        Cli.Result rel = Cli.run(relative);
        assertEquals(0, rel.exitCode(), rel.out() + rel.err());
        assertTrue(rel.out().contains("check: max |cut - whole| / max |whole| <= 1.0e-03 (float model)"), rel.out());
    }

    @Test
    void commandLineErrors() throws IOException {
        Path model = alone(SQUEEZENET);
        String[][] cases = {
            {"--plans", "0"}, {"--plans", "x"}, {"--tolerance", "-1"}, {"--relative-tolerance", "NaN"},
            {"--seed", "1.5"}, {"--threads", "-2"}, {"--granularity", "layer"}};
        for (String[] c : cases) {
            String[] args = Stream.concat(Stream.of("model", "verify", model.toString()), Stream.of(c))
                    .toArray(String[]::new);
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.exitCode(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.isShortUsageError("model verify"), r.err());
            assertTrue(r.noStackTrace(), r.err());
        }
        Cli.Result missing = Cli.run("model", "verify", dir.resolve("nope.onnx").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().startsWith("layerlift model verify: error: Model " + dir.resolve("nope.onnx")
                + ": no such file"), missing.err());
        assertTrue(missing.isShortUsageError("model verify"), missing.err());
        Cli.Result notOnnx = Cli.run("model", "verify", Cli.ALEXNET);
        assertEquals(1, notOnnx.exitCode());
        assertTrue(notOnnx.err().contains("not an ONNX model"), notOnnx.err());
    }

    @Test
    void plansAreSeededDistinctAndCoverTheEdges() {
        List<List<Segment>> plans = VerifyPlans.plans(23, 30, 5);
        assertEquals(30, plans.size());
        assertEquals(30, new HashSet<>(plans).size());
        assertEquals(plans, VerifyPlans.plans(23, 30, 5));
        assertFalse(plans.equals(VerifyPlans.plans(23, 30, 6)));
        assertEquals(List.of(new Segment(0, 6), new Segment(16, 22)), plans.get(0));
        for (List<Segment> plan : plans) {
            for (int i = 0; i < plan.size(); i++) {
                assertTrue(plan.get(i).last() < 23);
                assertTrue(i == 0 || plan.get(i).first() > plan.get(i - 1).last(), plan.toString());
            }
        }
        assertTrue(plans.stream().filter(p -> p.size() >= 2).count() >= 5);
        assertEquals(List.of(List.of(new Segment(0, 0))), VerifyPlans.plans(1, 10, 1));
        // two units have exactly four plans: [0], [1], [0..1] and [0] [1]
        assertEquals(4, VerifyPlans.plans(2, 10, 1).size());
    }
}
