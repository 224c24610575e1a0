package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateMeterTest {

    @Test
    void noRateBeforeEnoughBytesAndTime() {
        RateMeter m = new RateMeter();
        m.begin();
        m.end(1000);
        assertEquals(0, m.mbps());
    }

    @Test
    void timeWithNothingInFlightDoesNotCount() throws Exception {
        RateMeter m = new RateMeter();
        long bytes = 0;
        long busyStart = System.nanoTime();
        for (int i = 0; i < 12; i++) {
            m.begin();
            Thread.sleep(100);
            m.end(50_000);
            bytes += 50_000;
            if (i == 5) {
                Thread.sleep(400); // idle: not the link's time
            }
        }
        double elapsed = (System.nanoTime() - busyStart) / 1e9;
        double rate = m.mbps();
        double withIdle = bytes * 8 / elapsed / 1e6;
        assertTrue(rate > withIdle * 1.15, "idle excluded: " + rate + " vs " + withIdle + " over the wall time");
        assertTrue(rate <= bytes * 8 / 1.2 / 1e6 * 1.01, "no more than bytes over the busy time: " + rate);
    }

    @Test
    void overlappingItemsCountTheirTimeOnce() throws Exception {
        RateMeter m = new RateMeter();
        for (int i = 0; i < 6; i++) {
            m.begin();
            m.begin();
            Thread.sleep(200);
            m.end(100_000);
            m.end(100_000);
        }
        // 1.2 MB in about 1.2 s of busy time: ~8 Mbit/s, not half of it
        assertTrue(m.mbps() > 6, "rate " + m.mbps());
    }

    @Test
    void timeOfWhatFailedAndOfAStallIsNotTheLinks() throws Exception {
        RateMeter m = new RateMeter();
        for (int i = 0; i < 12; i++) {
            m.begin();
            Thread.sleep(100);
            m.end(50_000); // 4 Mbit/s
        }
        double before = m.mbps();
        m.begin();
        Thread.sleep(600); // the connection goes: the chunk failed
        m.end(0);
        m.begin();
        Thread.sleep(600); // the link is dark, then something is heard again
        m.stalled();
        Thread.sleep(100);
        m.end(50_000);
        double after = m.mbps();
        assertTrue(before > 3 && before <= 4.1, "rate " + before);
        assertTrue(after > before * 0.85, "the dead time not counted: " + after + " against " + before);
    }
}
