package org.layerlift.planner.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.layerlift.api.partition.Partition;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.planning.Segments;

/**
 * Checks a strategy's plan (third-party strategies included) against the {@link UploadPlan} contract before anyone
 * relies on it: every partition's units exist and each is uploaded at most once; each partition's server segments lie
 * within the model, ascending and disjoint ({@link Segments#mask}); and run only units already on the server or
 * uploaded by that partition or an earlier one. The contract does not require a plan to upload every unit (a local
 * baseline uploads nothing), so a plan that leaves units on the client is valid.
 */
final class PlanValidation {

    private PlanValidation() {
    }

    /** Why the plan is invalid for the request, one sentence; null when it is valid. */
    static String problem(UploadPlan plan, PlanRequest request) {
        if (plan == null) {
            return "returned no plan";
        }
        if (plan.partitions() == null || plan.earlyQueries() == null) {
            return "returned an incomplete plan (" + (plan.partitions() == null ? "no partitions" : "no early-query policy")
                    + ")";
        }
        int units = request.profile().units().size();
        Set<Integer> onServer = new HashSet<>(request.unitsOnServer());
        Set<Integer> uploaded = new HashSet<>();
        List<Partition> partitions = plan.partitions();
        for (int j = 0; j < partitions.size(); j++) {
            Partition p = partitions.get(j);
            int number = j + 1;
            for (int u : p.units()) {
                if (u < 0 || u >= units) {
                    return "partition " + number + " uploads unit " + u + ", which model '" + request.profile().model()
                            + "' does not have (it has " + units + ")";
                }
                if (!uploaded.add(u)) {
                    return "partition " + number + " uploads unit " + u + " again";
                }
                onServer.add(u);
            }
            boolean[] mask;
            try {
                mask = Segments.mask(p.serverSegments(), units);
            } catch (IllegalArgumentException e) {
                return "partition " + number + " has an invalid execution plan: " + e.getMessage();
            }
            for (int u = 0; u < units; u++) {
                if (mask[u] && !onServer.contains(u)) {
                    return "partition " + number + " runs unit " + u + " on the server before it is uploaded";
                }
            }
        }
        return null;
    }
}
