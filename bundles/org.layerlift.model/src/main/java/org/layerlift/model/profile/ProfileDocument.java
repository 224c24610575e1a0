package org.layerlift.model.profile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;

/**
 * LayerLift's profile file ({@code docs/profile-format.md}): a cost profile with how it was made.
 *
 * @param formatVersion the file format version ({@link #FORMAT_VERSION})
 * @param model         model name
 * @param granularity   {@code "dominator"} or {@code "node"}
 * @param inputShape    the concrete shape of every model input the sizes are for
 * @param clientOnlyMs  client time outside every unit
 * @param units         the units in execution order
 */
public record ProfileDocument(int formatVersion, String model, String granularity, Map<String, List<Long>> inputShape,
        double clientOnlyMs, List<ProfiledUnit> units) {

    public static final String FORMAT = "layerlift-profile";
    public static final int FORMAT_VERSION = 1;
    public static final Set<String> GRANULARITIES = Set.of("dominator", "node");

    public ProfileDocument {
        if (formatVersion != FORMAT_VERSION) {
            throw new IllegalArgumentException("profile format version " + formatVersion + " is not supported (only "
                    + FORMAT_VERSION + ")");
        }
        if (!GRANULARITIES.contains(granularity)) {
            throw new IllegalArgumentException("granularity must be one of " + GRANULARITIES + ": " + granularity);
        }
        Map<String, List<Long>> shapes = new LinkedHashMap<>();
        inputShape.forEach((k, v) -> shapes.put(k, List.copyOf(v)));
        inputShape = Collections.unmodifiableMap(shapes);
        units = List.copyOf(units);
        toCostProfile(model, units, clientOnlyMs); // the API record's own checks
    }

    /** A version-1 document. */
    public ProfileDocument(String model, String granularity, Map<String, List<Long>> inputShape, double clientOnlyMs,
            List<ProfiledUnit> units) {
        this(FORMAT_VERSION, model, granularity, inputShape, clientOnlyMs, units);
    }

    /** The API record the planners and the simulator use. */
    public CostProfile toCostProfile() {
        return toCostProfile(model, units, clientOnlyMs);
    }

    private static CostProfile toCostProfile(String model, List<ProfiledUnit> units, double clientOnlyMs) {
        List<UnitCost> costs = new ArrayList<>();
        for (ProfiledUnit u : units) {
            costs.add(u.cost());
        }
        return new CostProfile(model, costs, clientOnlyMs);
    }
}
