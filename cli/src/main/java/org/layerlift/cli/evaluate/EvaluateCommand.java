package org.layerlift.cli.evaluate;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.cli.CliException;
import org.layerlift.cli.ExitCodes;
import org.layerlift.cli.ModelWeights;
import org.layerlift.cli.ProfileLoader;
import org.layerlift.cli.offload.DemoGateway;
import org.layerlift.cli.offload.OffloadReport;
import org.layerlift.cli.offload.OffloadRun;
import org.layerlift.cli.offload.Pacing;
import org.layerlift.cli.offload.RunOptions;
import org.layerlift.cli.offload.StopRule;
import org.layerlift.client.Bandwidth;
import org.layerlift.client.DeviceEmulation;
import org.layerlift.model.onnx.OnnxGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code layerlift evaluate}: the real system against the simulator. Starts the exported gateway once (embedded broker,
 * a temporary folder), and for every model, bandwidth and strategy offloads the model with weights of a seed of its
 * own, so the gateway's store holds none of them (a cold store for every run, on a warm gateway), under a link of
 * that bandwidth and a device as fast as the measurement sets' phone. Writes every run's report, the tables
 * (real mean latency during the upload next to the simulator's prediction for the same first plan and profiles, the
 * ranking both ways, the gain over IONN) into the generated part of {@code results-real.md}, and a plot per model.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures the real system against the simulator (docs/results-real.md): starts the exported "
                + "gateway, offloads each model at each bandwidth with each strategy (cold store: fresh seeded weights "
                + "per run; back-to-back queries; every answer verified), and writes the tables and plots.",
                "Device: as fast as the shared measurement sets' phone (AlexNet, GoogLeNet: their local time; other "
                        + "models: the GoogLeNet set's speed relative to this machine), unless --slowdown is given."},
        footer = {"", "Exit codes: 0 done (every run answered correctly), 1 a failed run or a wrong answer, 2 wrong "
                + "command line."})
public final class EvaluateCommand implements Callable<Integer> {

    static final String INDEX = "results-real-runs/index.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Spec
    CommandSpec spec;

    @Option(names = "--model", split = ",", paramLabel = "<model>",
            defaultValue = "bvlc_alexnet,googlenet,resnet50",
            description = "Models: names in testdata/models or files (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--bandwidth", split = ",", paramLabel = "<rate>", converter = RunOptions.BandwidthConverter.class,
            defaultValue = "10mbit,40mbit,160mbit", description = "Links (default: ${DEFAULT-VALUE}).")
    List<Bandwidth> bandwidths;

    @Option(names = "--strategy", split = ",", paramLabel = "<name>", defaultValue = "ionn,efficiency,frontier",
            description = "Strategies installed on the gateway (default: ${DEFAULT-VALUE}).")
    List<String> strategies;

    @Option(names = "--slowdown", paramLabel = "<F>",
            description = "Emulate a device F times slower than this machine for every model (default: the phone's "
                    + "speed, see above).")
    Double slowdown;

    @Option(names = "--client-profile", paramLabel = "<model>=<profile.json>",
            description = "Also run MODEL with the per-unit client times of this profile (its unit count must match "
                    + "the model's grouping), e.g. bvlc_alexnet=profiles/bvlc_alexnet.phone.json. Repeatable.")
    Map<String, Path> clientProfiles = new LinkedHashMap<>();

    @Option(names = "--client-profile-bandwidth", split = ",", paramLabel = "<rate>",
            converter = RunOptions.BandwidthConverter.class,
            description = "Links of the --client-profile runs (default: those of --bandwidth).")
    List<Bandwidth> profileBandwidths;

    @Option(names = "--queries-after-upload", paramLabel = "<N>", defaultValue = "5",
            description = "Queries after each upload is done (default: ${DEFAULT-VALUE}).")
    int queriesAfterUpload;

    @Option(names = "--repeat", paramLabel = "<N>", defaultValue = "1",
            description = "Runs per case (model, bandwidth, strategy, device), each with weights of its own; the "
                    + "tables give their means (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--out", paramLabel = "<dir>", defaultValue = "docs",
            description = "Where results-real.md (its generated part), results-real.json, results-real-<model>.png "
                    + "and results-real-runs/ go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--gateway-jar", paramLabel = "<gateway.jar>",
            description = "The exported gateway (default: <repository>/runtime/target/gateway.jar).")
    Path gatewayJar;

