package org.layerlift.cli.offload;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.layerlift.api.inference.TensorData;
import org.layerlift.cli.CliException;
import org.layerlift.cli.ExitCodes;
import org.layerlift.cli.TextTable;
import org.layerlift.client.Bandwidth;
import org.layerlift.client.ClientException;
import org.layerlift.client.ClientOptions;
import org.layerlift.client.DeviceEmulation;
import org.layerlift.client.LayerLiftClient;
import org.layerlift.client.LinkEmulation;
import org.layerlift.client.OffloadOptions;
import org.layerlift.client.OffloadSession;
import org.layerlift.client.Prediction;
import org.layerlift.client.QueryResult;
import org.layerlift.client.SessionEvent;
import org.layerlift.client.SessionProgress;

/**
 * One offload run, shared by {@code offload} and {@code demo}: connect, open the session, raise queries as paced
 * until the stop rule says so, check them with --verify, then print the summary and write the files.
 */
public final class OffloadRun {

    /** Distinct seeded input sets the queries cycle through (each checked against its own reference). */
    static final int RANDOM_INPUT_SETS = 4;

    /** What to run. */
    public record Config(String gateway, String clientId, String username, String password, Path model,
            String modelLabel, Bandwidth bandwidth, boolean shaping, String strategy, DeviceEmulation device,
            String emulation, Pacing pacing, StopRule stop, boolean verify, List<Path> inputs, long seed, Path json,
            Path csv, Path plot, Duration connectTimeout, boolean progressBar) {}

    private final Config config;
    private final PrintWriter out;
    private volatile OffloadReport report;

