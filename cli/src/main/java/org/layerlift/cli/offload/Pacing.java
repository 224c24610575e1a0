package org.layerlift.cli.offload;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When queries start: {@code back-to-back} (each starts when the previous one ends) or {@code N/s} (query k is raised
 * at k / N seconds and starts then, or when the previous one ends if that is later).
 *
 * @param intervalMs ms between raised queries, 0 for back to back
 */
public record Pacing(double intervalMs) {

    private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*/\\s*s");

    public Pacing {
        if (!Double.isFinite(intervalMs) || intervalMs < 0) {
            throw new IllegalArgumentException("a query interval must be finite and >= 0, got " + intervalMs);
        }
    }

    public static Pacing backToBack() {
        return new Pacing(0);
    }

    /**
     * Parses {@code back-to-back} or {@code <N>/s} (N &gt; 0, at most 1000).
     *
     * @throws IllegalArgumentException saying what to write instead
     */
    public static Pacing parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("back-to-back") || t.equals("backtoback")) {
            return backToBack();
        }
        Matcher m = RATE.matcher(t);
        if (m.matches()) {
            double perSecond = Double.parseDouble(m.group(1));
            if (perSecond > 0 && perSecond <= 1000) {
                return new Pacing(1000 / perSecond);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a query rate: write back-to-back or a rate like 2/s "
                + "(more than 0, at most 1000/s)");
    }

    public boolean backToBackMode() {
        return intervalMs == 0;
    }

    /** When query {@code k} (from 0) is raised, in ms since the upload started. */
    public double raisedAtMs(long k) {
        return k * intervalMs;
    }

    /**
     * How long to wait before starting query {@code k} when the previous one ended at {@code nowMs}: 0 when it is
     * already due.
     */
    public double delayMs(long k, double nowMs) {
        return Math.max(0, raisedAtMs(k) - nowMs);
    }

    @Override
    public String toString() {
        if (intervalMs == 0) {
            return "back-to-back";
        }
        double perSecond = 1000 / intervalMs;
        return (perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : String.format(Locale.ROOT, "%.3g",
                perSecond)) + "/s";
    }
}
