package org.layerlift.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top command. A new command group is one more class in {@code subcommands}. */
@Command(name = "layerlift", mixinStandardHelpOptions = true, versionProvider = LayerLiftCommand.Version.class,
        description = "LayerLift tools: plan and simulate incremental DNN uploads to an edge gateway, offload a model "
                + "to one (offload), load-test one with many clients (loadtest), or see the whole system at work (demo).",
        subcommands = {SimulateCommand.class, ModelCommand.class,
            org.layerlift.cli.offload.OffloadCommand.class, org.layerlift.cli.offload.DemoCommand.class,
            org.layerlift.cli.loadtest.LoadtestCommand.class, org.layerlift.cli.evaluate.EvaluateCommand.class,
            picocli.CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 done, 1 unusable input (profile, model, plan) or a failed run, 2 wrong command line."})
public final class LayerLiftCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: say which (e.g. 'simulate')");
    }

    /** The project version, from a resource Maven filters at build time. */
    static final class Version implements IVersionProvider {

        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = LayerLiftCommand.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"layerlift " + properties.getProperty("version", "(unknown version)"),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
