package org.layerlift.strategy.frontier;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.simulator.SimulationOptions;
import org.layerlift.simulator.SimulationResult;
import org.layerlift.simulator.Simulator;
import org.layerlift.strategy.efficiency.EfficiencyStrategy;
import org.layerlift.strategy.ionn.IonnStrategy;

/** How much a bigger search buys: frontier at the default size and at the given number of evaluations. */
public final class SearchExperiment {

    private SearchExperiment() {
    }

    public static void main(String[] args) {
        long evaluations = args.length > 0 ? Long.parseLong(args[0]) : 100_000;
        double[] logs = new double[6];
        int cases = 0;
        for (String model : List.of("alexnet", "googlenet")) {
            CostProfile profile = Profiles.load(model);
            for (double mbps : Comparison.BANDWIDTHS) {
                PlanRequest request = new PlanRequest(profile, mbps, Set.of());
                long t0 = System.nanoTime();
                UploadPlan big = new FrontierStrategy(evaluations, Long.MAX_VALUE, 60_000_000_000L).plan(request);
                long t1 = System.nanoTime();
                List<SimulationResult> r = Simulator.compareWithBound(profile, List.of(new IonnStrategy().plan(request),
                        new EfficiencyStrategy().plan(request), new FrontierStrategy().plan(request), big), mbps,
                        SimulationOptions.reference());
                double em = r.get(1).meanLatencyCommonWindowMs();
                double et = r.get(1).timeAveragedLatencyMs();
                double[] x = {r.get(2).meanLatencyCommonWindowMs() / em, r.get(2).timeAveragedLatencyMs() / et,
                        r.get(3).meanLatencyCommonWindowMs() / em, r.get(3).timeAveragedLatencyMs() / et,
                        r.get(4).meanLatencyCommonWindowMs() / em, r.get(4).timeAveragedLatencyMs() / et};
                for (int k = 0; k < 6; k++) {
                    logs[k] += Math.log(x[k]);
                }
                cases++;
                System.out.printf(Locale.ROOT, "%-9s %4.0f default %.3f/%.3f  big %.3f/%.3f (%.0f ms)  bound %.3f/%.3f%n",
                        model, mbps, x[0], x[1], x[2], x[3], (t1 - t0) / 1e6, x[4], x[5]);
            }
        }
        System.out.printf(Locale.ROOT, "geomean default %.3f/%.3f big %.3f/%.3f bound %.3f/%.3f%n",
                Math.exp(logs[0] / cases), Math.exp(logs[1] / cases), Math.exp(logs[2] / cases),
                Math.exp(logs[3] / cases), Math.exp(logs[4] / cases), Math.exp(logs[5] / cases));
    }
}
