package org.layerlift.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BuildTimesTest {

    @Test
    void beforeEnoughBuildsTheProfileStandsAsItIs() {
        BuildTimes t = new BuildTimes();
        assertEquals(BuildTimes.Fit.PROFILE.ms(120), t.fit().ms(120));
        for (int i = 0; i < BuildTimes.MIN_BUILDS - 1; i++) {
            t.record(10 + i, 500);
        }
        BuildTimes.Fit f = t.fit();
        assertEquals(0, f.fixedMs());
        assertEquals(1, f.scale());
        assertEquals(BuildTimes.MIN_BUILDS - 1, f.builds());
    }

    @Test
    void aFixedPartPerBuildAndAScaleAreFittedFromTheBuilds() {
        // the gateway measured on this machine: about 48 ms per build plus 0.86 of the profile's charge
        BuildTimes t = new BuildTimes();
        double[] profiled = {9.8, 5.7, 19.1, 23.8, 60.3, 116, 162.3, 241.9};
        for (double p : profiled) {
            t.record(p, 48 + 0.86 * p);
        }
        BuildTimes.Fit f = t.fit();
        assertEquals(48, f.fixedMs(), 1e-6);
        assertEquals(0.86, f.scale(), 1e-9);
        assertEquals(48 + 0.86 * 100, f.ms(100), 1e-6);
        assertEquals(profiled.length, f.builds());
    }

    @Test
    void buildsAllOfOneSizeFitOnlyTheDifference() {
        BuildTimes t = new BuildTimes();
        for (int i = 0; i < 6; i++) {
            t.record(50, 80 + (i % 2 == 0 ? 5 : -5));
        }
        BuildTimes.Fit f = t.fit();
        assertEquals(1, f.scale());
        assertEquals(30, f.fixedMs(), 1e-9);
    }

    @Test
    void theFitStaysWithinItsBoundsAndANegativeFixedPartIsRefitted() {
        // faster than the profile with no fixed part: the line would cross below 0 at 0; fixed 0, scale through it
        BuildTimes t = new BuildTimes();
        double[] profiled = {10, 20, 40, 80, 160};
        for (double p : profiled) {
            t.record(p, p < 50 ? 0.5 * p : 0.9 * p - 30);
        }
        BuildTimes.Fit f = t.fit();
        assertEquals(0, f.fixedMs());
        double sx2 = 0;
        double sxy = 0;
        for (double p : profiled) {
            sx2 += p * p;
            sxy += p * (p < 50 ? 0.5 * p : 0.9 * p - 30);
        }
        assertEquals(sxy / sx2, f.scale(), 1e-9);
        // absurdly slow builds: clamped
        BuildTimes slow = new BuildTimes();
        for (double p : profiled) {
            slow.record(p, 100 * p);
        }
        assertEquals(BuildTimes.MAX_SCALE, slow.fit().scale());
    }

    @Test
    void onlyTheLatestBuildsCountAndBadTimesAreIgnored() {
        BuildTimes t = new BuildTimes();
        for (int i = 0; i < BuildTimes.KEPT; i++) {
            t.record(10 + i, 1000); // a cold gateway: everything slow
        }
        for (int i = 0; i < BuildTimes.KEPT; i++) {
            t.record(10 + i, 20 + 2.0 * (10 + i)); // warm
        }
        t.record(Double.NaN, 5);
        t.record(10, Double.POSITIVE_INFINITY);
        t.record(-1, 5);
        t.record(10, 0);
        BuildTimes.Fit f = t.fit();
        assertEquals(BuildTimes.KEPT, f.builds());
        assertEquals(20, f.fixedMs(), 1e-6);
        assertEquals(2, f.scale(), 1e-9);
    }
}
