package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateMeterTest {

    @Test
    void noRateBeforeEnoughBytesAndTime() {
        RateMeter m = new RateMeter();
        m.busy();
        m.acked(1000);
        assertEquals(0, m.mbps());
    }

    @Test
    void idleTimeDoesNotCount() throws Exception {
        RateMeter m = new RateMeter();
        m.busy();
        long end = System.nanoTime() + 1_100_000_000L;
        while (System.nanoTime() < end) {
            Thread.sleep(100);
            m.acked(50_000);
        }
        double busyRate = m.mbps();
        assertTrue(busyRate > 0, "a rate after 1.1 s and 550 kB");
        m.idle();
        Thread.sleep(300);
        m.busy();
        m.acked(1);
        // the 300 ms idle are not in the rate
        assertTrue(m.mbps() > busyRate * 0.9, m.mbps() + " vs " + busyRate);
    }
}
