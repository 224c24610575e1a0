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

    @Test
    void aRouteSlowerThanOneNotReadyYetIsBuiltFirstAndOneSlowerThanLocalNever() {
        // the only unbuilt route is slower than local until... never: nothing; a route slower than the built one
        // becomes worth it only if the built one is not ready yet: at 0 the built route 1 (ready at 3000) is not
        // usable, so route 0 (ready at 0) is built at once
        double[] latency = {300, 100};
        double[] ready = {0, 3000};
        double[] usable = WarmOrder.schedule(latency, ready, new double[] {500, 0}, 800);
        assertEquals(500, usable[0], 1e-9);
        assertEquals(0, usable[1]);
        assertEquals(INF, WarmOrder.schedule(new double[] {900}, new double[] {0}, new double[] {10}, 800)[0]);
    }

    @Test
    void theScheduleBuildsOneRouteAfterTheOtherAsTheWarmerWould() {
        // the AlexNet case: partition 4's route first (usable at 1000), then the final one (at 2000); the others,
        // slower than partition 4's, never
        double[] latency = {300, 370, 218, 190, 141, 120};
        double[] ready = {350, 350, 560, 720, 800, 1850};
        double[] build = {1000, 1000, 1000, 1000, 1000, 1000};
        double[] usable = WarmOrder.schedule(latency, ready, build, 800);
        assertEquals(1000, usable[4], 1e-9);
        assertEquals(2000, usable[5], 1e-9);
        for (int j : new int[] {0, 1, 2, 3}) {
            assertEquals(INF, usable[j]);
        }
    }

    @Test
    void theScheduleKeepsWhatIsBuiltSkipsWhatDoesNotBuildAndBuildsAhead() {
        // partition 0 built already; partition 1 has no route; partition 2 fails to build; partition 3's route is no
        // better than partition 0's; partition 4's is, and is built ahead of its ready time
        double[] latency = {100, Double.NaN, 50, 100, 40};
        double[] ready = {0, 10, 20, 30, 5000};
        double[] build = {0, 10, INF, 10, 100};
        double[] usable = WarmOrder.schedule(latency, ready, build, 800);
        assertEquals(0, usable[0]);
        assertEquals(INF, usable[1]);
        assertEquals(INF, usable[2]);
        assertEquals(INF, usable[3]);
        assertEquals(100, usable[4], 1e-9);
    }

    @Test
    void aSlowRouteIsNotBuiltWhileABuiltFasterOneIsAboutToBeReady() {
        // AlexNet at 160 Mbit/s under ionn, as measured: partition 3's route (135 ms) built and ready in 174 ms;
        // partition 2's (178 ms) ready now but 2.7 s to build, when partition 3's has long served: not built
        double[] latency = {657, 364, 178, 135, 92};
        double[] eta = {0, 0, 0, 174, 12_090};
        double[] build = {2850, 2800, 2705, 0, 0};
        assertEquals(-1, WarmOrder.next(latency, eta, build, 657));
        // were partition 3 an hour away, partition 2's route would pay
        assertEquals(2, WarmOrder.next(latency, new double[] {0, 0, 0, 3_600_000, 3_600_100}, build, 657));
        // the saving counts only against what the built route does not already give: 300 ms faster from 1000 on,
        // against local (800) before 2000 and 400 ms after, saves (800-300) x 1000 + (400-300) x 1000
        double[] l = {300, 400};
        double[] e = {0, 2000};
        double[] b = {1000, 0};
        assertEquals(0, WarmOrder.next(l, e, b, 800));
        double[] usable = WarmOrder.schedule(l, e, b, 800);
        assertEquals(1000, usable[0], 1e-9);
        assertEquals(0, usable[1]);
    }
}
