package org.layerlift.api.model;

import java.util.List;

/**
 * One partition unit: a run of layers (between two consecutive dominators in IONN's grouping) with its costs.
 * Times in milliseconds, sizes in bytes.
 *
 * @param name        display name (usually the last layer's name)
 * @param clientMs    time to run the unit on the client
 * @param serverMs    time to run the unit on the server
 * @param weightBytes bytes to upload for the unit's weights
 * @param loadMs      server time to load the uploaded weights
 * @param inputBytes  bytes of the unit's input activation (sent when a server segment starts here)
 * @param outputBytes bytes of the unit's output activation (returned when a server segment ends here)
 * @param layers      names of the layers (or ONNX nodes) the unit holds, in execution order
 */
public record UnitCost(String name, double clientMs, double serverMs, long weightBytes, double loadMs,
        long inputBytes, long outputBytes, List<String> layers) {

    public UnitCost {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a unit needs a name");
        }
        requireCost(name, "client time", clientMs);
        requireCost(name, "server time", serverMs);
        requireCost(name, "load time", loadMs);
        if (weightBytes < 0 || inputBytes < 0 || outputBytes < 0) {
            throw new IllegalArgumentException("unit '" + name + "': byte sizes must be non-negative (weights "
                    + weightBytes + ", input " + inputBytes + ", output " + outputBytes + ")");
        }
        layers = List.copyOf(layers);
    }

    private static void requireCost(String unit, String what, double ms) {
        if (!Double.isFinite(ms) || ms < 0) {
            throw new IllegalArgumentException("unit '" + unit + "': " + what + " must be finite and non-negative: "
                    + ms + " ms");
        }
    }
}
