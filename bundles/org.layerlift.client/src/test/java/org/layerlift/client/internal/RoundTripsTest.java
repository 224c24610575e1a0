package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoundTripsTest {

    @Test
    void theMedianFollowsTheNewestRoundTrips() {
        RoundTrips r = new RoundTrips();
        assertEquals(0, r.medianMs());
        // a crowd opening at once: the open's five are slow
        for (double ms : new double[] {900, 1200, 800, 1500, 1100}) {
            r.add(ms);
        }
        assertEquals(1100, r.medianMs());
        r.add(20);
        r.add(25);
        assertEquals(800, r.medianMs(), "two fast ones are not a majority yet");
        r.add(22);
        assertEquals(25, r.medianMs(), "three of five: the crowd has gone");
        r.add(Double.NaN);
        r.add(Double.POSITIVE_INFINITY);
        r.add(-1);
        assertEquals(25, r.medianMs(), "failed probes count for nothing");
    }

    @Test
    void anEvenCountTakesTheMiddleTwo() {
        RoundTrips r = new RoundTrips();
        r.add(10);
        r.add(30);
        assertEquals(20, r.medianMs());
    }

    @Test
    void oneProbeAtATimeAndNotTooOften() {
        RoundTrips r = new RoundTrips();
        r.add(100);
        long t = 5_000_000_000L;
        assertTrue(r.startProbe(t));
        assertFalse(r.startProbe(t + RoundTrips.PROBE_EVERY_NS * 2), "one in flight");
        r.probed(30);
        assertFalse(r.startProbe(t + RoundTrips.PROBE_EVERY_NS - 1));
        assertTrue(r.startProbe(t + RoundTrips.PROBE_EVERY_NS));
        r.probed(Double.NaN);
        assertEquals(65, r.medianMs());
    }
}
