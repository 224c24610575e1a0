package org.layerlift.model.units;

import java.util.List;
import org.layerlift.api.model.UnitCost;

/**
 * One partition unit of an ONNX graph.
 *
 * @param name          the unit's name: the name of its last working node (unique, since node names are)
 * @param nodeIndices   member nodes as indices into {@code OnnxGraph.nodes()}, in topological order (the units
 *                      concatenated are a topological order of the whole graph); free nodes
 *                      (constants, weight-only and shape-only nodes) sit in the unit of their first consumer
 * @param nodeNames     the member nodes' names, same order
 * @param opTypes       the member nodes' op types, same order
 * @param weightBytes   bytes of the stored tensors the members consume (each tensor counted once in the model)
 * @param inputBytes    bytes of every activation crossing the cut before this unit (for the first unit: the model
 *                      inputs it needs)
 * @param outputBytes   bytes of every activation crossing the cut after this unit: produced here or earlier and
 *                      read by a later unit or a graph output
 * @param flops         estimated operations of the members
 * @param inputTensors  names of the activations crossing the cut before this unit
 * @param outputTensors names of the activations crossing the cut after this unit
 */
public record GraphUnit(String name, List<Integer> nodeIndices, List<String> nodeNames, List<String> opTypes,
        long weightBytes, long inputBytes, long outputBytes, long flops, List<String> inputTensors,
        List<String> outputTensors) {

    public GraphUnit {
        nodeIndices = List.copyOf(nodeIndices);
        nodeNames = List.copyOf(nodeNames);
        opTypes = List.copyOf(opTypes);
        inputTensors = List.copyOf(inputTensors);
        outputTensors = List.copyOf(outputTensors);
    }

    /** This unit's costs in the API record, with times measured elsewhere. */
    public UnitCost toUnitCost(UnitTimes times) {
        return new UnitCost(name, times.clientMs(), times.serverMs(), weightBytes, times.loadMs(), inputBytes,
                outputBytes, nodeNames);
    }
}
