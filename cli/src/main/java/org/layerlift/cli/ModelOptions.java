package org.layerlift.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.onnx.OnnxImportException;
import org.layerlift.model.units.UnitGrouping;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What every {@code layerlift model} command takes: the model file, its input shape, the unit granularity. A command
 * mixes it in ({@code @Mixin ModelOptions model;}) and calls {@link #check()} (command-line errors, exit code 2),
 * then {@link #load()} and {@link #shapes(OnnxGraph)} (errors in the model itself, exit code 1).
 */
final class ModelOptions {

    /** How a model is cut into units (the names {@link UnitGrouping#group} takes). */
    enum Granularity {
        dominator, node;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<model.onnx>",
            description = "The ONNX model. Only its graph is read: an external weights file may be absent.")
    Path file;

    @Option(names = "--input-shape", paramLabel = "<shape>",
            description = "Shapes of the inputs, needed when the model declares dynamic dimensions: 1,3,224,224 "
                    + "(the only input) | input=1,3,224,224;other=1,128 (named inputs) | batch=1,seq=128 (values of "
                    + "dim_params). Default: the model's own static shapes.")
    String inputShape;

    @Option(names = "--granularity", paramLabel = "<unit>", defaultValue = "dominator",
            description = "Partition units: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). dominator = IONN's "
                    + "units between the graph's dominators; node = one ONNX node each (constants folded in).")
    Granularity granularity;

    private InputShapes parsedShape;

    /** The command line's own errors: a missing file, a malformed --input-shape. */
    void check() {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "Model " + file + ": "
                    + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        if (!Files.isReadable(file)) {
            throw new ParameterException(spec.commandLine(), "Model " + file + ": not readable");
        }
        try {
            parsedShape = InputShapes.parse(inputShape);
        } catch (OnnxImportException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--input-shape': "
                    + e.getMessage());
        }
    }

    /** The imported graph; a file that is not an ONNX model is an {@link OnnxImportException} naming it. */
    OnnxGraph load() {
        return OnnxGraph.load(file);
    }

    /** The partition units of the chosen granularity, as node indices (what {@code ModelCutter.cut} takes). */
    java.util.List<java.util.List<Integer>> groups(OnnxGraph graph) {
        return granularity == Granularity.dominator ? UnitGrouping.dominatorGroups(graph)
                : UnitGrouping.nodeGroups(graph);
    }

    /** Tensor shapes for the --input-shape given; errors name the input, dimension and declared shape. */
    GraphShapes shapes(OnnxGraph graph) {
        return GraphShapes.infer(graph, parsedShape == null ? InputShapes.parse(inputShape) : parsedShape);
    }
}
