package org.layerlift.client;

import java.util.List;

/**
 * A slower device emulated on this one: local compute is padded (the client sleeps after running a part) either to
 * {@code slowdown} times its measured time, or to the given per-unit client times (a profile of the device).
 *
 * @param slowdown      factor ≥ 1 (1: no padding); ignored when {@code unitClientMs} is given
 * @param unitClientMs  per-unit client times in ms (one per unit of the model, in unit order), or null
 * @param clientOnlyMs  the profile's client-only time (input preparation etc.), used with {@code unitClientMs}
 */
public record DeviceEmulation(double slowdown, List<Double> unitClientMs, double clientOnlyMs) {

    public DeviceEmulation {
        if (!Double.isFinite(slowdown) || slowdown < 1 || slowdown > 10_000) {
            throw new IllegalArgumentException("a slowdown must be between 1 and 10000, got " + slowdown);
        }
        if (unitClientMs != null) {
            unitClientMs = List.copyOf(unitClientMs);
            for (double ms : unitClientMs) {
                if (!Double.isFinite(ms) || ms < 0) {
                    throw new IllegalArgumentException("per-unit client times must be finite and ≥ 0, got " + ms);
                }
            }
        }
        if (!Double.isFinite(clientOnlyMs) || clientOnlyMs < 0) {
            throw new IllegalArgumentException("client-only time must be finite and ≥ 0, got " + clientOnlyMs);
        }
    }

    /** This device as it is. */
    public static DeviceEmulation none() {
        return new DeviceEmulation(1, null, 0);
    }

    public static DeviceEmulation slowdown(double factor) {
        return new DeviceEmulation(factor, null, 0);
    }

    public static DeviceEmulation profile(List<Double> unitClientMs, double clientOnlyMs) {
        return new DeviceEmulation(1, unitClientMs, clientOnlyMs);
    }

    public boolean padded() {
        return unitClientMs != null || slowdown > 1;
    }
}
