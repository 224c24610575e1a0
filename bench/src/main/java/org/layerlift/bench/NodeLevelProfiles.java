package org.layerlift.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.layerlift.api.model.CostProfile;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.units.GraphUnit;
import org.layerlift.model.units.UnitGrouping;
import org.layerlift.model.units.UnitTimes;

/**
 * Node-level cost profiles of the stripped ONNX graphs in {@code testdata/models}, with times modelled from FLOPs
 * (a planning benchmark needs realistic magnitudes, not measured times). Weights, input and output bytes are
 * {@link UnitGrouping#nodes}' (one working ONNX node per unit, free nodes folded in).
 *
 * <p>Time model (constants below): client {@value #CLIENT_GFLOPS} GFLOP/s plus {@value #CLIENT_NODE_MS} ms per
 * unit (a phone-class CPU running one ONNX node), server {@value #SERVER_GFLOPS} GFLOP/s plus
 * {@value #SERVER_NODE_MS} ms per unit (an edge server), weight load {@value #LOAD_BASE_MS} ms plus
 * {@value #LOAD_MS_PER_MB} ms per MB for units with weights (the same slope as {@link RandomChain}).
 *
 * <p>The models are read from the folder named by the system property {@value #MODELS_PROPERTY}, default
 * {@code testdata/models} relative to the working directory: run the benchmark from the repository root.
 */
public final class NodeLevelProfiles {

    public static final String MODELS_PROPERTY = "layerlift.models";
    public static final double CLIENT_GFLOPS = 5;
    public static final double SERVER_GFLOPS = 100;
    public static final double CLIENT_NODE_MS = 0.02;
    public static final double SERVER_NODE_MS = 0.005;
    public static final double LOAD_BASE_MS = 0.2;
    public static final double LOAD_MS_PER_MB = 0.3;
    public static final String INPUT_SHAPE = "1,3,224,224";

    private NodeLevelProfiles() {
    }

    /** The folder holding the .onnx files. */
    public static Path modelsDir() {
        return Path.of(System.getProperty(MODELS_PROPERTY, "testdata/models"));
    }

    /** The node units of {@code <model>.onnx} in {@link #modelsDir()}, at input 1x3x224x224. */
    public static List<GraphUnit> nodeUnits(String model) {
        return nodeUnits(modelsDir().resolve(model + ".onnx"));
    }

    public static List<GraphUnit> nodeUnits(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no ONNX graph at " + file.toAbsolutePath() + ": run from the"
                    + " repository root or pass -D" + MODELS_PROPERTY + "=<folder with the .onnx files>");
        }
        OnnxGraph graph = OnnxGraph.load(file);
        GraphShapes shapes = GraphShapes.infer(graph, InputShapes.parse(INPUT_SHAPE));
        return UnitGrouping.nodes(graph, shapes);
    }

    /** The modelled times of one unit. */
    public static UnitTimes times(GraphUnit unit) {
        double client = unit.flops() / (CLIENT_GFLOPS * 1e6) + CLIENT_NODE_MS;
        double server = unit.flops() / (SERVER_GFLOPS * 1e6) + SERVER_NODE_MS;
        double load = unit.weightBytes() == 0 ? 0 : LOAD_BASE_MS + LOAD_MS_PER_MB * unit.weightBytes() / 1e6;
        return new UnitTimes(client, server, load);
    }

    /** The node-level cost profile of {@code <model>.onnx} with modelled times. */
    public static CostProfile of(String model) {
        return of(model, nodeUnits(model));
    }

    public static CostProfile of(String model, List<GraphUnit> units) {
        List<UnitTimes> times = new ArrayList<>(units.size());
        for (GraphUnit unit : units) {
            times.add(times(unit));
        }
        return UnitGrouping.toCostProfile(model, units, times, 0);
    }
}