    @Option(names = "--seed", paramLabel = "<S>", defaultValue = "1000",
            description = "First weight seed; run k uses S + k (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rerender", description = "Run nothing: rebuild the tables and plots from "
            + "<out>/results-real-runs/.")
    boolean rerender;

    @Option(names = "--startup-timeout", paramLabel = "<s>", defaultValue = "180",
            description = "How long to wait for the gateway to serve (default: ${DEFAULT-VALUE} s).")
    double startupTimeoutS;

    /** A run as indexed on disk: what was asked and where its report is. */
    record Indexed(@JsonProperty("model") String model, @JsonProperty("bandwidth_mbps") double mbps,
            @JsonProperty("strategy") String strategy, @JsonProperty("device") String device,
            @JsonProperty("slowdown") double slowdown, @JsonProperty("report") String report,
            @JsonProperty("error") String error, @JsonProperty("repeat") Integer repeat) {}

    @Override
    public Integer call() throws IOException {
        check();
        Path runsDir = Files.createDirectories(out.resolve("results-real-runs"));
        PrintWriter console = spec.commandLine().getOut();
        List<Evaluation.Run> runs = rerender ? load(out) : merge(Files.isRegularFile(out.resolve(INDEX)) ? load(out)
                : List.of(), measure(runsDir, console));
        if (!rerender) {
            List<Indexed> index = new ArrayList<>();
            for (Evaluation.Run r : runs) {
                index.add(new Indexed(r.model(), r.mbps(), r.strategy(), r.device(), r.slowdown(),
                        r.report() == null ? null : fileName(r), r.error(), r.repeat()));
            }
            JSON.writeValue(out.resolve(INDEX).toFile(), index);
        }
        Evaluation.Results results = Evaluation.evaluate(runs);
        JSON.writeValue(out.resolve("results-real.json").toFile(), results);
        Path md = out.resolve("results-real.md");
        Files.writeString(md, GeneratedSection.replace(Files.isRegularFile(md) ? Files.readString(md) : null,
                Evaluation.markdown(results)));
        List<Double> mbps = bandwidthsOf(runs);
        for (Map.Entry<String, List<Evaluation.Run>> e : Evaluation.byModel(runs).entrySet()) {
            // a panel per case: its first run
            List<Evaluation.Run> slowdownRuns = e.getValue().stream().filter(r -> !r.device().startsWith("profile")
                    && r.repeat() == 1).toList();
            if (!slowdownRuns.isEmpty()) {
                EvaluationPlot.write(out.resolve("results-real-" + e.getKey() + ".png"), e.getKey(), slowdownRuns,
                        mbps, strategiesOf(slowdownRuns));
            }
            List<Evaluation.Run> profileRuns = e.getValue().stream().filter(r -> r.device().startsWith("profile")
                    && r.repeat() == 1).toList();
            if (!profileRuns.isEmpty()) {
                EvaluationPlot.write(out.resolve("results-real-" + e.getKey() + "-profile.png"), e.getKey()
                        + " (" + profileRuns.get(0).device() + ")", profileRuns, mbps, strategiesOf(profileRuns));
            }
        }
        console.print(Evaluation.markdown(results));
        console.println("Wrote " + md + ", " + out.resolve("results-real.json") + " and the plots");
        console.flush();
        boolean bad = results.rows().stream().anyMatch(r -> r.realMs() == null
                || (r.mismatches() != null && r.mismatches() > 0));
        return bad ? ExitCodes.INPUT : ExitCodes.OK;
    }

    private void check() {
        if (!Files.isDirectory(out)) {
            throw new ParameterException(spec.commandLine(), "--out " + out + ": no such directory");
        }
        if (slowdown != null && !(slowdown >= 1 && slowdown <= 10_000)) {
            throw new ParameterException(spec.commandLine(), "--slowdown must be between 1 and 10000, got " + slowdown);
        }
        if (repeat < 1 || repeat > 20) {
            throw new ParameterException(spec.commandLine(), "--repeat must be 1..20, got " + repeat);
        }
        if (queriesAfterUpload < 1 || queriesAfterUpload > 1000) {
            throw new ParameterException(spec.commandLine(), "--queries-after-upload must be 1..1000");
        }
        for (Map.Entry<String, Path> e : clientProfiles.entrySet()) {
            if (!Files.isRegularFile(e.getValue())) {
                throw new ParameterException(spec.commandLine(), "--client-profile " + e.getKey() + "=" + e.getValue()
                        + ": no such file");
            }
        }
        if (rerender && !Files.isRegularFile(out.resolve(INDEX))) {
            throw new ParameterException(spec.commandLine(), "--rerender: no " + out.resolve(INDEX)
                    + " (run without --rerender first)");
        }
    }

