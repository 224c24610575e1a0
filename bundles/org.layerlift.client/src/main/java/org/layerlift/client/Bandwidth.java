package org.layerlift.client;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A link rate in megabits per second (1 Mbit/s = 125,000 bytes/s).
 *
 * @param mbps the rate, finite and &gt; 0
 */
public record Bandwidth(double mbps) {

    private static final Pattern RATE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(kbit|mbit|gbit)(?:/s|ps)?");

    public Bandwidth {
        if (!Double.isFinite(mbps) || mbps <= 0 || mbps > 1e6) {
            throw new IllegalArgumentException("a bandwidth must be > 0 and at most 1 Tbit/s, got " + mbps + " Mbit/s");
        }
    }

    /**
     * Parses {@code 40mbit}, {@code 512kbit}, {@code 1.5gbit} (also with {@code /s} or {@code ps}, any case).
     *
     * @throws IllegalArgumentException with what is wrong and an example
     */
    public static Bandwidth parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no bandwidth given: write e.g. 40mbit, 512kbit or 1gbit");
        }
        Matcher m = RATE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bandwidth '" + text + "' does not parse: write a number and a unit, "
                    + "e.g. 40mbit, 512kbit or 1gbit");
        }
        double value = Double.parseDouble(m.group(1));
        double mbps = switch (m.group(2)) {
            case "kbit" -> value / 1000;
            case "gbit" -> value * 1000;
            default -> value;
        };
        if (mbps <= 0) {
            throw new IllegalArgumentException("bandwidth '" + text + "' must be more than 0");
        }
        return new Bandwidth(mbps);
    }

    /** Bytes per second. */
    public double bytesPerSecond() {
        return mbps * 125_000;
    }

    @Override
    public String toString() {
        return mbps >= 1000 ? trim(mbps / 1000) + "gbit" : mbps >= 1 ? trim(mbps) + "mbit" : trim(mbps * 1000) + "kbit";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
