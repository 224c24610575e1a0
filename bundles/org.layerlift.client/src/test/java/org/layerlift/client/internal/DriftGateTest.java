package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DriftGateTest {

    private static final long MS = 1_000_000L;

    @Test
    void aDipShorterThanTwoSecondsIsNotReported() {
        DriftGate g = new DriftGate();
        for (long t = 0; t < 1_500; t += 100) {
            assertFalse(g.shouldReport(30, 40, t * MS), "at " + t + " ms");
        }
        assertFalse(g.shouldReport(39, 40, 1_600 * MS)); // over: the link is back
        for (long t = 1_700; t < 3_600; t += 100) {
            assertFalse(g.shouldReport(30, 40, t * MS), "a new dip starts its own clock, at " + t + " ms");
        }
    }

    @Test
    void aDriftThatLastsIsReportedOnceThenAtMostEveryThreeSeconds() {
        DriftGate g = new DriftGate();
        assertFalse(g.shouldReport(10, 40, 0));
        assertFalse(g.shouldReport(10, 40, 1_900 * MS));
        assertTrue(g.shouldReport(10, 40, 2_000 * MS));
        // the gateway's new plan assumed 10; the link changes again at once
        assertFalse(g.shouldReport(20, 10, 2_100 * MS));
        assertFalse(g.shouldReport(20, 10, 4_100 * MS), "2 s of drift, but the last report is only 2 s old");
        assertTrue(g.shouldReport(20, 10, 5_000 * MS));
    }

    @Test
    void noRateAndSmallDriftsAreNeverReported() {
        DriftGate g = new DriftGate();
        for (long t = 0; t < 10_000; t += 100) {
            assertFalse(g.shouldReport(0, 40, t * MS));
            assertFalse(g.shouldReport(33, 40, t * MS + 50 * MS));
        }
    }
}
