package org.layerlift.cli.loadtest;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.layerlift.cli.ModelWeights;
import org.layerlift.cli.offload.DemoCommand;
import org.layerlift.cli.offload.DemoGateway;
import org.layerlift.cli.offload.OffloadCommand;
import org.layerlift.cli.offload.Pacing;
import org.layerlift.cli.offload.RunOptions;
import org.layerlift.cli.offload.StopRule;
import org.layerlift.client.Bandwidth;
import org.layerlift.model.onnx.OnnxGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code layerlift loadtest}: many clients against one gateway, every answer checked. */
@Command(name = "loadtest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs N clients against one gateway, each with its own client id <prefix>-<i>, its own "
                + "emulated link and its own session of the same model, all started at once (or --stagger apart), "
                + "queries back to back (or --queries N/s) while the model uploads and after; checks every answer "
                + "against full local inference (computed once per input set); checks with a fresh session that the "
                + "gateway holds the whole model (lost chunks); prints per client the upload time, query latency "
                + "p50/p95/p99, offloaded share, errors and mismatches, and a summary; --json writes them.",
                "", "Example: layerlift loadtest --gateway tcp://127.0.0.1:1883 --clients 8 "
                        + "--model testdata/models/squeezenet1_1.onnx --materialize --bandwidth 40mbit --slowdown 8"},
        footer = {"", "Exit codes: 0 every answer right, no error, no lost chunk, p99 within its bound; 1 otherwise "
                + "(or unusable input: model, gateway); 2 wrong command line."})
public final class LoadtestCommand implements Callable<Integer> {

    static final int MAX_CLIENTS = 256;

    @Spec
    CommandSpec spec;

    @Option(names = {"-g", "--gateway"}, paramLabel = "<uri>",
            description = "The gateway's broker: tcp://host:port or ssl://host:port (or give --start-gateway).")
    String gateway;

    @Option(names = "--start-gateway", description = "Start the exported gateway (--gateway-jar) on a free port in a "
            + "temporary folder for this run, measure its CPU, and stop it at the end.")
    boolean startGateway;

    @Option(names = "--gateway-jar", paramLabel = "<gateway.jar>",
            description = "With --start-gateway (default: <repository>/runtime/target/gateway.jar).")
    Path gatewayJar;

    @Option(names = "--gateway-pid", paramLabel = "<pid>",
            description = "The process id of the gateway given by --gateway, to measure its CPU time and threads.")
    Long gatewayPid;