    public OffloadRun(Config config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    /** Runs it; a failure the user can act on is a {@link CliException} with one line. */
    public int run() {
        ClientOptions options = ClientOptions.of(config.gateway(), config.clientId())
                .withTimeouts(config.connectTimeout(), null);
        if (config.username() != null) {
            options = options.withLogin(config.username(), config.password());
        }
        if (config.shaping()) {
            options = options.withLink(LinkEmulation.symmetric(config.bandwidth()));
        }
        OffloadOptions offload = OffloadOptions.of(config.model(), config.bandwidth()).withDevice(config.device());
        if (config.strategy() != null) {
            offload = offload.withStrategy(config.strategy());
        }
        out.println("connecting to " + config.gateway() + " as " + config.clientId() + " ...");
        out.flush();
        try (LayerLiftClient client = LayerLiftClient.connect(options)) {
            out.println("opening a session for " + config.modelLabel() + " (link " + config.bandwidth() + ", "
                    + config.emulation() + ") ...");
            out.flush();
            try (OffloadSession session = client.open(offload)) {
                return drive(session);
            }
        } catch (ClientException e) {
            throw new CliException(describe(e), e);
        }
    }

    /** The report of the finished run (also when it stopped early or had mismatches); null before or on failure. */
    public OffloadReport report() {
        return report;
    }

    /** One line for a client error: its message, its code, and what to do. */
    public static String describe(ClientException e) {
        String hint = switch (e.code() == null ? "" : e.code()) {
            // unreachable, refused, bad_model: the library's message already says what to do
            case "timeout" -> ": the gateway did not answer in time; is it overloaded or stopped?";
            case "unknown_strategy" -> ": give a strategy the gateway has installed (layerlift:strategies in "
                    + "./gateway --shell), or leave out --strategy";
            case "bad_input" -> ": give --input tensors of the model's input names, types and shapes";
            default -> "";
        };
        return e.getMessage() + " (" + e.code() + ")" + hint;
    }

    private int drive(OffloadSession session) throws ClientException {
        long openedNanos = System.nanoTime();
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        List<List<TensorData>> inputSets = new ArrayList<>();
        if (config.inputs() != null && !config.inputs().isEmpty()) {
            inputSets.add(QueryInputs.read(config.inputs(), session.inputs()));
        } else {
            for (int i = 0; i < RANDOM_INPUT_SETS; i++) {
                inputSets.add(QueryInputs.random(session.inputs(), config.seed() + i));
            }
        }
        var plan = session.firstPlan();
        out.println("session " + session.progress().session() + ": strategy " + plan.strategy() + ", "
                + (plan.partitions() == null ? 0 : plan.partitions().size()) + " partitions, "
                + String.format(Locale.ROOT, "%.1f", plan.bytesToUpload() / 1048576.0) + " MiB to upload"
                + (plan.bytesHeld() > 0 ? String.format(Locale.ROOT, " (%.1f MiB already on the gateway)",
                plan.bytesHeld() / 1048576.0) : "") + "; queries " + config.pacing() + ", " + stopText());
        out.flush();
        List<QueryResult> results = new ArrayList<>();
        List<Integer> setOf = new ArrayList<>();
        String stopped;
        int exit = ExitCodes.OK;
        try (ProgressDisplay display = new ProgressDisplay(out, session::progress, config.progressBar())) {
            session.addListener(e -> {
                events.add(e);
                display.event(e);
            });
            display.start();
            // session time: calibrated on the first answer (its start in the session's clock)
            double offsetMs = 0;
            boolean calibrated = false;
            long afterUpload = 0;
            while (true) {
                SessionProgress p = session.progress();
                double now = (System.nanoTime() - openedNanos) / 1e6 + offsetMs;
                boolean failed = events.stream().anyMatch(e -> SessionEvent.UPLOAD_FAILED.equals(e.type())
                        || SessionEvent.SESSION_EXPIRED.equals(e.type()));
                String why = config.stop().check(now, afterUpload, p.uploadDone(), failed);
                if (why != null) {
                    stopped = why;
                    break;
                }
                double delay = config.pacing().delayMs(results.size(), now);
                if (delay > 0) {
                    sleep(Math.min(delay, Math.min(200, Math.max(1, config.stop().deadlineMs() - now))));
                    continue;
                }
                int set = results.size() % inputSets.size();
                long before = System.nanoTime();
                QueryResult r = session.infer(inputSets.get(set));
                if (!calibrated) {
                    offsetMs = r.startMs() - (before - openedNanos) / 1e6;
                    calibrated = true;
                }
                results.add(r);
                setOf.add(set);
                display.lastLatency(r.latencyMs());
                double doneAt = session.progress().uploadDoneMs();
                if (doneAt >= 0 && r.startMs() >= doneAt) {
                    afterUpload++;
                }
            }
        }
        SessionProgress end = session.progress();
        String failure = events.stream().filter(e -> SessionEvent.UPLOAD_FAILED.equals(e.type())
                || SessionEvent.SESSION_EXPIRED.equals(e.type())).map(e -> e.type().replace('_', ' ')
                + (e.detail() == null ? "" : ": " + e.detail())).findFirst().orElse(null);
        if (failure != null) {
            exit = ExitCodes.INPUT;
        }
        List<Double> diffs = null;
        if (config.verify()) {
            List<List<TensorData>> references = new ArrayList<>();
            for (List<TensorData> inputs : inputSets) {
                references.add(session.reference(inputs));
            }
            diffs = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                diffs.add(QueryInputs.maxAbsDiff(results.get(i).outputs(), references.get(setOf.get(i))));
            }
        }
        Prediction prediction;
        try {
            prediction = session.predict(config.pacing().intervalMs());
        } catch (RuntimeException e) {
            out.println("(no prediction: " + e.getMessage() + ")");
            prediction = null;
        }
        OffloadReport report = OffloadReport.build(new OffloadReport.Setup(config.modelLabel(), config.gateway(),
                config.clientId(), config.bandwidth().mbps(), config.emulation(), config.pacing(), config.verify()),
                session.firstPlan(), prediction, results, diffs, List.copyOf(events), end, stopped);
        this.report = report;
        out.print(summaryTable(report));
        if (config.json() != null) {
            ReportFiles.writeJson(config.json(), report);
            out.println("Wrote " + config.json());
        }
        if (config.csv() != null) {
            ReportFiles.writeCsv(config.csv(), report);
            out.println("Wrote " + config.csv());
        }
        if (config.plot() != null) {
            OffloadPlot.write(config.plot(), report, 900, 520);
            out.println("Wrote " + config.plot());
        }
        out.flush();
        if (failure != null) {
            throw new CliException(failure + ": the run stopped early (summary above); check the gateway's log");
        }
        Integer mismatches = report.summary().mismatches();
        if (mismatches != null && mismatches > 0) {
            throw new CliException(mismatches + " of " + results.size() + " answers differ from full local "
                    + "inference by more than " + OffloadReport.TOLERANCE);
        }
        return exit;
    }

