package org.layerlift.planning;

import java.util.List;
import org.layerlift.api.partition.Segment;

/**
 * The best execution plan at one penalty.
 *
 * @param serverSegments the server segments along the path, ascending; empty when everything runs on the client
 * @param lengthMs       the path length (float, as the authors sum it)
 */
public record ShortestPath(List<Segment> serverSegments, float lengthMs) {

    public ShortestPath {
        serverSegments = List.copyOf(serverSegments);
    }
}
