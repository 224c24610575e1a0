package org.layerlift.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.profile.ProfileDocument;
import org.layerlift.model.profile.ProfileJson;
import org.layerlift.model.profile.ProfiledUnit;
import org.layerlift.model.runtime.NodeProfile;
import org.layerlift.model.runtime.OrtProfiler;
import org.layerlift.model.runtime.RandomInputs;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.ModelCutter;
import org.layerlift.model.surgery.Part;
import org.layerlift.model.surgery.SurgeryException;
import org.layerlift.model.surgery.Weights;
import org.layerlift.model.units.GraphUnit;
import org.layerlift.model.units.InspectTable;
import org.layerlift.model.units.UnitGrouping;
import org.layerlift.model.units.UnitTimes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code layerlift model profile}: measures the model's units on this machine with ONNX Runtime and writes a
 * LayerLift profile ({@code docs/profile-format.md}).
 */
@Command(name = "profile", mixinStandardHelpOptions = true, versionProvider = LayerLiftCommand.Version.class,
        sortOptions = false,
        description = {"Measures the model on this machine with ONNX Runtime's profiler (warm-up runs, then the "
                + "median of each node's kernel time over the measured runs), sums the node times per unit, times "
                + "the loading of each unit as a server part of its own, and writes a LayerLift profile JSON with "
                + "the units' sizes and FLOPs. Absent external weights are replaced by seeded random ones in a "
                + "temporary copy (they cost the same time), so a server can profile a model before its weights "
                + "arrive.",
                "", "Example: layerlift model profile testdata/models/resnet18.onnx -o resnet18.json --runs 5"},
        footer = {"", "Sides: this machine measures one side. --side both (default) writes the measurement as "
                + "client_ms and as server_ms; --side client (server) writes it as client_ms (server_ms and load_ms) "
                + "and takes the other column from --merge, a profile of the same model measured on the other "
                + "machine."})
final class ModelProfileCommand implements Callable<Integer> {

    /** Which column(s) of the profile this machine's measurement fills. */
    enum Side {
        client, server, both
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Option(names = {"-o", "--output"}, paramLabel = "<profile.json>", required = true,
            description = "Where to write the profile (replaced if it exists).")
    Path output;

    @Option(names = "--warmup", paramLabel = "<N>", defaultValue = "2", converter = Converters.NonNegativeInt.class,
            description = "Runs before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", paramLabel = "<N>", defaultValue = "10", converter = Converters.PositiveInt.class,
            description = "Measured runs; each node's time is its median over them (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", paramLabel = "<S>", defaultValue = "1", converter = Converters.Seed.class,
            description = "Seed of the inputs and of materialised weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--side", paramLabel = "<side>", defaultValue = "both",
            description = "What this machine is: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). client and "
                    + "server need --merge for the other column.")
    Side side;

    @Option(names = "--merge", paramLabel = "<other.json>",
            description = "A profile of the same model (same units and input shape) measured on the other side: "
                    + "its server_ms and load_ms (with --side client) or its client_ms (with --side server) are "
                    + "copied.")
    Path merge;

    @Option(names = "--threads", paramLabel = "<N>", defaultValue = "0", converter = Converters.NonNegativeInt.class,
            description = "ONNX Runtime intra-op threads (default 0: its own choice, all cores).")
    int threads;