    private List<Evaluation.Run> measure(Path runsDir, PrintWriter console) {
        Path jar = gatewayJar != null ? gatewayJar : root().resolve("runtime/target/gateway.jar");
        List<Evaluation.Run> runs = new ArrayList<>();
        Map<String, Double> nativeLocalMs = new HashMap<>();
        long[] nextSeed = {seed};
        console.println("starting the gateway " + jar + " ...");
        console.flush();
        try (DemoGateway gateway = DemoGateway.start(jar)) {
            gateway.awaitServing((long) (startupTimeoutS * 1000));
            console.println("gateway serving on " + gateway.uri() + " (log: " + gateway.log() + ")");
            console.flush();
            double top = bandwidths.stream().mapToDouble(Bandwidth::mbps).max().orElse(40);
            for (String name : models) {
                Path file = org.layerlift.cli.offload.DemoCommand.resolveModel(name);
                String model = label(file);
                double local = warmUp(gateway, file, model, Bandwidth.parse(fmt(top, 0) + "mbit"), runsDir,
                        nextSeed, console);
                nativeLocalMs.put(model, local);
                double f = slowdown != null ? slowdown : phoneSlowdown(model, local, nativeLocalMs, gateway,
                        runsDir, nextSeed, console, top);
                String device = String.format(Locale.ROOT, "%.1fx slower (%s)", f, slowdown != null ? "--slowdown"
                        : phoneOf(model) + " phone");
                for (Bandwidth b : bandwidths) {
                    for (int k = 1; k <= repeat; k++) {
                        for (String strategy : strategies) {
                            runs.add(run(gateway, file, model, b, strategy, DeviceEmulation.slowdown(f), device, f,
                                    runsDir, nextSeed, console, k));
                        }
                    }
                }
                Path profile = clientProfiles.get(name) != null ? clientProfiles.get(name) : clientProfiles.get(model);
                if (profile != null) {
                    CostProfile p = ProfileLoader.load(profile);
                    DeviceEmulation d = DeviceEmulation.profile(p.units().stream().map(UnitCost::clientMs).toList(),
                            p.clientOnlyMs());
                    String device2 = "profile " + profile.getFileName();
                    for (Bandwidth b : profileBandwidths != null ? profileBandwidths : bandwidths) {
                        for (int k = 1; k <= repeat; k++) {
                            for (String strategy : strategies) {
                                runs.add(run(gateway, file, model, b, strategy, d, device2, 0, runsDir, nextSeed,
                                        console, k));
                            }
                        }
                    }
                }
            }
            keepBuilds(gateway.log(), runsDir.resolve("gateway-builds.log"));
        }
        return runs;
    }

