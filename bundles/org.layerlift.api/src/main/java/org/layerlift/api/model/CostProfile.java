package org.layerlift.api.model;

import java.util.List;

/**
 * A model as a chain of partition units. The model's input and output stay on the client; any contiguous run of
 * units may run on the server once its weights are there.
 *
 * @param model  model name
 * @param units  the units in execution order
 */
public record CostProfile(String model, List<UnitCost> units) {

    public CostProfile {
        units = List.copyOf(units);
    }
}
