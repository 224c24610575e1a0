package org.layerlift.model.profile;

import java.util.List;

/**
 * A model's per-layer measurements: layer 0 is the input layer, the last layer the output layer.
 *
 * @param model  model name
 * @param layers layers in execution (topological) order
 */
public record MeasurementSet(String model, List<MeasuredLayer> layers) {

    public MeasurementSet {
        layers = List.copyOf(layers);
    }
}
