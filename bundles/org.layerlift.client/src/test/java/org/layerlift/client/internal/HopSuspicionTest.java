package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HopSuspicionTest {

    static final long MS = 1_000_000L;

    @Test
    void nothingIsSuspectUntilAHopTimesOut() {
        assertFalse(new HopSuspicion().suspect(0));
        assertFalse(new HopSuspicion().suspect(-5 * MS));
    }

    @Test
    void aTimeoutMakesTheGatewaySuspectForTheHopTimeoutThenAProbeIsAllowed() {
        HopSuspicion s = new HopSuspicion();
        s.timedOut(1000 * MS, 2000);
        assertTrue(s.suspect(1000 * MS));
        assertTrue(s.suspect(2999 * MS));
        assertFalse(s.suspect(3000 * MS), "one query may try again");
    }

    @Test
    void eachFurtherTimeoutDoublesTheWindowUpToSixteenTimes() {
        HopSuspicion s = new HopSuspicion();
        long t = 0;
        long[] expected = {1000, 2000, 4000, 8000, 16000, 16000};
        for (long window : expected) {
            s.timedOut(t, 1000);
            assertTrue(s.suspect(t + (window - 1) * MS), "window " + window);
            assertFalse(s.suspect(t + window * MS), "window " + window);
            t += window * MS;
        }
    }

    @Test
    void anythingHeardFromTheGatewayEndsItAndResetsTheDoubling() {
        HopSuspicion s = new HopSuspicion();
        s.timedOut(0, 1000);
        s.timedOut(1000 * MS, 1000);
        s.heard();
        assertFalse(s.suspect(1500 * MS));
        s.timedOut(2000 * MS, 1000);
        assertFalse(s.suspect(3000 * MS), "back to one hop timeout");
    }

    @Test
    void aClockAroundLongOverflowStillWorks() {
        HopSuspicion s = new HopSuspicion();
        long near = Long.MAX_VALUE - 500 * MS;
        s.timedOut(near, 1000);
        assertTrue(s.suspect(near + 900 * MS));
        assertFalse(s.suspect(near + 1000 * MS));
    }
}
