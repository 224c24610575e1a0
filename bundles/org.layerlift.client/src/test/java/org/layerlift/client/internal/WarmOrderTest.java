package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WarmOrderTest {

    static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void aFastUploadBuildsTheRouteThatWillServeLongestFirstNotThePlansFirst() {
        // AlexNet at 160 Mbit/s under efficiency: five partitions ready within 0.8 s, each route's client part about
        // a second to build, the last partition at 1.85 s; local 800 ms
        double[] latency = {300, 370, 218, 190, 141, 120};
        double[] eta = {350, 350, 560, 720, 800, 1850};
        double[] build = {1000, 1000, 1000, 1000, 1000, 1000};
        assertEquals(4, WarmOrder.next(latency, eta, build, 800), "partition 4's route, not partition 0's");
        // plan order would build 0, 1, 2, 3 first: four seconds, past the upload's end
    }

    @Test
    void onceTheBestRouteIsUsableOnlyFasterOnesAreWorthBuilding() {
        double[] latency = {300, 141, 120};
        double[] eta = {0, 0, 1000};
        double[] build = {1000, 0, 200};
        // partition 0 is slower than the usable 141 ms route: never; the final one is faster
        assertEquals(2, WarmOrder.next(latency, eta, build, 141));
        // nothing faster to build: none
        assertEquals(-1, WarmOrder.next(latency, eta, new double[] {1000, 0, 0}, 120));
    }

    @Test
    void afterTheUploadTheFastestReadyRouteIsBuilt() {
        // everything ready; the windows after the upload are short against these builds, the final route still wins
        double[] latency = {300, 200, 120};
        double[] eta = {0, 0, 0};
        assertEquals(2, WarmOrder.next(latency, eta, new double[] {5000, 5000, 5000}, 800));
        assertEquals(2, WarmOrder.next(latency, eta, new double[] {100, 100, 100}, 800));
    }

    @Test
    void routesThatFailedNoRouteAndUnknownEtasAreSkipped() {
        double[] latency = {Double.NaN, 100, 150, 160};
        double[] eta = {0, 0, INF, 500};
        double[] build = {100, INF, 100, 100};
        // 0 has no route, 1 failed to build, 2's ETA is unknown: 3
        assertEquals(3, WarmOrder.next(latency, eta, build, 800));
        assertEquals(-1, WarmOrder.next(latency, eta, new double[] {100, INF, 100, 0}, 800));
    }
}
