package org.layerlift.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code layerlift model ...}: commands on an ONNX model file. Each one is its own {@code @Command} class listed in
 * {@code subcommands} below (e.g. {@code model profile}, {@code model verify} join here as
 * {@code ModelProfileCommand}, {@code ModelVerifyCommand}); {@link ModelOptions} holds the options they share
 * (the model file, {@code --input-shape}, {@code --granularity}) as a picocli mixin.
 */
@Command(name = "model", mixinStandardHelpOptions = true, versionProvider = LayerLiftCommand.Version.class,
        description = "Commands on an ONNX model: its partition units and their costs.",
        subcommands = {ModelInspectCommand.class, ModelProfileCommand.class, ModelVerifyCommand.class})
final class ModelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: say which (e.g. 'model inspect')");
    }
}
