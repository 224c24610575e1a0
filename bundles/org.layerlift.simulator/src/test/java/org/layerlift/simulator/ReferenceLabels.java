package org.layerlift.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.layerlift.api.model.CostProfile;

/** Partitions written the way REFERENCE.md writes them: {@code first..last [MB, ready s]}. */
final class ReferenceLabels {

    private ReferenceLabels() {
    }

    static String unitRange(CostProfile profile, List<Integer> units) {
        List<String> runs = new ArrayList<>();
        int start = 0;
        for (int k = 1; k <= units.size(); k++) {
            if (k == units.size() || units.get(k) != units.get(k - 1) + 1) {
                String first = profile.units().get(units.get(start)).name();
                String last = profile.units().get(units.get(k - 1)).name();
                runs.add(first.equals(last) ? first : first + ".." + last);
                start = k;
            }
        }
        return String.join(" + ", runs);
    }

    static String describe(CostProfile profile, List<PartitionTiming> partitions) {
        List<String> parts = new ArrayList<>();
        for (PartitionTiming partition : partitions) {
            parts.add(String.format(Locale.ROOT, "%s [%.2f MB, %.2f s]", unitRange(profile, partition.units()),
                    partition.bytes() / 1e6, partition.readyMs() / 1000));
        }
        return String.join("; ", parts);
    }
}
