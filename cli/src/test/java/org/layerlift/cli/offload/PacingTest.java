package org.layerlift.cli.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PacingTest {

    @Test
    void backToBackNeverWaits() {
        Pacing p = Pacing.parse("back-to-back");
        assertTrue(p.backToBackMode());
        assertEquals(0, p.delayMs(0, 0));
        assertEquals(0, p.delayMs(100, 5));
        assertEquals("back-to-back", p.toString());
    }

    @Test
    void rateRaisesQueryKAtKOverN() {
        Pacing p = Pacing.parse("4/s");
        assertEquals(250, p.intervalMs(), 1e-9);
        assertEquals(0, p.delayMs(0, 0));
        assertEquals(250, p.delayMs(1, 0), 1e-9);
        assertEquals(150, p.delayMs(1, 100), 1e-9);
        // the previous query ended late: start at once
        assertEquals(0, p.delayMs(2, 900), 1e-9);
        assertEquals(2500, p.raisedAtMs(10), 1e-9);
        assertEquals("4/s", p.toString());
        assertEquals(2000, Pacing.parse(" 0.5 /s ").intervalMs(), 1e-9);
    }

    @Test
    void badRates() {
        for (String bad : new String[] {"fast", "0/s", "-1/s", "5", "2000/s", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pacing.parse(bad), bad);
            assertTrue(e.getMessage().contains("back-to-back"));
        }
    }

    @Test
    void stopRules() {
        StopRule d = StopRule.duration(2);
        assertNull(d.check(1999, 0, true, false));
        assertEquals("the duration is over", d.check(2000, 0, false, false));
        StopRule a = StopRule.afterUpload(3);
        assertNull(a.check(10_000, 5, false, false));
        assertNull(a.check(10_000, 2, true, false));
        assertEquals("done", a.check(10_000, 3, true, false));
        assertEquals("the upload failed", a.check(1, 0, false, true));
        assertTrue(a.check(StopRule.DEFAULT_LIMIT_MS, 0, false, false).contains("limit"));
        assertEquals(2000, d.deadlineMs());
    }
}
