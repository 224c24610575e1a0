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
    void largeBuildsSetThePerByteRateAndSmallOnesTheFixedPart() {
        BuildEstimate e = new BuildEstimate();
        e.built(200_000_000, 20 + 2000); // 10 ms/MB
        assertEquals(20 + 1000, e.estimateMs(100_000_000, 1), 1e-9);
        e.built(200_000_000, 20 + 4000); // 20 ms/MB: the mean of the two
        assertEquals(20 + 1500, e.estimateMs(100_000_000, 1), 1e-9);
        e.built(1_000_000, 15 + 15); // 15 ms of weights at 15 ms/MB, the rest fixed: 15, and the mean with 20
        assertEquals(2 * 17.5 + 15 * 2, e.estimateMs(2_000_000, 2), 1e-9);
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
