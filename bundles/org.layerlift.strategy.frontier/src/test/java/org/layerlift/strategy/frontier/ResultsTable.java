package org.layerlift.strategy.frontier;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.layerlift.api.model.CostProfile;
import org.layerlift.simulator.SimulationResult;

/**
 * Prints the results table (markdown) of docs/results.md; docs/results.md gives the command (a test-classpath
 * {@code java} run from the repository root after {@code test-compile} with {@code -am}).
 *
 * Arguments: measurement sets (names of test resources, or paths to measurement-set JSON files); default alexnet
 * googlenet.
 */
public final class ResultsTable {

    private ResultsTable() {
    }

    public static void main(String[] args) {
        List<String> models = args.length == 0 ? List.of("alexnet", "googlenet") : List.of(args);
        List<Comparison> cases = new ArrayList<>();
        for (String model : models) {
            CostProfile profile = Profiles.load(model);
            for (double mbps : Comparison.BANDWIDTHS) {
                cases.add(Comparison.of(profile, mbps));
            }
        }
        System.out.print(table(cases));
    }

    static String table(List<Comparison> cases) {
        StringBuilder out = new StringBuilder();
        out.append("| Model | Mbps | Strategy | mean during upload (ms) | mean common window (ms) | time-averaged (ms)"
                + " | first query (ms) | worst / local | upload done (s) | partitions |\n");
        out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Comparison c : cases) {
            List<SimulationResult> rows = new ArrayList<>(List.of(c.ionn(), c.efficiency(), c.frontier(), c.bound()));
            rows.addAll(c.baselines());
            for (SimulationResult r : rows) {
                out.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %.1f | %.1f | %.1f | %.0f | %.3f | %.2f | %d |%n",
                        c.profile().model(), c.mbps(), r.strategy().equals(FrontierStrategy.NAME)
                                ? "**" + r.strategy() + "**" : r.strategy(),
                        r.meanLatencyDuringUploadMs(), r.meanLatencyCommonWindowMs(), r.timeAveragedLatencyMs(),
                        r.firstQueryLatencyMs(), r.worstQueryOverLocal(), r.uploadDoneMs() / 1000,
                        r.partitions().size()));
            }
        }
        out.append("\nRatios to efficiency (common window mean / time-averaged):\n\n");
        out.append("| Model | Mbps | ionn | frontier | bound | frontier / bound |\n|---|---:|---:|---:|---:|---:|\n");
        double[] logs = new double[8];
        for (Comparison c : cases) {
            double em = c.efficiency().meanLatencyCommonWindowMs();
            double et = c.efficiency().timeAveragedLatencyMs();
            double[] r = {c.ionn().meanLatencyCommonWindowMs() / em, c.ionn().timeAveragedLatencyMs() / et,
                    c.frontier().meanLatencyCommonWindowMs() / em, c.frontier().timeAveragedLatencyMs() / et,
                    c.bound().meanLatencyCommonWindowMs() / em, c.bound().timeAveragedLatencyMs() / et,
                    c.frontier().meanLatencyCommonWindowMs() / c.bound().meanLatencyCommonWindowMs(),
                    c.frontier().timeAveragedLatencyMs() / c.bound().timeAveragedLatencyMs()};
            for (int k = 0; k < r.length; k++) {
                logs[k] += Math.log(r[k]);
            }
            out.append(String.format(Locale.ROOT, "| %s | %.0f | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f |%n",
                    c.profile().model(), c.mbps(), r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]));
        }
        double[] g = new double[logs.length];
        for (int k = 0; k < g.length; k++) {
            g[k] = Math.exp(logs[k] / cases.size());
        }
        out.append(String.format(Locale.ROOT, "| **geometric mean** | | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f |%n",
                g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]));
        long maxNanos = cases.stream().mapToLong(Comparison::planNanos).max().orElse(0);
        out.append(String.format(Locale.ROOT, "%nSlowest frontier plan in this run (cold JIT included): %.1f ms%n",
                maxNanos / 1e6));
        return out.toString();
    }
}
