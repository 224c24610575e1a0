package org.layerlift.planning;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;

/** Random unit chains; coarse integer costs make exact ties common, which is where tie rules show. */
public final class RandomChains {

    private RandomChains() {
    }

    public static CostProfile chain(long seed, int units, boolean coarse) {
        Random random = new Random(seed);
        List<UnitCost> list = new ArrayList<>();
        for (int i = 0; i < units; i++) {
            double client = coarse ? random.nextInt(4) * 8 : random.nextDouble() * 100;
            double server = coarse ? random.nextInt(2) : random.nextDouble() * 2;
            long weights = random.nextInt(4) == 0 ? 0 : coarse ? random.nextInt(3) * 125_000L
                    : (long) (random.nextDouble() * 5_000_000);
            double load = weights == 0 ? 0 : coarse ? random.nextInt(2) : random.nextDouble() * 3;
            long in = coarse ? random.nextInt(3) * 62_500L : (long) (random.nextDouble() * 1_000_000);
            long out = coarse ? random.nextInt(3) * 62_500L : (long) (random.nextDouble() * 1_000_000);
            list.add(new UnitCost("u" + i, client, server, weights, load, in, out, List.of("layer" + i)));
        }
        return new CostProfile("random-" + seed, list);
    }
}