    @Override
    public Integer call() {
        model.check();
        checkOptions();
        OnnxGraph graph = model.load();
        GraphShapes shapes = model.shapes(graph);
        List<List<Integer>> groups = model.groups(graph);
        List<GraphUnit> units = UnitGrouping.units(graph, shapes, groups);
        String granularity = model.granularity.id();
        ProfileDocument other = merge == null ? null : readMerge(shapes, granularity, units);
        ModelProto proto = graph.proto();
        PrintWriter out = spec.commandLine().getOut();
        OrtProfiler.Settings settings = new OrtProfiler.Settings(warmup, runs, threads,
                OrtSession.SessionOptions.OptLevel.ALL_OPT);
        int loadRepeats = Math.min(3, runs);
        NodeProfile nodes;
        double[] loadMs = new double[units.size()];
        try (ModelWeights weights = ModelWeights.resolve(model.file, proto, true, seed, "");
                ExternalDataWeights data = new ExternalDataWeights(weights.model())) {
            out.printf("model %s: %d %s units, %s%n", graph.name(), units.size(), granularity,
                    ModelVerifyCommand.shapesLine(shapes));
            out.println("weights: " + weights.describe());
            out.flush();
            OrtEnvironment env = Ort.environment();
            ModelProto embedded = Weights.embed(proto, data, graph.name());
            Map<String, OnnxTensor> inputs = RandomInputs.create(env, proto, Ort.dims(shapes), seed);
            try {
                nodes = OrtProfiler.profile(env, embedded, inputs, settings);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
            if (side != Side.client) {
                ModelCutter cutter = new ModelCutter(proto, graph.name(), shapes);
                for (int u = 0; u < units.size(); u++) {
                    Part part = cutter.cut(groups, List.of(new Segment(u, u))).serverParts().get(0);
                    loadMs[u] = OrtProfiler.loadMs(env, part.model(data), settings, loadRepeats);
                }
            }
        } catch (OrtException e) {
            throw Ort.failure("model " + graph.name(), e);
        } catch (SurgeryException e) {
            throw new CliException(e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException("model " + graph.name() + ": " + e.getMessage(), e);
        }
        double[] unitMs = nodes.perUnit(groups);
        List<UnitTimes> times = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            UnitCost o = other == null ? null : other.units().get(u).cost();
            times.add(switch (side) {
                case both -> new UnitTimes(unitMs[u], unitMs[u], loadMs[u]);
                case client -> new UnitTimes(unitMs[u], o.serverMs(), o.loadMs());
                case server -> new UnitTimes(o.clientMs(), unitMs[u], loadMs[u]);
            });
        }
        ProfileDocument doc = UnitGrouping.toDocument(shapes, granularity, units, times, 0);
        ProfileJson.write(doc, output);
        print(out, doc, nodes, unitMs);
        out.println("Wrote " + output);
        out.flush();
        return ExitCodes.OK;
    }

    private void checkOptions() {
        if (merge != null && side == Side.both) {
            throw new ParameterException(spec.commandLine(), "--merge fills the other side's column: give --side "
                    + "client or --side server with it");
        }
        if (merge == null && side != Side.both) {
            throw new ParameterException(spec.commandLine(), "--side " + side + " measures only the " + side
                    + " column: give --merge <profile.json> measured on the "
                    + (side == Side.client ? "server" : "client") + " for the other one, or use --side both");
        }
        if (merge != null && !Files.isRegularFile(merge)) {
            throw new ParameterException(spec.commandLine(), "--merge " + merge + ": "
                    + (Files.exists(merge) ? "not a regular file" : "no such file"));
        }
        Path parent = output.toAbsolutePath().getParent();
        if (Files.isDirectory(output) || parent == null || !Files.isDirectory(parent)) {
            throw new ParameterException(spec.commandLine(), "--output " + output + ": "
                    + (Files.isDirectory(output) ? "is a directory" : "its folder does not exist"));
        }
    }

    /** The profile to merge, checked against this model's units: same granularity, input shape and units. */
    private ProfileDocument readMerge(GraphShapes shapes, String granularity, List<GraphUnit> units) {
        ProfileDocument other = ProfileJson.read(merge);
        String where = "--merge " + merge.getFileName() + ": ";
        if (!other.granularity().equals(granularity)) {
            throw new CliException(where + "its units are '" + other.granularity() + "' units, this profile's are '"
                    + granularity + "' units (give --granularity " + other.granularity() + ")");
        }
        ProfileDocument mine = UnitGrouping.toDocument(shapes, granularity, units,
                units.stream().map(u -> UnitTimes.ZERO).toList(), 0);
        if (!other.inputShape().equals(mine.inputShape())) {
            throw new CliException(where + "measured for input shape " + other.inputShape() + ", this one is for "
                    + mine.inputShape());
        }
        if (other.units().size() != units.size()) {
            throw new CliException(where + "has " + other.units().size() + " units, model " + mine.model() + " has "
                    + units.size() + " " + granularity + " units: not the same model");
        }
        for (int u = 0; u < units.size(); u++) {
            UnitCost a = mine.units().get(u).cost();
            UnitCost b = other.units().get(u).cost();
            String field = !a.name().equals(b.name()) ? "name" : !a.layers().equals(b.layers()) ? "layers"
                    : a.weightBytes() != b.weightBytes() ? "weight_bytes" : a.inputBytes() != b.inputBytes()
                    ? "input_bytes" : a.outputBytes() != b.outputBytes() ? "output_bytes" : null;
            if (field != null) {
                throw new CliException(where + "unit " + u + " ('" + b.name() + "') differs from model "
                        + mine.model() + "'s unit " + u + " ('" + a.name() + "') in '" + field
                        + "': not the same model");
            }
        }
        return other;
    }

    private void print(PrintWriter out, ProfileDocument doc, NodeProfile nodes, double[] unitMs) {
        TextTable table = new TextTable().column("#", true).column("unit", false).column("client ms", true)
                .column("server ms", true).column("load ms", true).column("weights", true).column("FLOPs", true);
        double client = 0;
        double server = 0;
        double load = 0;
        long weights = 0;
        long flops = 0;
        for (int u = 0; u < doc.units().size(); u++) {
            ProfiledUnit pu = doc.units().get(u);
            UnitCost c = pu.cost();
            table.row(Integer.toString(u), c.name(), ms(c.clientMs()), ms(c.serverMs()), ms(c.loadMs()),
                    InspectTable.bytes(c.weightBytes()), InspectTable.flops(pu.flops()));
            client += c.clientMs();
            server += c.serverMs();
            load += c.loadMs();
            weights += c.weightBytes();
            flops += pu.flops();
        }
        table.row("", "total", ms(client), ms(server), ms(load), InspectTable.bytes(weights),
                InspectTable.flops(flops));
        out.print(table.render());
        double attributed = 0;
        for (double v : unitMs) {
            attributed += v;
        }
        out.printf(Locale.ROOT, "measured here: %d warm-up + %d runs, median per node; whole run %.2f ms (median), "
                + "of which %.2f ms in the units' nodes and %.2f ms in kernels ONNX Runtime added itself (not in a "
                + "unit); whole model load %.1f ms%n", warmup, runs, nodes.runMs(), attributed,
                nodes.unattributedTotalMs(), nodes.loadMs());
        out.println(switch (side) {
            case both -> "sides: client_ms and server_ms are both this machine's measurement (--side both); "
                    + "load_ms: each unit loaded alone as a server part, median of " + Math.min(3, runs);
            case client -> "sides: client_ms measured here; server_ms and load_ms from " + merge;
            case server -> "sides: server_ms measured here, load_ms: each unit loaded alone as a server part, "
                    + "median of " + Math.min(3, runs) + "; client_ms from " + merge;
        });
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
