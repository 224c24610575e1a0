package org.layerlift.session.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What this gateway's segment builds really take, against what the cost profile charges for them (pure, thread-safe).
 *
 * <p>The profile charges a segment's build as its units' load times (one whole-model load shared out by weight bytes)
 * plus their server times (the warm-up run). A real build also creates an ONNX Runtime session for the segment and
 * optimises its graph, a cost per build that the shared-out load does not hold, and it runs beside the chunks being
 * stored. Each build is recorded here with its profiled and measured time; {@link #fit()} is the least-squares line
 * {@code measured = fixedMs + scale × profiled} over the latest {@value #KEPT} builds. Plans made from then on charge
 * each build that way: {@code scale} on the units' load times, {@code fixedMs} per segment built
 * ({@code segment_build_ms} in the plan).
 */
final class BuildTimes {

    /** builds the fit follows (older ones are forgotten: a gateway warms up, its load changes) */
    static final int KEPT = 64;
    /** builds before the fit says anything */
    static final int MIN_BUILDS = 4;
    static final double MIN_SCALE = 0.25;
    static final double MAX_SCALE = 8;
    static final double MAX_FIXED_MS = 2000;

    /** The profile's charge for a build mapped to what builds take: {@code fixedMs + scale × profiled}. */
    record Fit(double fixedMs, double scale, int builds) {
        static final Fit PROFILE = new Fit(0, 1, 0);

        double ms(double profiledMs) {
            return fixedMs + scale * profiledMs;
        }
    }

    private record Build(double profiledMs, double measuredMs) {}

    private final Deque<Build> builds = new ArrayDeque<>();

    /** Records one build; ignored unless both times are finite and positive. */
    synchronized void record(double profiledMs, double measuredMs) {
        if (!(profiledMs > 0) || !(measuredMs > 0) || Double.isInfinite(profiledMs)
                || Double.isInfinite(measuredMs)) {
            return;
        }
        builds.addLast(new Build(profiledMs, measuredMs));
        while (builds.size() > KEPT) {
            builds.removeFirst();
        }
    }

    /**
     * The line through the recorded builds; the profile as it is ({@link Fit#PROFILE}) before {@value #MIN_BUILDS}
     * builds. When the builds' profiled times are all about the same, only the mean difference is fitted (scale 1).
     * The scale stays within [{@value #MIN_SCALE}, {@value #MAX_SCALE}] and the fixed part within
     * [0, {@value #MAX_FIXED_MS}] ms, each fitted again with the other held.
     */
    synchronized Fit fit() {
        int n = builds.size();
        if (n < MIN_BUILDS) {
            return new Fit(0, 1, n);
        }
        double mx = 0;
        double my = 0;
        for (Build b : builds) {
            mx += b.profiledMs;
            my += b.measuredMs;
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        for (Build b : builds) {
            sxx += (b.profiledMs - mx) * (b.profiledMs - mx);
            sxy += (b.profiledMs - mx) * (b.measuredMs - my);
        }
        double scale = sxx > 1e-9 * Math.max(1, mx * mx) * n ? sxy / sxx : 1;
        scale = clamp(scale, MIN_SCALE, MAX_SCALE);
        double fixed = my - scale * mx;
        if (fixed < 0 || fixed > MAX_FIXED_MS) {
            fixed = clamp(fixed, 0, MAX_FIXED_MS);
            // the fixed part held at its bound: the scale that fits best through it
            double sx2 = 0;
            double sx = 0;
            for (Build b : builds) {
                sx2 += b.profiledMs * b.profiledMs;
                sx += b.profiledMs * (b.measuredMs - fixed);
            }
            scale = clamp(sx2 > 0 ? sx / sx2 : 1, MIN_SCALE, MAX_SCALE);
        }
        return new Fit(fixed, scale, n);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
