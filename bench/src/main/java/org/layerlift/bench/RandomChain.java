package org.layerlift.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;

/**
 * A seeded random chain of units with realistic magnitudes: client time 1-50 ms, server time about a tenth of it,
 * weights 0-10 MB (a quarter of the units, like pooling and activations, have none), activations 10 KB-2 MB
 * (log-uniform; a unit's input is its predecessor's output), load time 0.7 ms + 0.3 ms per MB of weights.
 */
public final class RandomChain {

    public static final long KB = 1_000;
    public static final long MB = 1_000_000;
    /** A 224x224 RGB float32 image. */
    public static final long MODEL_INPUT_BYTES = 3L * 224 * 224 * 4;

    private RandomChain() {
    }

    public static CostProfile of(long seed, int units) {
        if (units < 1) {
            throw new IllegalArgumentException("a chain needs at least one unit: " + units);
        }
        Random random = new Random(seed);
        List<UnitCost> list = new ArrayList<>(units);
        long input = MODEL_INPUT_BYTES;
        for (int i = 0; i < units; i++) {
            double client = 1 + 49 * random.nextDouble();
            double server = client / 10 * (0.5 + random.nextDouble());
            long weights = random.nextInt(4) == 0 ? 0 : (long) (random.nextDouble() * 10 * MB);
            double load = weights == 0 ? 0 : 0.7 + 0.3 * weights / MB;
            long output = (long) (10 * KB * Math.pow(200, random.nextDouble()));
            list.add(new UnitCost("u" + i, client, server, weights, load, input, output, List.of("layer" + i)));
            input = output;
        }
        return new CostProfile("random-" + seed + "-" + units, list, 1.0);
    }
}
