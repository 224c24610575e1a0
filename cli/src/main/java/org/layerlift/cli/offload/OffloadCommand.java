package org.layerlift.cli.offload;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.layerlift.cli.ModelWeights;
import org.layerlift.model.onnx.OnnxGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code layerlift offload}: offload a model to a running gateway while it uploads, measuring every query. */
@Command(name = "offload", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Connects to a LayerLift gateway, opens an offloading session for the model and raises "
                + "queries while the model uploads partition by partition, showing the progress; then prints a "
                + "summary (measured against the simulator's prediction) and writes --json, --csv, --plot.",
                "", "Example: layerlift offload --gateway tcp://127.0.0.1:1883 --model resnet18.onnx "
                        + "--bandwidth 40mbit --slowdown 8 --verify --plot latency.png"},
        footer = {"", "Exit codes: 0 done, 1 unusable input or a failure on the way (gateway unreachable, manifest "
                + "refused, upload failed, --verify mismatches), 2 wrong command line."})
public final class OffloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-g", "--gateway"}, paramLabel = "<uri>", defaultValue = "tcp://127.0.0.1:1883",
            description = "The gateway's broker: tcp://host:port or ssl://host:port (default: ${DEFAULT-VALUE}).")
    String gateway;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "<model.onnx>",
            description = "The ONNX model: weights embedded or in external data files next to it.")
    Path model;

    @Option(names = "--verify", description = "Check every answer against full local inference; count mismatches.")
    boolean verify;

    @Option(names = "--materialize", description = "If the model's external weights file is missing, fill the "
            + "weights with seeded random values (--seed) in a temporary copy.")
    boolean materialize;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        if (run.bandwidth == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--bandwidth=<rate>' "
                    + "(e.g. 40mbit)");
        }
        checkModel(spec, model);
        run.check(spec);
        checkGateway(spec, gateway);
        ModelProto proto = OnnxGraph.load(model).proto();
        try (ModelWeights weights = ModelWeights.resolve(model, proto, materialize, run.seed,
                ": put it next to the model, or give --materialize for seeded random weights")) {
            if (weights.materialized()) {
                spec.commandLine().getOut().println("weights: " + weights.describe());
            }
            return new OffloadRun(run.config(gateway, weights.model(), model.getFileName().toString(), verify),
                    spec.commandLine().getOut()).run();
        }
    }

    public static void checkModel(CommandSpec spec, Path model) {
        if (!Files.isRegularFile(model)) {
            throw new ParameterException(spec.commandLine(), "Model " + model + ": "
                    + (Files.exists(model) ? "not a regular file" : "no such file"));
        }
        if (!Files.isReadable(model)) {
            throw new ParameterException(spec.commandLine(), "Model " + model + ": not readable");
        }
    }

    public static void checkGateway(CommandSpec spec, String uri) {
        if (!uri.matches("(?i)(tcp|ssl)://[^:/\\s]+(:[0-9]{1,5})?")) {
            throw new ParameterException(spec.commandLine(), "--gateway '" + uri + "' is not a broker address like "
                    + "tcp://127.0.0.1:1883 or ssl://host:8883");
        }
    }
}