    /**
     * The gateway's segment builds of this evaluation (how long each took, what the profile charged), appended to
     * {@code to} under a line naming the evaluation: what explains a partition ready later than predicted.
     */
    private void keepBuilds(Path log, Path to) {
        try (java.util.stream.Stream<String> lines = java.nio.file.Files.lines(log)) {
            List<String> kept = new ArrayList<>();
            kept.add("# evaluate " + java.time.Instant.now() + ": " + String.join(",", models) + " at "
                    + bandwidths.stream().map(b -> fmt(b.mbps(), 0) + "mbit").collect(java.util.stream.Collectors
                            .joining(",")));
            lines.filter(l -> l.contains(" built in ")).forEach(kept::add);
            java.nio.file.Files.write(to, kept, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // the runs stand without it
        }
    }

    /** A first run of the model (not counted): the gateway measures its server costs; the native local time. */
    private double warmUp(DemoGateway gateway, Path file, String model, Bandwidth b, Path runsDir, long[] nextSeed,
            PrintWriter console) {
        console.println(model + ": warm-up run at " + b + " (measures the gateway's server costs and this machine's "
                + "local time) ...");
        console.flush();
        OffloadReport r = offload(gateway, file, model, b, "frontier", DeviceEmulation.none(), "no device emulation",
                StopRule.afterUpload(3), false, runsDir.resolve(model + "_warm-up.log"), nextSeed[0]++, null);
        if (r == null || r.summary().localLatencyMs() == null) {
            throw new CliException(model + ": the warm-up run failed (see " + runsDir.resolve(model + "_warm-up.log")
                    + ")");
        }
        double local = r.summary().localLatencyMs();
        console.println(String.format(Locale.ROOT, "%s: local %.1f ms on this machine", model, local));
        return local;
    }

    /** F so the emulated device is as fast as the measurement set's phone. */
    private double phoneSlowdown(String model, double local, Map<String, Double> nativeLocalMs, DemoGateway gateway,
            Path runsDir, long[] nextSeed, PrintWriter console, double top) {
        String set = phoneOf(model);
        Path setFile = root().resolve("profiles").resolve(set + ".json");
        CostProfile p = ProfileLoader.load(setFile);
        double phoneMs = p.units().stream().mapToDouble(UnitCost::clientMs).sum() + p.clientOnlyMs();
        String setModel = set.equals("alexnet") ? "bvlc_alexnet" : "googlenet";
        double setLocal;
        if (setModel.equals(model)) {
            setLocal = local;
        } else if (nativeLocalMs.containsKey(setModel)) {
            setLocal = nativeLocalMs.get(setModel);
        } else {
            Path f = org.layerlift.cli.offload.DemoCommand.resolveModel(setModel);
            setLocal = warmUp(gateway, f, setModel, Bandwidth.parse(fmt(top, 0) + "mbit"), runsDir, nextSeed, console);
            nativeLocalMs.put(setModel, setLocal);
        }
        double f = Math.max(1, phoneMs / setLocal);
        console.println(String.format(Locale.ROOT, "%s: device %.1fx slower than this machine (the %s set's phone "
                + "runs %s in %.0f ms, this machine in %.1f ms)", model, f, set, setModel, phoneMs, setLocal));
        console.flush();
        return f;
    }

    /** The measurement set whose phone a model's device is like. */
    static String phoneOf(String model) {
        return model.toLowerCase(Locale.ROOT).contains("alexnet") ? "alexnet" : "googlenet";
    }

    private Evaluation.Run run(DemoGateway gateway, Path file, String model, Bandwidth b, String strategy,
            DeviceEmulation device, String deviceLabel, double f, Path runsDir, long[] nextSeed, PrintWriter console,
            int k) {
        String tag = tag(model, b.mbps(), strategy, deviceLabel, k);
        console.println(String.format(Locale.ROOT, "%s at %s, %s, device %s%s ...", model, b, strategy, deviceLabel,
                repeat > 1 ? ", run " + k + " of " + repeat : ""));
        console.flush();
        long t0 = System.nanoTime();
        try {
            OffloadReport r = offload(gateway, file, model, b, strategy, device, deviceLabel,
                    StopRule.afterUpload(queriesAfterUpload), true, runsDir.resolve(tag + ".log"), nextSeed[0]++,
                    runsDir.resolve(tag + ".json"));
            if (r == null) {
                return new Evaluation.Run(model, b.mbps(), strategy, deviceLabel, f, null, "no report (see "
                        + runsDir.resolve(tag + ".log") + ")", k);
            }
            OffloadReport.Summary s = r.summary();
            console.println(String.format(Locale.ROOT, "  %.0f s: mean during upload %.1f ms, predicted %.1f ms, "
                            + "upload %.2f s (predicted %.2f s), %d queries during upload, %d offloaded, mismatches %s",
                    (System.nanoTime() - t0) / 1e9, nz(s.meanLatencyDuringUploadMs()),
                    nz(s.predictedMeanLatencyDuringUploadMs()), nz(s.uploadDoneMs()) / 1000,
                    nz(s.predictedUploadDoneMs()) / 1000, s.queriesDuringUpload(), s.offloadedQueries(),
                    s.mismatches()));
            console.flush();
            return new Evaluation.Run(model, b.mbps(), strategy, deviceLabel, f, r, null, k);
        } catch (CliException e) {
            console.println("  failed: " + e.getMessage());
            console.flush();
            return new Evaluation.Run(model, b.mbps(), strategy, deviceLabel, f, null, e.getMessage(), k);
        }
    }

    /** One offload run with its own weights; its output goes to {@code log}; null when it produced no report. */
    private OffloadReport offload(DemoGateway gateway, Path file, String model, Bandwidth b, String strategy,
            DeviceEmulation device, String deviceLabel, StopRule stop, boolean verify, Path log, long weightSeed,
            Path json) {
        ModelProto proto = OnnxGraph.load(file).proto();
        try (ModelWeights weights = ModelWeights.resolve(file, proto, true, weightSeed, "");
                PrintWriter w = new PrintWriter(new OutputStreamWriter(Files.newOutputStream(log),
                        StandardCharsets.UTF_8))) {
            String id = "layerlift-eval-" + weightSeed;
            OffloadRun run = new OffloadRun(new OffloadRun.Config(gateway.uri(), id, null, null, weights.model(),
                    model, b, true, strategy, device, deviceLabel, Pacing.backToBack(), stop, verify, null, 1, json,
                    null, null, Duration.ofSeconds(10), false), w);
            try {
                run.run();
            } catch (CliException e) {
                w.println("error: " + e.getMessage());
                if (run.report() == null) {
                    throw e;
                }
            }
            return run.report();
        } catch (IOException e) {
            throw new CliException("cannot write " + log + ": " + e.getMessage(), e);
        }
    }

    private static List<Evaluation.Run> load(Path out) throws IOException {
        Indexed[] index = JSON.readValue(out.resolve(INDEX).toFile(), Indexed[].class);
        List<Evaluation.Run> runs = new ArrayList<>();
        for (Indexed i : index) {
            OffloadReport r = i.report() == null ? null : JSON.readValue(out.resolve("results-real-runs")
                    .resolve(i.report()).toFile(), OffloadReport.class);
            runs.add(new Evaluation.Run(i.model(), i.mbps(), i.strategy(), i.device(), i.slowdown(), r, i.error(),
                    i.repeat() == null ? 1 : i.repeat()));
        }
        return runs;
    }

    /**
     * The runs kept from an earlier evaluation into the same folder, with the new ones in place of every run of the
     * same model, bandwidth, strategy and device kind (all its repeats), so a part of the matrix can be measured
     * again on its own. The new runs of a case go where its first earlier run was.
     */
    static List<Evaluation.Run> merge(List<Evaluation.Run> earlier, List<Evaluation.Run> fresh) {
        Map<String, List<Evaluation.Run>> freshByCase = new LinkedHashMap<>();
        for (Evaluation.Run f : fresh) {
            freshByCase.computeIfAbsent(sameCase(f), k -> new ArrayList<>()).add(f);
        }
        List<Evaluation.Run> merged = new ArrayList<>();
        java.util.Set<String> placed = new java.util.HashSet<>();
        for (Evaluation.Run e : earlier) {
            String key = sameCase(e);
            List<Evaluation.Run> replacing = freshByCase.get(key);
            if (replacing == null) {
                merged.add(e);
            } else if (placed.add(key)) {
                merged.addAll(replacing);
            }
        }
        for (Map.Entry<String, List<Evaluation.Run>> f : freshByCase.entrySet()) {
            if (placed.add(f.getKey())) {
                merged.addAll(f.getValue());
            }
        }
        return merged;
    }

    private static String sameCase(Evaluation.Run r) {
        return r.model() + "|" + r.mbps() + "|" + r.strategy() + "|" + kind(r.device());
    }

    /** A device's kind: a profile's runs and the slowdown runs are two rows of the same cell. */
    private static String kind(String device) {
        return device.startsWith("profile") ? device : "slowdown";
    }

    private static String fileName(Evaluation.Run r) {
        return tag(r.model(), r.mbps(), r.strategy(), r.device(), r.repeat()) + ".json";
    }

    /**
     * A run's name in results-real-runs/: its report is {@code <tag>.json}, its output {@code <tag>.log}; the second
     * and later runs of a case end in {@code _r<k>}.
     */
    static String tag(String model, double mbps, String strategy, String device, int repeat) {
        return model + "_" + fmt(mbps, 0) + "_" + strategy + (device.startsWith("profile") ? "_profile" : "")
                + (repeat > 1 ? "_r" + repeat : "");
    }

    private static List<Double> bandwidthsOf(List<Evaluation.Run> runs) {
        return runs.stream().map(Evaluation.Run::mbps).distinct().sorted().toList();
    }

    private static List<String> strategiesOf(List<Evaluation.Run> runs) {
        return runs.stream().map(Evaluation.Run::strategy).distinct().toList();
    }

    static String label(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".onnx") ? n.substring(0, n.length() - 5) : n;
    }

    private static double nz(Double v) {
        return v == null ? Double.NaN : v;
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static Path root() {
        return Path.of(System.getProperty("layerlift.root", ".")).toAbsolutePath().normalize();
    }
}
