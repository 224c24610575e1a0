package org.layerlift.api.partition;

import java.util.List;

/**
 * A strategy's answer: partitions in upload order, each with the execution plan valid once it is ready.
 *
 * @param strategy     name of the strategy that made it
 * @param partitions   the partitions in upload order
 * @param earlyQueries what a query does before partition 1 is ready
 */
public record UploadPlan(String strategy, List<Partition> partitions, EarlyQueryPolicy earlyQueries) {

    public UploadPlan {
        partitions = List.copyOf(partitions);
    }
}
