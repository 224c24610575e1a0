package org.layerlift.model.units;

/**
 * Measured (or modelled) times of one unit, in milliseconds.
 *
 * @param clientMs time to run the unit on the client
 * @param serverMs time to run it on the server
 * @param loadMs   server time to load its weights
 */
public record UnitTimes(double clientMs, double serverMs, double loadMs) {

    public UnitTimes {
        check("client_ms", clientMs);
        check("server_ms", serverMs);
        check("load_ms", loadMs);
    }

    private static void check(String field, double ms) {
        if (!Double.isFinite(ms) || ms < 0) {
            throw new IllegalArgumentException(field + " must be finite and non-negative: " + ms);
        }
    }

    public static final UnitTimes ZERO = new UnitTimes(0, 0, 0);
}
