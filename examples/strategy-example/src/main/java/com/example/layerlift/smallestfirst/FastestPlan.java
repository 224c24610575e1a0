package com.example.layerlift.smallestfirst;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.Segment;

/**
 * The fastest execution plan over a unit chain when only some units may run on the server. A query's latency is
 * the client time of its client units, plus per server segment {@code first..last}: the input of {@code first} up,
 * the server time of the segment, the output of {@code last} down (the gateway's own latency model).
 */
final class FastestPlan {

    private FastestPlan() {
    }

    /**
     * Server segments of the fastest plan, ascending; empty when running everything locally is fastest (ties go to
     * the client).
     *
     * @param onServer   which units may run on the server
     * @param bytesPerMs link rate
     */
    static List<Segment> segments(List<UnitCost> units, boolean[] onServer, double bytesPerMs) {
        int n = units.size();
        // two states at the boundary before unit i: the activation is on the client, or on the server
        double[] client = new double[n + 1];
        double[] server = new double[n + 1];
        boolean[] clientCameDown = new boolean[n + 1];    // unit i-1 ran on the client after a server segment ended
        boolean[] serverWentUp = new boolean[n + 1];      // unit i-1 ran on the server and started a segment
        server[0] = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            UnitCost u = units.get(i);
            double down = i == 0 ? Double.POSITIVE_INFINITY : server[i] + units.get(i - 1).outputBytes() / bytesPerMs;
            clientCameDown[i + 1] = down < client[i];
            client[i + 1] = Math.min(client[i], down) + u.clientMs();
            if (onServer[i]) {
                double up = client[i] + u.inputBytes() / bytesPerMs;
                serverWentUp[i + 1] = up < server[i];
                server[i + 1] = Math.min(server[i], up) + u.serverMs();
            } else {
                server[i + 1] = Double.POSITIVE_INFINITY;
            }
        }
        boolean onServerNow = server[n] + units.get(n - 1).outputBytes() / bytesPerMs < client[n];

        // walk back from the end, collecting the runs of units on the server
        List<Segment> segments = new ArrayList<>();
        int last = -1;
        for (int i = n; i > 0; i--) {
            if (onServerNow) {
                if (last < 0) {
                    last = i - 1;
                }
                if (serverWentUp[i]) {
                    segments.add(new Segment(i - 1, last));
                    last = -1;
                    onServerNow = false;
                }
            } else {
                onServerNow = clientCameDown[i];
            }
        }
        Collections.reverse(segments);
        return segments;
    }
}
