package org.layerlift.client.internal;

/**
 * How long building a client part's ONNX Runtime session takes, from the builds so far: a fixed part (graph
 * optimisation, the warm-up run) and a part per byte of weights (copying them into the session). A route whose parts
 * are not built yet is then priced with its build, so a query can build a small part and take a route that beats
 * running locally (GoogLeNet's first routes at 160 Mbit/s, tens of ms) and leaves a large one (AlexNet's fc6 and fc7,
 * 1.6 to 3.1 s) to the background warmer. Thread-safe.
 */
final class BuildEstimate {

    /** builds of parts with at least this many weight bytes measure the per-byte rate; smaller ones the fixed part */
    static final long LARGE_BYTES = 4L << 20;
    /** before any large build: about what this machine takes (AlexNet's 218 MB part, 1.6–3.1 s) */
    static final double DEFAULT_MS_PER_MB = 12;
    static final double DEFAULT_FIXED_MS = 20;

    private double fixedMs = DEFAULT_FIXED_MS;
    private double msPerMb = DEFAULT_MS_PER_MB;

    /** A build of a part with {@code weightBytes} of weights took {@code ms}. */
    synchronized void built(long weightBytes, double ms) {
        if (!(ms >= 0) || Double.isInfinite(ms) || weightBytes < 0) {
            return;
        }
        // a slow build counts at once, a fast one pulls the figure down by half the difference: a build is dearer
        // while the upload, the queries and (on a shared machine) the gateway run beside it than the quiet one at
        // open (AlexNet: its whole 244 MB at open in about 0.3 s, a 218 MB part during the upload in 1.5-2 s), and
        // an estimate too low makes a query build a route that then takes longer than running locally
        if (weightBytes >= LARGE_BYTES) {
            double rate = Math.max(0, ms - fixedMs) / (weightBytes / 1e6);
            msPerMb = rate > msPerMb ? rate : (msPerMb + rate) / 2;
        } else {
            double fixed = Math.max(0, ms - msPerMb * weightBytes / 1e6);
            fixedMs = fixed > fixedMs ? fixed : (fixedMs + fixed) / 2;
        }
    }

    /** The estimated build time of parts holding {@code weightBytes} in all, built as {@code parts} sessions. */
    synchronized double estimateMs(long weightBytes, int parts) {
        return parts * fixedMs + msPerMb * Math.max(0, weightBytes) / 1e6;
    }
}
