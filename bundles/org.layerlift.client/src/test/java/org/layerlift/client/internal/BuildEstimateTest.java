package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BuildEstimateTest {

    @Test
    void beforeAnyBuildTheDefaultsHold() {
        BuildEstimate e = new BuildEstimate();
        assertEquals(BuildEstimate.DEFAULT_FIXED_MS + BuildEstimate.DEFAULT_MS_PER_MB * 100, e.estimateMs(100_000_000,
                1), 1e-9);
        assertEquals(0, e.estimateMs(0, 0), 1e-9);
    }

    @Test
    void largeBuildsSetThePerByteRateAndSmallOnesTheFixedPartASlowBuildAtOnce() {
        BuildEstimate e = new BuildEstimate();
        e.built(200_000_000, 20 + 1200); // 6 ms/MB, faster than the default 12: half way down, 9
        assertEquals(20 + 900, e.estimateMs(100_000_000, 1), 1e-9);
        e.built(200_000_000, 20 + 4000); // 20 ms/MB, slower: at once
        assertEquals(20 + 2000, e.estimateMs(100_000_000, 1), 1e-9);
        e.built(200_000_000, 20 + 2000); // 10 ms/MB: half way down, 15
        assertEquals(20 + 1500, e.estimateMs(100_000_000, 1), 1e-9);
        e.built(1_000_000, 15 + 15); // 15 ms of weights at 15 ms/MB, the rest fixed: 15, half way down from 20
        assertEquals(2 * 17.5 + 15 * 2, e.estimateMs(2_000_000, 2), 1e-9);
        e.built(1_000_000, 15 + 40); // a fixed part of 40: at once
        assertEquals(40 + 15, e.estimateMs(1_000_000, 1), 1e-9);
    }

    @Test
    void nonsenseIsIgnored() {
        BuildEstimate e = new BuildEstimate();
        e.built(100_000_000, Double.NaN);
        e.built(100_000_000, -1);
        e.built(-5, 10);
        e.built(100_000_000, Double.POSITIVE_INFINITY);
        assertEquals(new BuildEstimate().estimateMs(50_000_000, 1), e.estimateMs(50_000_000, 1), 1e-9);
    }
}
