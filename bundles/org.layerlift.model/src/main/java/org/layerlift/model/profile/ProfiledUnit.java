package org.layerlift.model.profile;

import org.layerlift.api.model.UnitCost;

/**
 * One unit of a {@link ProfileDocument}: the API cost record plus the unit's estimated operations.
 *
 * @param cost  times, sizes and layer (node) names
 * @param flops estimated operations of the unit
 */
public record ProfiledUnit(UnitCost cost, long flops) {

    public ProfiledUnit {
        if (cost == null) {
            throw new IllegalArgumentException("a profiled unit needs its cost");
        }
        if (flops < 0) {
            throw new IllegalArgumentException("unit '" + cost.name() + "': flops must be non-negative: " + flops);
        }
    }
}
