package org.layerlift.model.surgery;

import java.util.List;
import org.layerlift.api.partition.Segment;

/**
 * A model cut for one plan: its parts in execution order (client and server runs alternating). Run them in order
 * over one tensor map holding the model inputs: each part reads its {@link Part#inputs()} from the map and writes
 * its {@link Part#outputs()} into it; the model outputs are in the map at the end.
 */
public record CutPlan(String modelName, int unitCount, List<Segment> segments, List<String> modelInputs,
        List<String> modelOutputs, List<Part> parts) {

    public CutPlan {
        segments = List.copyOf(segments);
        modelInputs = List.copyOf(modelInputs);
        modelOutputs = List.copyOf(modelOutputs);
        parts = List.copyOf(parts);
    }

    /** The parts that run on the gateway. */
    public List<Part> serverParts() {
        return parts.stream().filter(p -> p.side() == Side.SERVER).toList();
    }

    /** The parts that run on the client. */
    public List<Part> clientParts() {
        return parts.stream().filter(p -> p.side() == Side.CLIENT).toList();
    }
}
