package org.layerlift.cli.loadtest;

import java.util.Arrays;
import java.util.Collection;

/**
 * Latency percentiles by the nearest-rank method: the p-th percentile of n sorted values is the value at rank
 * ceil(p/100 * n) (1-based), so it is always one of the measured values and p100 is the maximum.
 */
public final class Percentiles {

    private final double[] sorted;

    private Percentiles(double[] sorted) {
        this.sorted = sorted;
    }

    public static Percentiles of(Collection<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        for (double v : a) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("a latency must be finite, got " + v);
            }
        }
        Arrays.sort(a);
        return new Percentiles(a);
    }

    public int count() {
        return sorted.length;
    }

    /** The p-th percentile (0 &lt; p &lt;= 100), or null when there are no values. */
    public Double at(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile must be in (0, 100], got " + p);
        }
        if (sorted.length == 0) {
            return null;
        }
        // p * n first: exact for whole p, so 95 of 20 values is rank 19, not 20
        int rank = (int) Math.ceil(p * sorted.length / 100);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }

    /** The largest value, or null when there are none. */
    public Double max() {
        return sorted.length == 0 ? null : sorted[sorted.length - 1];
    }
}
