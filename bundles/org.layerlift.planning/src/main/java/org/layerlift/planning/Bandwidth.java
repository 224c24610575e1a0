package org.layerlift.planning;

/** The project's bandwidth convention: 1 Mbps = 125,000 bytes/s = 125 bytes/ms. */
public final class Bandwidth {

    public static final double BYTES_PER_MS_PER_MBPS = 125.0;

    private Bandwidth() {
    }

    /** Link rate in bytes per millisecond; rejects what no plan can be made for. */
    public static double bytesPerMs(double mbps) {
        if (!(mbps > 0) || Double.isInfinite(mbps)) {
            throw new IllegalArgumentException("bandwidth must be a positive, finite number of Mbps: " + mbps);
        }
        return mbps * BYTES_PER_MS_PER_MBPS;
    }
}
