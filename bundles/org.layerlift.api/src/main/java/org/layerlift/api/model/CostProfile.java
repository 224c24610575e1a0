package org.layerlift.api.model;

import java.util.List;

/**
 * A model as a chain of partition units. The model's input and output stay on the client; any contiguous run of
 * units may run on the server once its weights are there.
 *
 * @param model         model name
 * @param units         the units in execution order
 * @param clientOnlyMs  client time of the layers outside every unit (the input and output layers), which every query
 *                      spends whatever its plan; 0 when unknown
 * @since 1.1
 */
public record CostProfile(String model, List<UnitCost> units, double clientOnlyMs) {

    public CostProfile {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("a cost profile needs a model name");
        }
        units = List.copyOf(units);
        if (units.isEmpty()) {
            throw new IllegalArgumentException("cost profile of model '" + model + "' has no units");
        }
        if (!Double.isFinite(clientOnlyMs) || clientOnlyMs < 0) {
            throw new IllegalArgumentException("client-only time of model '" + model
                    + "' must be finite and non-negative: " + clientOnlyMs);
        }
    }

    /** A profile whose input and output layers take no time. */
    public CostProfile(String model, List<UnitCost> units) {
        this(model, units, 0);
    }
}