    @Option(names = {"-n", "--clients"}, required = true, paramLabel = "<N>",
            description = "How many clients (1.." + MAX_CLIENTS + ").")
    int clients;

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "<model.onnx>",
            description = "The ONNX model every client offloads: weights embedded or in external data files next to "
                    + "it.")
    Path model;

    @Option(names = "--materialize", description = "If the model's external weights file is missing, fill the "
            + "weights with seeded random values (--seed) in a temporary copy (shared by every client).")
    boolean materialize;

    @Option(names = {"-b", "--bandwidth"}, required = true, paramLabel = "<rate>",
            converter = RunOptions.BandwidthConverter.class,
            description = "Each client's link: 40mbit, 512kbit, 1gbit (its own socket, both directions shaped).")
    Bandwidth bandwidth;

    @Option(names = "--slowdown", paramLabel = "<F>",
            description = "Emulate devices F times slower than this one (local compute padded).")
    Double slowdown;

    @Option(names = "--duration", paramLabel = "<s>", description = "Raise queries this many seconds from the start, "
            + "then wait for the uploads (default: until every upload is done, then --queries-after-upload more).")
    Double durationS;

    @Option(names = "--queries-after-upload", paramLabel = "<N>",
            description = "Without --duration: each client's queries once every client's upload is done (default "
                    + StopRule.DEFAULT_QUERIES_AFTER_UPLOAD + ").")
    Integer queriesAfterUpload;

    @Option(names = "--queries", paramLabel = "back-to-back|<N>/s", converter = RunOptions.PacingConverter.class,
            description = "Per client: back-to-back (default), or N/s (query k raised at k/N s).")
    Pacing pacing;

    @Option(names = "--stagger", paramLabel = "<ms>", defaultValue = "0",
            description = "Start client i at i times this many ms (default ${DEFAULT-VALUE}: all at once).")
    double staggerMs;

    @Option(names = "--query-timeout", paramLabel = "<s>", defaultValue = "1",
            description = "A hop not answered in this time re-runs locally (default ${DEFAULT-VALUE} s); it bounds "
                    + "the query latency.")
    double queryTimeoutS;

    @Option(names = "--upload-timeout", paramLabel = "<s>", defaultValue = "300",
            description = "Every upload must be done this many seconds from the start (default ${DEFAULT-VALUE}).")
    double uploadTimeoutS;

    @Option(names = "--client-prefix", paramLabel = "<prefix>",
            description = "Client ids are <prefix>-0 .. <prefix>-<N-1> (default: loadtest-<random>).")
    String clientPrefix;

    @Option(names = "--seed", paramLabel = "<S>", defaultValue = "1",
            description = "Seed of the random inputs and of --materialize (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--strategy", paramLabel = "<name>",
            description = "Plan the sessions with this strategy installed on the gateway (default: the gateway's).")
    String strategy;

    @Option(names = "--username", paramLabel = "<user>", description = "Broker login, if it needs one.")
    String username;

    @Option(names = "--password", paramLabel = "<secret>", description = "Broker password.")
    String password;

    @Option(names = "--no-shaping", description = "Do not shape the sockets (the bandwidth only informs the plans).")
    boolean noShaping;

    @Option(names = "--connect-timeout", paramLabel = "<s>", defaultValue = "10",
            description = "How long each client waits for the broker (default: ${DEFAULT-VALUE} s).")
    double connectTimeoutS;

    @Option(names = "--startup-timeout", paramLabel = "<s>", defaultValue = "120",
            description = "With --start-gateway: how long to wait for it to serve (default: ${DEFAULT-VALUE} s).")
    double startupTimeoutS;

    @Option(names = "--json", paramLabel = "<out.json>", description = "Write the summary and every client as JSON.")
    Path json;

    @Override
    public Integer call() {
        check();
        OffloadCommand.checkModel(spec, model);
        String prefix = clientPrefix != null ? clientPrefix
                : "loadtest-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 40);
        var out = spec.commandLine().getOut();
        ModelProto proto = OnnxGraph.load(model).proto();
        try (ModelWeights weights = ModelWeights.resolve(model, proto, materialize, seed,
                ": put it next to the model, or give --materialize for seeded random weights")) {
            if (weights.materialized()) {
                out.println("weights: " + weights.describe());
            }
            if (!startGateway) {
                return new Loadtest(config(gateway, prefix, weights.model(), gatewayPid), out).run();
            }
            Path jar = gatewayJar != null ? gatewayJar : DemoCommand.root().resolve("runtime/target/gateway.jar");
            out.println("starting the gateway " + jar + " ...");
            out.flush();
            try (DemoGateway gw = DemoGateway.start(jar)) {
                gw.awaitServing((long) (startupTimeoutS * 1000));
                out.println("gateway serving on " + gw.uri() + " (pid " + gw.pid() + ", log " + gw.log() + ")");
                out.flush();
                int code = new Loadtest(config(gw.uri(), prefix, weights.model(), gw.pid()), out).run();
                out.println("stopping the gateway");
                out.flush();
                return code;
            }
        }
    }

    private Loadtest.Config config(String uri, String prefix, Path file, Long pid) {
        return new Loadtest.Config(uri, prefix, clients, username, password, file, model.getFileName().toString(),
                bandwidth, !noShaping, strategy, slowdown, pacing == null ? Pacing.backToBack() : pacing, durationS,
                queriesAfterUpload == null ? StopRule.DEFAULT_QUERIES_AFTER_UPLOAD : queriesAfterUpload, staggerMs,
                Duration.ofMillis(Math.max(1, Math.round(queryTimeoutS * 1000))), uploadTimeoutS * 1000,
                Duration.ofMillis(Math.round(connectTimeoutS * 1000)), seed, json, pid);
    }

    /** Checks what picocli cannot; one line each. */
    void check() {
        if (startGateway == (gateway != null)) {
            throw usage(startGateway ? "give --gateway or --start-gateway, not both"
                    : "Missing required option: '--gateway=<uri>' (e.g. tcp://127.0.0.1:1883), or give --start-gateway");
        }
        if (gateway != null) {
            OffloadCommand.checkGateway(spec, gateway);
        }
        if (gatewayPid != null && (startGateway || gatewayPid <= 0)) {
            throw usage(startGateway ? "--gateway-pid is for a gateway given by --gateway (--start-gateway measures "
                    + "its own)" : "--gateway-pid must be a process id, got " + gatewayPid);
        }
        if (gatewayJar != null && !startGateway) {
            throw usage("--gateway-jar needs --start-gateway");
        }
        if (clients < 1 || clients > MAX_CLIENTS) {
            throw usage("--clients must be 1 to " + MAX_CLIENTS + ", got " + clients);
        }
        if (durationS != null && queriesAfterUpload != null) {
            throw usage("give --duration or --queries-after-upload, not both");
        }
        if (durationS != null && !(durationS > 0 && durationS <= 24 * 3600)) {
            throw usage("--duration must be more than 0 s (at most a day), got " + num(durationS));
        }
        if (queriesAfterUpload != null && queriesAfterUpload < 0) {
            throw usage("--queries-after-upload must be 0 or more, got " + queriesAfterUpload);
        }
        if (slowdown != null && !(slowdown >= 1 && slowdown <= 10_000)) {
            throw usage("--slowdown must be between 1 and 10000, got " + num(slowdown));
        }
        if (!(staggerMs >= 0 && staggerMs <= 60_000)) {
            throw usage("--stagger must be 0 to 60000 ms, got " + num(staggerMs));
        }
        if (!(queryTimeoutS > 0 && queryTimeoutS <= 600)) {
            throw usage("--query-timeout must be more than 0 and at most 600 s, got " + num(queryTimeoutS));
        }
        if (!(uploadTimeoutS > 0 && uploadTimeoutS <= 24 * 3600)) {
            throw usage("--upload-timeout must be more than 0 s (at most a day), got " + num(uploadTimeoutS));
        }
        if (durationS != null && durationS > uploadTimeoutS) {
            throw usage("--duration " + num(durationS) + " s is longer than --upload-timeout " + num(uploadTimeoutS)
                    + " s: raise --upload-timeout");
        }
        if (!(connectTimeoutS > 0 && connectTimeoutS <= 600)) {
            throw usage("--connect-timeout must be more than 0 and at most 600 s");
        }
        if (!(startupTimeoutS > 0 && startupTimeoutS <= 3600)) {
            throw usage("--startup-timeout must be more than 0 and at most 3600 s");
        }
        if (clientPrefix != null && !clientPrefix.matches("[A-Za-z0-9._-]{1,50}")) {
            throw usage("--client-prefix '" + clientPrefix + "' must be 1 to 50 letters, digits, '-', '_' or '.'");
        }
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw usage("--json " + json + ": no such directory " + parent);
            }
            if (Files.isDirectory(json)) {
                throw usage("--json " + json + ": is a directory");
            }
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
