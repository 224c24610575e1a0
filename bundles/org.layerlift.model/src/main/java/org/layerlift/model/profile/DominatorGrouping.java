package org.layerlift.model.profile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;

/**
 * IONN's partition units: the layer DAG cut at the dominators of the output layer (leaving out the input layer,
 * the output layer and Split layers), so a branchy block such as an Inception module becomes one unit and the model a
 * chain. The input and output layers stay on the client and belong to no unit.
 *
 * <p>Unit costs follow the authors' code so plans reproduce exactly: times are float32 sums taken from the unit's last
 * layer back to its first, Split layers add nothing, the input size is what the unit's first layer reads and the
 * output size what its last layer writes.
 */
public final class DominatorGrouping {

    private DominatorGrouping() {
    }

    public static CostProfile group(MeasurementSet set) {
        checkCosts(set);
        LayerGraph graph = LayerGraph.of(set);
        List<Integer> cuts = partitionPoints(set, graph);
        List<MeasuredLayer> layers = set.layers();
        int output = layers.size() - 1;
        List<UnitCost> units = new ArrayList<>();
        int first = 1;
        for (int k = 0; k < cuts.size(); k++) {
            int cut = cuts.get(k);
            // layers between the last cut and the output layer have nowhere else to run than with the last unit
            int last = k == cuts.size() - 1 ? output - 1 : cut;
            units.add(unit(set, graph, first, cut, last));
            first = cut + 1;
        }
        double clientOnlyMs = layers.get(0).clientMs() + layers.get(output).clientMs();
        return new CostProfile(set.model(), units, clientOnlyMs);
    }

    /** Dominators of the output layer that may end a unit, in execution order. */
    static List<Integer> partitionPoints(MeasurementSet set, LayerGraph graph) {
        int[] idom = graph.immediateDominators();
        int output = graph.size() - 1;
        List<Integer> cuts = new ArrayList<>();
        for (int d = idom[output]; d != 0; d = idom[d]) {
            if (!set.layers().get(d).isSplit()) {
                cuts.add(d);
            }
        }
        Collections.reverse(cuts);
        if (cuts.isEmpty()) {
            throw new ProfileException(set.model(), "no partition units: nothing between the input layer '"
                    + set.layers().get(0).name() + "' and the output layer '" + set.layers().get(output).name()
                    + "' dominates the output");
        }
        return cuts;
    }

    private static UnitCost unit(MeasurementSet set, LayerGraph graph, int first, int cut, int last) {
        List<MeasuredLayer> layers = set.layers();
        float clientMs = 0f;
        float serverMs = 0f;
        float loadMs = 0f;
        long weightBytes = 0;
        int firstWorking = -1;
        for (int i = last; i >= first; i--) {
            MeasuredLayer layer = layers.get(i);
            if (layer.isSplit()) {
                continue;
            }
            clientMs += (float) layer.clientMs();
            serverMs += (float) layer.serverMs();
            loadMs = (float) (loadMs + layer.loadMs());
            weightBytes = Math.addExact(weightBytes, layer.weightBytes());
            firstWorking = i;
        }
        MeasuredLayer end = layers.get(cut);
        if (firstWorking < 0) {
            throw new ProfileException(set.model(), end.name(), "empty unit: it holds no layer besides Split layers");
        }
        long inputBytes = 0;
        for (int parent : graph.parents(firstWorking)) {
            inputBytes = Math.addExact(inputBytes, layers.get(parent).outputBytes());
        }
        List<String> names = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            names.add(layers.get(i).name());
        }
        return new UnitCost(end.name(), clientMs, serverMs, weightBytes, loadMs, inputBytes, end.outputBytes(), names);
    }

    /** Sets built in code bypass the reader, so the costs are checked again here. */
    private static void checkCosts(MeasurementSet set) {
        if (set.layers().size() < 2) {
            throw new ProfileException(set.model(), "needs at least an input and an output layer");
        }
        for (MeasuredLayer layer : set.layers()) {
            checkTime(set, layer, "client_ms", layer.clientMs());
            checkTime(set, layer, "server_ms", layer.serverMs());
            checkTime(set, layer, "server_load_ms", layer.loadMs());
            if (layer.weightBytes() < 0 || layer.outputBytes() < 0) {
                throw new ProfileException(set.model(), layer.name(), "negative byte count");
            }
        }
    }

    private static void checkTime(MeasurementSet set, MeasuredLayer layer, String field, double ms) {
        if (!Double.isFinite(ms) || ms < 0) {
            throw new ProfileException(set.model(), layer.name(), field + " must be finite and non-negative: " + ms);
        }
    }
}
