package org.layerlift.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.layerlift.api.partition.Segment;

/**
 * The seeded plans {@code model verify} cuts: first fixed ones that cover the edges (two server segments touching
 * the first and the last unit, a segment from the first unit, one to the last unit, two segments inside, everything
 * on the server), then random plans with 1 to 4 segments. No plan appears twice, so a model with few units may get
 * fewer plans than asked.
 */
final class VerifyPlans {

    private VerifyPlans() {
    }

    static List<List<Segment>> plans(int units, int count, long seed) {
        if (units < 1 || count < 1) {
            throw new IllegalArgumentException("plans need at least one unit and one plan: " + units + ", " + count);
        }
        int n = units;
        Set<List<Segment>> plans = new LinkedHashSet<>();
        int third = Math.max(1, n / 3);
        if (n >= 2) {
            plans.add(List.of(new Segment(0, third - 1), new Segment(Math.max(third, n - third), n - 1)));
        }
        plans.add(List.of(new Segment(0, Math.max(0, n / 2 - 1))));
        plans.add(List.of(new Segment(n / 2, n - 1)));
        if (n >= 5) {
            plans.add(List.of(new Segment(1, n / 2 - 1), new Segment(n / 2 + 1, n - 2)));
        }
        plans.add(List.of(new Segment(0, n - 1)));
        Random random = new Random(seed);
        for (int tries = 0; plans.size() < count && tries < 100 * count; tries++) {
            int k = 1 + random.nextInt(Math.min(4, (n + 1) / 2));
            TreeSet<Integer> points = new TreeSet<>();
            while (points.size() < 2 * k) {
                points.add(random.nextInt(n + 1));
            }
            Integer[] p = points.toArray(new Integer[0]);
            List<Segment> plan = new ArrayList<>();
            for (int s = 0; s < k; s++) {
                plan.add(new Segment(p[2 * s], p[2 * s + 1] - 1));
            }
            plans.add(List.copyOf(plan));
        }
        List<List<Segment>> out = new ArrayList<>(plans);
        return List.copyOf(out.subList(0, Math.min(count, out.size())));
    }
}
