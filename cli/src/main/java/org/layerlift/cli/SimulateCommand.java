package org.layerlift.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.simulator.Bound;
import org.layerlift.simulator.SimulationOptions;
import org.layerlift.simulator.SimulationResult;
import org.layerlift.simulator.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code layerlift simulate}: every selected strategy on every profile at every bandwidth, compared. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Plans the upload of each profile at each bandwidth with each strategy and simulates queries "
                + "from t = 0 while the partitions arrive. The strategies of one profile and bandwidth are compared "
                + "over a common window: up to the latest upload end among them. Each case also shows the lower "
                + "bound: every query with its own best plan, given what could have arrived by then.",
                "", "Example: layerlift simulate --profile profiles/alexnet.json --bandwidth 10,20,40,80,160 "
                        + "--strategy ionn,efficiency,frontier --json out.json --plot out.png"})
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--profile"}, required = true, split = ",", paramLabel = "<profile.json>",
            description = "Profiles to simulate (comma-separated or repeated): LayerLift profile JSON or shared "
                    + "measurement sets, told apart by their content.")
    List<Path> profiles;

    @Option(names = {"-b", "--bandwidth"}, required = true, split = ",", paramLabel = "<Mbps>",
            converter = Converters.Mbps.class,
            description = "Link rates in Mbps, 1 Mbps = 125,000 bytes/s (comma-separated or repeated).")
    List<Double> bandwidths;

    @Option(names = {"-s", "--strategy"}, split = ",", paramLabel = "<name>", defaultValue = StrategyRegistry.ALL,
            description = "Strategies to compare, by name, or 'all' (default: ${DEFAULT-VALUE}). "
                    + "Registered: ${COMPLETION-CANDIDATES}.",
            completionCandidates = RegisteredStrategies.class)
    List<String> strategies;

    @Option(names = "--query-interval-ms", paramLabel = "<ms>", defaultValue = "0",
            converter = Converters.NonNegativeMs.class,
            description = "Query k is raised at k times this (default: ${DEFAULT-VALUE}: back to back).")
    double queryIntervalMs;

    @Option(names = "--no-load-time",
            description = "Partitions are usable as soon as their bytes arrive (no server loading time).")
    boolean noLoadTime;

    @Option(names = "--window-of", split = ",", paramLabel = "<name>",
            description = "Strategies whose latest upload end sets the common window (default: every selected one). "
                    + "The others and the bound are measured over the same window (or their own upload, if longer), "
                    + "so adding a baseline does not change the others' numbers.")
    List<String> windowOf;

    @Option(names = "--shared-link",
            description = "One link carries the upload and the queries' activations, activations first (the upload "
                    + "pauses while one is in flight). Default: the upload has a link of its own.")
    boolean sharedLink;

    @Option(names = "--json", paramLabel = "<out.json>",
            description = "Also write the results as a JSON array, one object per profile x bandwidth x strategy.")
    Path json;

    @Option(names = "--bound",
            description = "Also put the lower bound into the --json output: after each case's strategies, an object "
                    + "with strategy \"bound\" and no partitions. (The table and the plot always show it.)")
    boolean boundInJson;

    @Option(names = "--plot", paramLabel = "<out.png>",
            description = "Also draw query latency over time as a PNG: one chart per profile x bandwidth, in a grid "
                    + "with a row per profile and a column per bandwidth.")
    Path plot;

    @Option(names = "--plot-size", paramLabel = "<WxH>", defaultValue = "640x400",
            converter = Converters.ImageSize.class,
            description = "Pixel size of each chart in the plot (default: ${DEFAULT-VALUE}).")
    Converters.Size plotSize;

    @Override
    public Integer call() throws Exception {
        checkCommandLine();
        StrategyRegistry registry;
        try {
            registry = StrategyRegistry.load();
        } catch (IllegalStateException | java.util.ServiceConfigurationError e) {
            throw new CliException("the strategies on the class path are broken: " + e.getMessage(), e);
        }
        List<PartitionStrategy> selected;
        try {
            selected = registry.select(strategies);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<String> windowNames = windowStrategies(selected);
        SimulationOptions options = new SimulationOptions(!noLoadTime, Set.of(), queryIntervalMs, sharedLink);
        List<SimulatedCase> cases = new ArrayList<>();
        List<CostProfile> loaded = new ArrayList<>();
        for (Path file : profiles) {
            loaded.add(ProfileLoader.load(file));
        }
        List<String> labels = labels(loaded);
        for (int i = 0; i < loaded.size(); i++) {
            for (double mbps : bandwidths) {
                cases.add(simulate(labels.get(i), loaded.get(i), mbps, selected, windowNames, options));
            }
        }
        spec.commandLine().getOut().print(ResultTable.render(cases, options, windowOf == null ? null : windowNames));
        if (json != null) {
            ResultJson.write(json, cases, boundInJson);
            spec.commandLine().getOut().println("Wrote " + json);
        }
        if (plot != null) {
            LatencyPlot.write(plot, cases, bandwidths.size(), plotSize.width(), plotSize.height());
            spec.commandLine().getOut().println("Wrote " + plot);
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** The names that set the common window: every selected strategy unless --window-of names some of them. */
    private List<String> windowStrategies(List<PartitionStrategy> selected) {
        List<String> names = selected.stream().map(PartitionStrategy::name).toList();
        if (windowOf == null) {
            return names;
        }
        List<String> chosen = new ArrayList<>();
        for (String raw : windowOf) {
            String name = raw.trim();
            if (!names.contains(name)) {
                throw new ParameterException(spec.commandLine(), "--window-of: '" + name + "' is not among the "
                        + "selected strategies " + names);
            }
            if (!chosen.contains(name)) {
                chosen.add(name);
            }
        }
        return chosen;
    }

    /** What picocli cannot check by itself, reported the same way: message and usage. */
    private void checkCommandLine() {
        if (new HashSet<>(bandwidths).size() != bandwidths.size()) {
            throw new ParameterException(spec.commandLine(), "Bandwidth given twice in " + bandwidths);
        }
        for (Path file : profiles) {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "Profile " + file + ": "
                        + (Files.exists(file) ? "not a regular file" : "no such file"));
            }
        }
        if (new LinkedHashSet<>(profiles.stream().map(p -> p.toAbsolutePath().normalize()).toList()).size()
                != profiles.size()) {
            throw new ParameterException(spec.commandLine(), "Profile given twice in " + profiles);
        }
        if (boundInJson && json == null) {
            throw new ParameterException(spec.commandLine(), "--bound adds the bound to the JSON output: give --json "
                    + "too (the table and the plot always show the bound)");
        }
        checkOutput("--json", json);
        checkOutput("--plot", plot);
        if (json != null && plot != null && json.toAbsolutePath().normalize().equals(plot.toAbsolutePath().normalize())) {
            throw new ParameterException(spec.commandLine(), "--json and --plot name the same file: " + json);
        }
    }

    private void checkOutput(String option, Path file) {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + ": no such directory " + parent);
        }
        if (Files.isDirectory(file)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + ": is a directory");
        }
    }

    /** Model names; a model name two profiles share gets the file name too. */
    private List<String> labels(List<CostProfile> loaded) {
        Map<String, Integer> count = new HashMap<>();
        loaded.forEach(p -> count.merge(p.model(), 1, Integer::sum));
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < loaded.size(); i++) {
            String model = loaded.get(i).model();
            labels.add(count.get(model) == 1 ? model : model + " (" + profiles.get(i).getFileName() + ")");
        }
        return labels;
    }

    private static SimulatedCase simulate(String label, CostProfile profile, double mbps,
            List<PartitionStrategy> strategies, List<String> windowOf, SimulationOptions options) {
        List<UploadPlan> plans = new ArrayList<>();
        for (PartitionStrategy strategy : strategies) {
            try {
                plans.add(strategy.plan(new PlanRequest(profile, mbps, options.unitsOnServer())));
            } catch (IllegalArgumentException e) {
                throw new CliException("strategy '" + strategy.name() + "' cannot plan " + label + " at "
                        + ResultTable.mbps(mbps) + " Mbps: " + e.getMessage(), e);
            }
        }
        List<SimulationResult> results;
        SimulationResult bound;
        if (windowOf.size() == strategies.size()) {
            // the strategies over their common window, then the bound over the same window (last)
            results = new ArrayList<>(Simulator.compareWithBound(profile, plans, mbps, options));
            bound = results.remove(results.size() - 1);
        } else {
            // the window as Simulator.compare sets it, but from some of the plans: each one's own upload end
            // (with a shared link, as far as its own queries delay it), the latest of them
            double window = 0;
            for (int i = 0; i < strategies.size(); i++) {
                if (windowOf.contains(strategies.get(i).name())) {
                    window = Math.max(window, Simulator.simulate(profile, plans.get(i), mbps, options, 0)
                            .uploadDoneMs());
                }
            }
            results = new ArrayList<>();
            for (UploadPlan plan : plans) {
                results.add(Simulator.simulate(profile, plan, mbps, options, window));
            }
            bound = Bound.simulate(profile, mbps, options, window);
        }
        // a plan is named by its strategy; outputs name it as the user selected it
        List<SimulationResult> named = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            SimulationResult r = results.get(i);
            String name = strategies.get(i).name();
            named.add(name.equals(r.strategy()) ? r : new SimulationResult(name, r.model(), r.bandwidthMbps(),
                    r.meanLatencyDuringUploadMs(), r.queriesDuringUpload(), r.meanLatencyCommonWindowMs(),
                    r.commonWindowMs(), r.timeAveragedLatencyMs(), r.firstQueryLatencyMs(), r.worstQueryOverLocal(),
                    r.uploadDoneMs(), r.localLatencyMs(), r.partitions(), r.queries()));
        }
        return new SimulatedCase(label, profile, mbps, named, bound);
    }

    /** For the help text: the names the registry knows. */
    static final class RegisteredStrategies implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            try {
                return StrategyRegistry.load().names().iterator();
            } catch (RuntimeException | java.util.ServiceConfigurationError e) {
                return List.of("(none: " + e.getMessage() + ")").iterator();
            }
        }
    }
}
