package org.layerlift.planning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.Segment;

class ExecutionGraphTest {

    /** The authors' procedure literally: adjacency lists in their insertion order, a (distance, node) heap. */
    static List<Segment> dijkstra(UnitChain chain, float penalty) {
        int n = chain.size();
        int nodes = 3 * n + 2;
        List<List<int[]>> edges = new ArrayList<>();
        List<List<Float>> weights = new ArrayList<>();
        for (int v = 0; v < nodes; v++) {
            edges.add(new ArrayList<>());
            weights.add(new ArrayList<>());
        }
        addEdge(edges, weights, 0, 1, 0f);
        for (int i = 0; i < n; i++) {
            int c = 3 * i + 1;
            addEdge(edges, weights, c, c + 1, chain.sendInputMs(i));
            addEdge(edges, weights, c + 1, c + 2, chain.serverEdgeMs(i, penalty));
            addEdge(edges, weights, c + 2, c + 3, chain.returnOutputMs(i));
            addEdge(edges, weights, c, c + 3, chain.clientMs(i));
            if (i > 0) {
                addEdge(edges, weights, c - 1, c + 1, 0f);
            }
        }
        float[] dist = new float[nodes];
        int[] path = new int[nodes];
        java.util.Arrays.fill(dist, Float.POSITIVE_INFINITY);
        dist[0] = 0f;
        PriorityQueue<float[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Float.compare(a[0], b[0])
                : Float.compare(a[1], b[1]));
        queue.add(new float[] {0f, 0});
        while (!queue.isEmpty()) {
            int u = (int) queue.poll()[1];
            for (int k = 0; k < edges.get(u).size(); k++) {
                int v = edges.get(u).get(k)[0];
                float w = weights.get(u).get(k);
                if (dist[v] > dist[u] + w) {
                    dist[v] = dist[u] + w;
                    path[v] = u;
                    queue.add(new float[] {dist[v], v});
                }
            }
        }
        List<Segment> segments = new ArrayList<>();
        int resume = 0;
        for (int node = nodes - 1; node != 0; node = path[node]) {
            boolean server = node % 3 != 1;
            boolean fromServer = path[node] % 3 != 1;
            if (!server && fromServer) {
                resume = path[node];
            } else if (server && !fromServer) {
                segments.add(new Segment((path[node] - 1) / 3, (resume - 1) / 3));
            }
        }
        Collections.reverse(segments);
        return segments;
    }

    private static void addEdge(List<List<int[]>> edges, List<List<Float>> weights, int from, int to, float w) {
        edges.get(from).add(new int[] {to});
        weights.get(from).add(w);
    }

    @Test
    void singlePassMatchesTheAuthorsDijkstraIncludingTies() {
        float[] penalties = {1f, 0.8f, 0.107f, 1f - 0.999f, 0f};
        for (long seed = 0; seed < 400; seed++) {
            CostProfile profile = RandomChains.chain(seed, 1 + (int) (seed % 40), seed % 2 == 0);
            UnitChain chain = UnitChain.of(profile, 1 + seed % 160);
            ExecutionGraph graph = new ExecutionGraph(chain);
            for (float penalty : penalties) {
                assertEquals(dijkstra(chain, penalty), graph.shortestPath(penalty).serverSegments(),
                        "seed " + seed + " penalty " + penalty);
            }
        }
    }

    @Test
    void pathLengthOfTheShortestPlanIsTheShortestDistance() {
        for (long seed = 0; seed < 50; seed++) {
            UnitChain chain = UnitChain.of(RandomChains.chain(seed, 25, false), 40);
            ExecutionGraph graph = new ExecutionGraph(chain);
            ShortestPath best = graph.shortestPath(0.5f);
            assertEquals(best.lengthMs(), graph.pathLengthMs(best.serverSegments(), 0.5f), 0f);
            assertTrue(best.lengthMs() <= graph.pathLengthMs(List.of(), 0.5f));
        }
    }

