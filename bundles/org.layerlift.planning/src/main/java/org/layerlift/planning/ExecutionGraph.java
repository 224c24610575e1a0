package org.layerlift.planning;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.layerlift.api.partition.Segment;

/**
 * IONN's execution graph over a unit chain. Node 0 is the source; unit i has a client node {@code c = 3i+1}
 * (before the unit) and two server nodes {@code c+1} (input arrived) and {@code c+2} (output computed); the client
 * node after the last unit is the sink. Edges: run on the client (tc), send the input (in/B), run on the server with
 * the penalised upload ({@link UnitChain#serverEdgeMs}), return the output (out/B), stay on the server (0).
 *
 * <p>The authors solve it with Dijkstra over float distances, keeping the first predecessor found and popping equal
 * distances by node number. Every edge points to a higher node, so a single pass in node order with that tie rule
 * gives the same path: among the predecessors reaching a node equally fast, the one with the smaller
 * (distance, node) wins. Unlike theirs, no distance is too long to be found (they cap at 9,999,999 ms).
 */
public final class ExecutionGraph {

    private final UnitChain chain;

    public ExecutionGraph(UnitChain chain) {
        this.chain = chain;
    }

    public UnitChain chain() {
        return chain;
    }

    public ShortestPath shortestPath(float penalty) {
        return path(penalty, null);
    }

    /**
     * The fastest route once everything is loaded (penalty 0) that runs on the server only units with
     * {@code serverMay[unit]}: the best a query can do with the units the server holds. No segment when running
     * locally is fastest. Same tie rule as {@link #shortestPath}.
     */
    public ShortestPath fastestRouteOver(boolean[] serverMay) {
        if (serverMay.length != chain.size()) {
            throw new IllegalArgumentException("a mask of " + serverMay.length + " units for a chain of "
                    + chain.size());
        }
        return path(0f, serverMay);
    }

    /** The single pass; a unit without {@code serverMay} (null: every unit may) has unreachable server nodes. */
    private ShortestPath path(float penalty, boolean[] serverMay) {
        int n = chain.size();
        int nodes = 3 * n + 2;
        float[] dist = new float[nodes];
        int[] previous = new int[nodes];
        dist[1] = 0f + 0f;
        previous[1] = 0;
        for (int i = 0; i < n; i++) {
            int client = 3 * i + 1;
            int serverIn = client + 1;
            int serverOut = client + 2;
            int nextClient = client + 3;
            if (serverMay == null || serverMay[i]) {
                relaxFirst(dist, previous, serverIn, client, chain.sendInputMs(i));
                if (i > 0) {
                    relax(dist, previous, serverIn, client - 1, 0f); // no effect after an unreachable unit
                }
                relaxFirst(dist, previous, serverOut, serverIn, chain.serverEdgeMs(i, penalty));
            } else {
                dist[serverIn] = Float.POSITIVE_INFINITY;
                dist[serverOut] = Float.POSITIVE_INFINITY;
                previous[serverIn] = client;
                previous[serverOut] = serverIn;
            }
            relaxFirst(dist, previous, nextClient, client, chain.clientMs(i));
            relax(dist, previous, nextClient, serverOut, chain.returnOutputMs(i));
        }
        return new ShortestPath(decode(previous, 3 * n + 1), dist[3 * n + 1]);
    }

    private static void relaxFirst(float[] dist, int[] previous, int node, int from, float weight) {
        dist[node] = dist[from] + weight;
        previous[node] = from;
    }

    private static void relax(float[] dist, int[] previous, int node, int from, float weight) {
        float through = dist[from] + weight;
        int current = previous[node];
        if (through < dist[node]
                || through == dist[node] && (dist[from] < dist[current] || dist[from] == dist[current] && from < current)) {
            dist[node] = through;
            previous[node] = from;
        }
    }

    private static boolean isServer(int node) {
        return node % 3 != 1;
    }

    /** Walks back from the sink: a server node entered from a client node opens a segment, the reverse closes it. */
    private static List<Segment> decode(int[] previous, int sink) {
        List<Segment> segments = new ArrayList<>();
        int resumeUnit = -1;
        for (int node = sink; node != 1; node = previous[node]) {
            int from = previous[node];
            if (!isServer(node) && isServer(from)) {
                resumeUnit = (from - 1) / 3;
            } else if (isServer(node) && !isServer(from)) {
                segments.add(new Segment((from - 1) / 3, resumeUnit));
            }
        }
        Collections.reverse(segments);
        return segments;
    }

    /** Length of the path that runs the given server segments, summed in path order as the graph sums it. */
    public float pathLengthMs(List<Segment> serverSegments, float penalty) {
        boolean[] onServer = Segments.mask(serverSegments, chain.size());
        float length = 0f;
        for (int i = 0; i < chain.size(); i++) {
            if (!onServer[i]) {
                length += chain.clientMs(i);
                continue;
            }
            if (i == 0 || !onServer[i - 1]) {
                length += chain.sendInputMs(i);
            }
            length += chain.serverEdgeMs(i, penalty);
            if (i == chain.size() - 1 || !onServer[i + 1]) {
                length += chain.returnOutputMs(i);
            }
        }
        return length;
    }
}
