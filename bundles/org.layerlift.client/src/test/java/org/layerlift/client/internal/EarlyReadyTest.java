package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class EarlyReadyTest {

    private static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) {
            b.set(i);
        }
        return b;
    }

    @Test
    void aNoticeForThePlanOnItsWayCountsWhenThePlanComes() {
        EarlyReady e = new EarlyReady();
        e.told(3, 0, 2);
        e.told(3, 2, 2);
        assertEquals(bits(0, 2), e.take(3, 4, true));
        assertEquals(bits(), e.take(3, 4, true), "taken once");
    }

    @Test
    void onlyTheNewestPlansNoticesAreKept() {
        EarlyReady e = new EarlyReady();
        e.told(3, 0, 2);
        e.told(4, 1, 2);
        e.told(3, 2, 2); // older than what is kept
        assertEquals(bits(), e.take(3, 4, true), "plan 3's notice was dropped for plan 4's");
        assertEquals(bits(1), e.take(4, 4, true));
    }

    @Test
    void staleOutOfRangeAndForeignNoticesCountForNothing() {
        EarlyReady e = new EarlyReady();
        e.told(2, 0, 2); // for the plan in force: the session handles it itself
        e.told(1, 0, 2);
        e.told(3, -1, 2);
        e.told(3, EarlyReady.MAX_PARTITIONS, 2);
        assertEquals(bits(), e.take(3, 4, true));
        e.told(5, 3, 2);
        assertEquals(bits(), e.take(5, 2, true), "an index past the plan's partitions");
        e.told(7, 0, 2);
        assertEquals(bits(), e.take(7, 4, false), "a new session: its versions are not these");
        assertEquals(bits(), e.take(7, 4, true), "and forgotten");
    }

    @Test
    void aPlanOlderThanTheNoticesKeepsThem() {
        EarlyReady e = new EarlyReady();
        e.told(5, 1, 2);
        assertEquals(bits(), e.take(4, 4, true));
        assertEquals(bits(1), e.take(5, 4, true));
    }
}