    @Test
    void fastestRouteOverTheHeldUnitsIsTheBestOfEveryRouteTheyAllow() {
        int n = 8;
        for (long seed = 0; seed < 60; seed++) {
            CostProfile profile = RandomChains.chain(seed, n, seed % 2 == 0);
            java.util.Random random = new java.util.Random(seed);
            boolean[] held = new boolean[n];
            Set<Integer> heldSet = new java.util.HashSet<>();
            for (int u = 0; u < n; u++) {
                held[u] = random.nextInt(3) != 0;
                if (held[u]) {
                    heldSet.add(u);
                }
            }
            ExecutionGraph graph = new ExecutionGraph(UnitChain.of(profile, 40, heldSet));
            ShortestPath route = graph.fastestRouteOver(held);
            for (int u : Segments.units(route.serverSegments())) {
                assertTrue(held[u], "seed " + seed + ": unit " + u + " is not held");
            }
            assertEquals(graph.pathLengthMs(route.serverSegments(), 0f), route.lengthMs(), 1e-3);
            float best = Float.POSITIVE_INFINITY;
            for (int m = 0; m < 1 << n; m++) {
                java.util.SortedSet<Integer> on = new java.util.TreeSet<>();
                for (int u = 0; u < n; u++) {
                    if ((m >> u & 1) == 1) {
                        on.add(u);
                    }
                }
                if (heldSet.containsAll(on)) {
                    best = Math.min(best, graph.pathLengthMs(Segments.of(on), 0f));
                }
            }
            assertEquals(best, route.lengthMs(), 1e-3, "seed " + seed);
        }
    }

    @Test
    void fastestRouteOverNothingHeldRunsLocally() {
        UnitCost unit = new UnitCost("u", 100, 1, 1000, 1, 10, 10, List.of("l"));
        UnitChain chain = UnitChain.of(new CostProfile("m", List.of(unit, unit, unit)), 10);
        ShortestPath route = new ExecutionGraph(chain).fastestRouteOver(new boolean[3]);
        assertEquals(List.of(), route.serverSegments());
        assertEquals(300f, route.lengthMs(), 1e-3);
        assertThrows(IllegalArgumentException.class, () -> new ExecutionGraph(chain).fastestRouteOver(new boolean[2]));
    }

    @Test
    void aFastServerAndFreeUploadOffloadsEverything() {
        UnitCost unit = new UnitCost("u", 100, 1, 1000, 1, 10, 10, List.of("l"));
        UnitChain chain = UnitChain.of(new CostProfile("m", List.of(unit, unit, unit)), 10);
        assertEquals(List.of(new Segment(0, 2)), new ExecutionGraph(chain).shortestPath(0f).serverSegments());
    }

    @Test
    void unitsOnTheServerCostNothingToUpload() {
        UnitCost heavy = new UnitCost("u", 100, 1, 1_000_000_000L, 1, 10, 10, List.of("l"));
        CostProfile profile = new CostProfile("m", List.of(heavy, heavy));
        assertEquals(List.of(), new ExecutionGraph(UnitChain.of(profile, 10)).shortestPath(1f).serverSegments());
        assertEquals(List.of(new Segment(1, 1)),
                new ExecutionGraph(UnitChain.of(profile, 10, Set.of(1))).shortestPath(1f).serverSegments());
    }

    @Test
    void badInputIsRejectedByName() {
        UnitCost good = new UnitCost("good", 1, 1, 1, 1, 1, 1, List.of("l"));
        CostProfile profile = new CostProfile("m", List.of(good));
        assertMessage(() -> new UnitCost("broken", Double.NaN, 1, 1, 1, 1, 1, List.of("l")), "'broken'", "NaN");
        assertMessage(() -> new UnitCost("backwards", 1, -1, 1, 1, 1, 1, List.of("l")), "'backwards'", "server");
        assertMessage(() -> new UnitCost("huge", 1, 1, -1, 1, 1, 1, List.of("l")), "'huge'", "non-negative");
        assertMessage(() -> new CostProfile("m", List.of()), "'m'", "no units");
        assertMessage(() -> UnitChain.of(profile, 0), "bandwidth");
        assertMessage(() -> UnitChain.of(profile, -5), "bandwidth");
        assertMessage(() -> UnitChain.of(profile, Double.NaN), "bandwidth");
        assertMessage(() -> UnitChain.of(profile, 10, Set.of(3)), "unit 3");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage() + " should mention " + part);
        }
    }
}
