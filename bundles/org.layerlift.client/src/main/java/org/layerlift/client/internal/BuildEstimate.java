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
    private boolean measuredLarge;

    /** A build of a part with {@code weightBytes} of weights took {@code ms}. */
    synchronized void built(long weightBytes, double ms) {
        if (!(ms >= 0) || Double.isInfinite(ms) || weightBytes < 0) {
            return;
        }
        if (weightBytes >= LARGE_BYTES) {
            double rate = Math.max(0, ms - fixedMs) / (weightBytes / 1e6);
            msPerMb = measuredLarge ? (msPerMb + rate) / 2 : rate;
            measuredLarge = true;
        } else {
            double fixed = Math.max(0, ms - msPerMb * weightBytes / 1e6);
            fixedMs = (fixedMs + fixed) / 2;
        }
    }

    /** The estimated build time of parts holding {@code weightBytes} in all, built as {@code parts} sessions. */
    synchronized double estimateMs(long weightBytes, int parts) {
        return parts * fixedMs + msPerMb * Math.max(0, weightBytes) / 1e6;
    }
}
