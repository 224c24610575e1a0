package org.layerlift.strategy.frontier;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.layerlift.api.model.CostProfile;

/** Prints each candidate order and its score. Args: model mbps. */
public final class CandidateDebug {

    private CandidateDebug() {
    }

    public static void main(String[] args) {
        CostProfile profile = Profiles.load(args[0]);
        Chain chain = new Chain(profile, Double.parseDouble(args[1]), Set.of());
        double window = 0;
        for (int u = 0; u < chain.n; u++) {
            window += chain.bytes[u] / chain.bytesPerMs + chain.loadMs[u];
        }
        Evaluator evaluator = new Evaluator(chain, window);
        for (int u = 0; u < chain.n; u++) {
            System.out.printf(Locale.ROOT, "unit %d %s tc %.1f ts %.1f in %.2f out %.2f MB %.2f load %.1f%n", u,
                    profile.units().get(u).name(), chain.tc[u], chain.ts[u], chain.inMs[u], chain.outMs[u],
                    chain.bytes[u] / 1e6, chain.loadMs[u]);
        }
        boolean[] av = new boolean[chain.n];
        for (int u = 0; u < 10; u++) {
            av[u] = true;
        }
        System.out.println("conv " + chain.best(av).latencyMs());
        av[12] = true;
        System.out.println("conv+fc8 " + chain.best(av).latencyMs() + " " + Arrays.toString(chain.best(av).server()));
        System.out.println("all " + chain.best(chain.everything()).latencyMs());
        for (int[] order : new int[][] {Orders.greedyRanges(chain, chain.n), Orders.hull(chain),
                Orders.penaltySweep(chain, 0.8), {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 11, 10}}) {
            Evaluator.Outcome o = evaluator.evaluate(order);
            System.out.printf(Locale.ROOT, "%s area/W %.1f mean %.1f%n", Arrays.toString(order), o.area / window,
                    o.meanMs());
        }
    }
}
