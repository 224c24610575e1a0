package org.layerlift.cli.offload;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.cli.ProfileLoader;
import org.layerlift.client.Bandwidth;
import org.layerlift.client.DeviceEmulation;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * The options {@code offload} and {@code demo} share (a picocli mixin). Values the two default differently are
 * null here until the command fills them in.
 */
public final class RunOptions {

    @Option(names = {"-b", "--bandwidth"}, paramLabel = "<rate>", converter = BandwidthConverter.class,
            description = "The link: 40mbit, 512kbit, 1gbit. Shapes the client's socket (both directions) and is the "
                    + "first plan's bandwidth.")
    Bandwidth bandwidth;

    @Option(names = "--client-id", paramLabel = "<id>",
            description = "MQTT client id (default: layerlift-cli-<random>).")
    String clientId;

    @Option(names = "--username", paramLabel = "<user>", description = "Broker login, if it needs one.")
    String username;

    @Option(names = "--password", paramLabel = "<secret>", description = "Broker password.")
    String password;

    @Option(names = "--queries", paramLabel = "back-to-back|<N>/s", converter = PacingConverter.class,
            description = "back-to-back (default): each query starts when the previous one ends; N/s: query k is "
                    + "raised at k/N s.")
    Pacing pacing;

    @Option(names = "--duration", paramLabel = "<s>", description = "Stop raising queries this many seconds after "
            + "the upload started.")
    Double durationS;

    @Option(names = "--queries-after-upload", paramLabel = "<N>",
            description = "Stop after N queries once the upload is done (default 10).")
    Integer queriesAfterUpload;

    @Option(names = "--strategy", paramLabel = "<name>",
            description = "Plan this session with this strategy installed on the gateway (default: the gateway's).")
    String strategy;

    @Option(names = "--slowdown", paramLabel = "<F>",
            description = "Emulate a device F times slower than this one (local compute padded).")
    Double slowdown;

    @Option(names = "--client-profile", paramLabel = "<profile.json>",
            description = "Emulate the device of this profile (either format): its per-unit client times.")
    Path clientProfile;

    @Option(names = "--input", split = ",", paramLabel = "<tensor.pb>",
            description = "Query on these ONNX TensorProto files (one per model input, by name or position) instead "
                    + "of seeded random inputs.")
    List<Path> inputs;

    @Option(names = "--seed", paramLabel = "<S>", defaultValue = "1",
            description = "Seed of the random inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "<out.json>", description = "Write summary, partitions and queries as JSON.")
    Path json;

    @Option(names = "--csv", paramLabel = "<out.csv>", description = "Write the queries as CSV.")
    Path csv;

    @Option(names = "--plot", paramLabel = "<out.png>",
            description = "Draw latency over time with partition-ready markers and the predicted curve.")
    Path plot;

    @Option(names = "--no-shaping", description = "Do not shape the socket (the bandwidth only informs the plan).")
    boolean noShaping;

    @Option(names = "--plain", description = "Plain progress lines even on a terminal.")
    boolean plain;

    @Option(names = "--connect-timeout", paramLabel = "<s>", defaultValue = "10",
            description = "How long to wait for the broker (default: ${DEFAULT-VALUE} s).")
    double connectTimeoutS;

    /** Checks what picocli cannot: exclusive options, numbers, output folders. */
    void check(CommandSpec spec) {
        if (durationS != null && queriesAfterUpload != null) {
            throw new ParameterException(spec.commandLine(), "give --duration or --queries-after-upload, not both");
        }
        if (slowdown != null && clientProfile != null) {
            throw new ParameterException(spec.commandLine(), "give --slowdown or --client-profile, not both");
        }
        if (durationS != null && !(durationS > 0 && durationS <= 24 * 3600)) {
            throw new ParameterException(spec.commandLine(), "--duration must be more than 0 s (at most a day), got "
                    + durationS);
        }
        if (queriesAfterUpload != null && queriesAfterUpload < 0) {
            throw new ParameterException(spec.commandLine(), "--queries-after-upload must be 0 or more");
        }
        if (slowdown != null && !(slowdown >= 1 && slowdown <= 10_000)) {
            throw new ParameterException(spec.commandLine(), "--slowdown must be between 1 and 10000, got " + slowdown);
        }
        if (!(connectTimeoutS > 0 && connectTimeoutS <= 600)) {
            throw new ParameterException(spec.commandLine(), "--connect-timeout must be more than 0 and at most 600 s");
        }
        if (clientId != null && !clientId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ParameterException(spec.commandLine(), "--client-id '" + clientId + "' must be 1 to 64 letters, "
                    + "digits, '-', '_' or '.'");
        }
        if (clientProfile != null && !Files.isRegularFile(clientProfile)) {
            throw new ParameterException(spec.commandLine(), "--client-profile " + clientProfile + ": no such file");
        }
        if (inputs != null) {
            for (Path p : inputs) {
                if (!Files.isRegularFile(p)) {
                    throw new ParameterException(spec.commandLine(), "--input " + p + ": no such file");
                }
            }
        }
        output(spec, "--json", json);
        output(spec, "--csv", csv);
        output(spec, "--plot", plot);
    }

    private static void output(CommandSpec spec, String option, Path file) {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + ": no such directory " + parent);
        }
        if (Files.isDirectory(file)) {
            throw new ParameterException(spec.commandLine(), option + " " + file + ": is a directory");
        }
    }

    DeviceEmulation device() {
        if (clientProfile != null) {
            CostProfile profile = ProfileLoader.load(clientProfile);
            return DeviceEmulation.profile(profile.units().stream().map(UnitCost::clientMs).toList(),
                    profile.clientOnlyMs());
        }
        return slowdown == null ? DeviceEmulation.none() : DeviceEmulation.slowdown(slowdown);
    }

    String emulation() {
        if (clientProfile != null) {
            return "device of profile " + clientProfile.getFileName();
        }
        return slowdown == null || slowdown == 1 ? "no device emulation"
                : "device " + trim(slowdown) + "x slower";
    }

    StopRule stopRule() {
        if (durationS != null) {
            return StopRule.duration(durationS);
        }
        return StopRule.afterUpload(queriesAfterUpload == null ? StopRule.DEFAULT_QUERIES_AFTER_UPLOAD
                : queriesAfterUpload);
    }

    OffloadRun.Config config(String gateway, Path model, String label, boolean verify) {
        String id = clientId != null ? clientId
                : "layerlift-cli-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 40);
        return new OffloadRun.Config(gateway, id, username, password, model, label, bandwidth, !noShaping, strategy,
                device(), emulation(), pacing == null ? Pacing.backToBack() : pacing, stopRule(), verify, inputs, seed,
                json, csv, plot, Duration.ofMillis((long) (connectTimeoutS * 1000)),
                !plain && ProgressDisplay.interactive());
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** {@link Bandwidth#parse}, its message as the conversion error. */
    public static final class BandwidthConverter implements ITypeConverter<Bandwidth> {
        @Override
        public Bandwidth convert(String value) {
            try {
                return Bandwidth.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@link Pacing#parse}, its message as the conversion error. */
    public static final class PacingConverter implements ITypeConverter<Pacing> {
        @Override
        public Pacing convert(String value) {
            try {
                return Pacing.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
