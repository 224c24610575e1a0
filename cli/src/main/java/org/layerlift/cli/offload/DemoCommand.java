package org.layerlift.cli.offload;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.layerlift.cli.CliException;
import org.layerlift.cli.ModelWeights;
import org.layerlift.client.Bandwidth;
import org.layerlift.model.onnx.OnnxGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code layerlift demo}: the whole system in one command. Starts the exported gateway (embedded broker on a free
 * port, in a temporary folder), offloads a shared model with seeded weights under an emulation where offloading
 * pays, shows the progress, prints the summary, writes the plot, and stops the gateway.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts the exported gateway (runtime/target/gateway.jar) with its embedded broker on a free "
                + "port in a temporary folder, offloads a shared model (weights: seeded random values) under a "
                + "device and link emulation where offloading pays, verifies every answer, prints the summary, "
                + "writes demo-latency.png, and stops the gateway.",
                "Defaults: --model squeezenet1_1 --slowdown 20 --bandwidth 40mbit --queries-after-upload 10; every "
                        + "option of 'layerlift offload' can be given."},
        footer = {"", "Exit codes: 0 done, 1 a failure (no gateway jar, the gateway does not start, a failed run, "
                + "mismatches), 2 wrong command line."})
public final class DemoCommand implements Callable<Integer> {

    /** The model offloaded by default: a name in testdata/models or a path. */
    static final String DEFAULT_MODEL = "squeezenet1_1";

    @Spec
    CommandSpec spec;

    @Option(names = "--gateway-jar", paramLabel = "<gateway.jar>",
            description = "The exported gateway (default: <repository>/runtime/target/gateway.jar).")
    Path gatewayJar;

    @Option(names = {"-m", "--model"}, paramLabel = "<model>", defaultValue = DEFAULT_MODEL,
            description = "A model file, or the name of one in testdata/models (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--no-verify", description = "Do not check the answers against full local inference.")
    boolean noVerify;

    @Option(names = "--startup-timeout", paramLabel = "<s>", defaultValue = "120",
            description = "How long to wait for the gateway to serve (default: ${DEFAULT-VALUE} s).")
    double startupTimeoutS;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() {
        Path file = resolveModel(model);
        if (run.bandwidth == null) {
            run.bandwidth = Bandwidth.parse("40mbit");
        }
        if (run.slowdown == null && run.clientProfile == null) {
            run.slowdown = 20.0;
        }
        if (run.durationS == null && run.queriesAfterUpload == null) {
            run.queriesAfterUpload = StopRule.DEFAULT_QUERIES_AFTER_UPLOAD;
        }
        if (run.plot == null) {
            run.plot = Path.of("demo-latency.png");
        }
        OffloadCommand.checkModel(spec, file);
        run.check(spec);
        Path jar = gatewayJar != null ? gatewayJar : root().resolve("runtime/target/gateway.jar");
        ModelProto proto = OnnxGraph.load(file).proto();
        var out = spec.commandLine().getOut();
        try (ModelWeights weights = ModelWeights.resolve(file, proto, true, run.seed, "")) {
            out.println("model " + file.getFileName() + ": weights " + weights.describe());
            out.println("starting the gateway " + jar + " ...");
            out.flush();
            try (DemoGateway gateway = DemoGateway.start(jar)) {
                long t0 = System.nanoTime();
                gateway.awaitServing((long) (startupTimeoutS * 1000));
                out.println(String.format(java.util.Locale.ROOT, "gateway serving on %s after %.1f s (log: %s)",
                        gateway.uri(), (System.nanoTime() - t0) / 1e9, gateway.log()));
                out.flush();
                int code = new OffloadRun(run.config(gateway.uri(), weights.model(), file.getFileName().toString(),
                        !noVerify), out).run();
                out.println("stopping the gateway");
                out.flush();
                return code;
            }
        }
    }

    /** The repository root: the launcher's -Dlayerlift.root, else the current directory. */
    public static Path root() {
        return Path.of(System.getProperty("layerlift.root", ".")).toAbsolutePath().normalize();
    }

    /** A path as given, or a name (with or without .onnx) in testdata/models. */
    public static Path resolveModel(String name) {
        Path given = Path.of(name);
        if (Files.isRegularFile(given)) {
            return given;
        }
        String file = name.endsWith(".onnx") ? name : name + ".onnx";
        Path shared = root().resolve("testdata/models").resolve(file);
        if (!name.contains("/") && Files.isRegularFile(shared)) {
            return shared;
        }
        throw new CliException("model '" + name + "': no such file, and no " + file + " in " + root()
                .resolve("testdata/models") + "; give a model file or one of the names there");
    }
}