    private String stopText() {
        StopRule s = config.stop();
        return s.durationMs() >= 0 ? "for " + fmt(s.durationMs() / 1000, 1) + " s"
                : "until " + s.queriesAfterUpload() + " queries after the upload";
    }

    /** The summary as a two-column table. */
    static String summaryTable(OffloadReport report) {
        OffloadReport.Summary s = report.summary();
        TextTable t = new TextTable().column("summary", false).column("", true);
        t.row("strategy", s.strategy() + (s.strategyNow() != null && !s.strategyNow().equals(s.strategy())
                ? " (now " + s.strategyNow() + ")" : ""));
        t.row("mean latency during upload ms", ms(s.meanLatencyDuringUploadMs()));
        t.row("  predicted (simulator) ms", ms(s.predictedMeanLatencyDuringUploadMs()));
        t.row("mean latency after upload ms", ms(s.meanLatencyAfterUploadMs()));
        t.row("local latency ms", ms(s.localLatencyMs()));
        t.row("upload done s", s.uploadDoneMs() == null ? "not done" : fmt(s.uploadDoneMs() / 1000, 2));
        t.row("  predicted s", s.predictedUploadDoneMs() == null ? "-" : fmt(s.predictedUploadDoneMs() / 1000, 2));
        t.row("bytes uploaded", Long.toString(s.bytesUploaded()));
        t.row("bytes skipped (held)", Long.toString(s.bytesSkipped()));
        t.row("chunks resent", Long.toString(s.chunksResent()));
        t.row("replans", Integer.toString(s.replans()));
        t.row("queries", s.queries() + " (" + s.queriesDuringUpload() + " during upload)");
        t.row("offloaded queries", Integer.toString(s.offloadedQueries()));
        t.row("local fallbacks", Integer.toString(s.localFallbacks()));
        t.row("mismatches", s.mismatches() == null ? "not checked (--verify)" : Integer.toString(s.mismatches()));
        StringBuilder b = new StringBuilder(t.render());
        TextTable parts = new TextTable().column("partition", true).column("units", false).column("MiB", true)
                .column("ready s", true).column("predicted s", true);
        for (OffloadReport.PartitionRow p : report.partitions()) {
            parts.row(Integer.toString(p.index()), units(p.units()), fmt(p.bytes() / 1048576.0, 2),
                    p.readyMs() == null ? "-" : fmt(p.readyMs() / 1000, 2), fmt(p.predictedReadyMs() / 1000, 2));
        }
        if (!report.partitions().isEmpty()) {
            b.append(System.lineSeparator()).append(parts.render());
        }
        b.append("stopped: ").append(s.stopped()).append(System.lineSeparator());
        return b.toString();
    }

    private static String units(List<Integer> units) {
        if (units == null || units.isEmpty()) {
            return "-";
        }
        int first = units.get(0);
        int last = units.get(units.size() - 1);
        return units.size() == last - first + 1 ? first + ".." + last : units.toString();
    }

    private static String ms(Double v) {
        return v == null ? "-" : fmt(v, 1);
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static void sleep(double ms) {
        try {
            Thread.sleep(Math.max(1, (long) ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
