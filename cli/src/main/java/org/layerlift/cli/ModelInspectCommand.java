package org.layerlift.cli;

import java.util.concurrent.Callable;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.units.InspectTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code layerlift model inspect}: the model's partition units with their ops, weights, activations and FLOPs. */
@Command(name = "inspect", mixinStandardHelpOptions = true, versionProvider = LayerLiftCommand.Version.class,
        sortOptions = false,
        description = {"Prints the model's partition units: for each, its ops, weight bytes, the activation bytes "
                + "crossing the cut after it, and estimated FLOPs, then the totals. Reads the graph only: no weights, "
                + "no ONNX Runtime.",
                "", "Example: layerlift model inspect testdata/models/resnet18.onnx --granularity node"})
final class ModelInspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions model;

    @Override
    public Integer call() {
        model.check();
        OnnxGraph graph = model.load();
        InspectTable table = InspectTable.of(graph, model.shapes(graph), model.granularity.id());
        spec.commandLine().getOut().print(table.render());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
