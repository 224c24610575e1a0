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
        layers = List.copyOf(layers);
    }
}
