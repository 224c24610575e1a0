package org.layerlift.api.partition;

import java.util.List;

/**
 * One step of an upload: the units whose weights it sends, and the execution plan queries use once it is ready.
 *
 * @param units            unit indices uploaded in this partition, ascending
 * @param serverSegments   execution plan once this partition is on the server: disjoint server segments, ascending
 */
public record Partition(List<Integer> units, List<Segment> serverSegments) {

    public Partition {
        units = List.copyOf(units);
        serverSegments = List.copyOf(serverSegments);
    }
}
