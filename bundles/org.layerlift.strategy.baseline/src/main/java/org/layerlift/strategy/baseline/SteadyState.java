package org.layerlift.strategy.baseline;

import java.util.List;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Segment;
import org.layerlift.planning.ExecutionGraph;
import org.layerlift.planning.UnitChain;

/** The fastest execution plan once every unit could be on the server: the execution graph with no upload cost. */
final class SteadyState {

    private SteadyState() {
    }

    /**
     * The server segments of the minimum-latency plan when uploading costs nothing (penalty 0); empty when running
     * everything on the client is fastest.
     *
     * @throws IllegalArgumentException a cost or the bandwidth the execution graph cannot use (named in the message)
     */
    static List<Segment> bestServerSegments(PlanRequest request) {
        UnitChain chain = UnitChain.of(request.profile(), request.bandwidthMbps(), request.unitsOnServer());
        return new ExecutionGraph(chain).shortestPath(0f).serverSegments();
    }
}
