package org.layerlift.cli.loadtest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.layerlift.cli.CliException;
import org.layerlift.cli.TextTable;

/**
 * What a load test wrote down: {@code {"summary": {...}, "clients": [...]}} (docs/cli.md, "layerlift loadtest").
 * Built by {@link #build} from every client's {@link ClientOutcome}; pure.
 */
@JsonPropertyOrder({"summary", "clients"})
public record LoadReport(@JsonProperty("summary") Summary summary, @JsonProperty("clients") List<ClientRow> clients) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The run's settings (not measured).
     *
     * @param queryTimeoutMs  the client's query (hop) timeout
     * @param localLatencyMs  the emulated device's whole-model latency, as planned, or null when unknown
     * @param latencyBoundMs  the longest a query can take ({@link #bound}), or null when unknown
     */
    public record Setup(String model, String gateway, String clientPrefix, double bandwidthMbps, String emulation,
            String queriesMode, String start, String stopRule, double queryTimeoutMs, Double localLatencyMs,
            Double latencyBoundMs) {}

    /**
     * The longest a query can take: waiting for a partition lasts at most as long as running locally would, each of
     * its at most {@code hops} server segments is given up after the query timeout, and a given-up hop re-runs the
     * rest locally (at most the whole model's local time).
     */
    public static double bound(int hops, double queryTimeoutMs, double localLatencyMs) {
        return Math.max(0, hops) * queryTimeoutMs + 2 * localLatencyMs;
    }

    /** The totals over every client's queries. Latencies in ms; null where there is nothing to say. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"clients", "queries", "mismatches", "errors", "lost_chunks", "p50_ms", "p95_ms", "p99_ms",
        "offloaded_share", "max_ms", "query_timeout_ms", "latency_bound_ms", "p99_within_bound", "local_latency_ms",
        "queries_per_s", "fallbacks", "uploads_done", "upload_s_max", "lost_units", "chunks_sent", "chunks_resent",
        "wall_s", "model", "gateway", "client_prefix", "bandwidth_mbps", "emulation", "queries_mode", "start",
        "stop", "run_errors", "usage"})
    public record Summary(
            @JsonProperty("clients") int clients,
            @JsonProperty("queries") int queries,
            @JsonProperty("mismatches") int mismatches,
            @JsonProperty("errors") int errors,
            @JsonProperty("lost_chunks") long lostChunks,
            @JsonProperty("p50_ms") Double p50Ms,
            @JsonProperty("p95_ms") Double p95Ms,
            @JsonProperty("p99_ms") Double p99Ms,
            @JsonProperty("offloaded_share") Double offloadedShare,
            @JsonProperty("max_ms") Double maxMs,
            @JsonProperty("query_timeout_ms") double queryTimeoutMs,
            @JsonProperty("latency_bound_ms") Double latencyBoundMs,
            @JsonProperty("p99_within_bound") Boolean p99WithinBound,
            @JsonProperty("local_latency_ms") Double localLatencyMs,
            @JsonProperty("queries_per_s") double queriesPerS,
            @JsonProperty("fallbacks") int fallbacks,
            @JsonProperty("uploads_done") int uploadsDone,
            @JsonProperty("upload_s_max") Double uploadSMax,
            @JsonProperty("lost_units") int lostUnits,
            @JsonProperty("chunks_sent") long chunksSent,
            @JsonProperty("chunks_resent") long chunksResent,
            @JsonProperty("wall_s") double wallS,
            @JsonProperty("model") String model,
            @JsonProperty("gateway") String gateway,
            @JsonProperty("client_prefix") String clientPrefix,
            @JsonProperty("bandwidth_mbps") double bandwidthMbps,
            @JsonProperty("emulation") String emulation,
            @JsonProperty("queries_mode") String queriesMode,
            @JsonProperty("start") String start,
            @JsonProperty("stop") String stop,
            @JsonProperty("run_errors") List<String> runErrors,
            @JsonProperty("usage") Usage usage) {}

    /** One client. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"client_id", "session", "open_s", "upload_s", "queries", "p50_ms", "p95_ms", "p99_ms",
        "max_ms", "offloaded_share", "fallbacks", "errors", "error_reasons", "mismatches", "chunks_sent",
        "chunks_resent", "bytes_uploaded", "bytes_skipped", "replans", "uplink_mbps", "plan_mbps"})
    public record ClientRow(
            @JsonProperty("client_id") String clientId,
            @JsonProperty("session") String session,
            @JsonProperty("open_s") Double openS,
            @JsonProperty("upload_s") Double uploadS,
            @JsonProperty("queries") int queries,
            @JsonProperty("p50_ms") Double p50Ms,
            @JsonProperty("p95_ms") Double p95Ms,
            @JsonProperty("p99_ms") Double p99Ms,
            @JsonProperty("max_ms") Double maxMs,
            @JsonProperty("offloaded_share") Double offloadedShare,
            @JsonProperty("fallbacks") int fallbacks,
            @JsonProperty("errors") int errors,
            @JsonProperty("error_reasons") List<String> errorReasons,
            @JsonProperty("mismatches") int mismatches,
            @JsonProperty("chunks_sent") long chunksSent,
            @JsonProperty("chunks_resent") long chunksResent,
            @JsonProperty("bytes_uploaded") long bytesUploaded,
            @JsonProperty("bytes_skipped") long bytesSkipped,
            @JsonProperty("replans") int replans,
            @JsonProperty("uplink_mbps") Double uplinkMbps,
            @JsonProperty("plan_mbps") Double planMbps) {}

    /**
     * Puts a run together.
     *
     * @param outcomes   every client, its answers checked
     * @param lostUnits  units of the model the gateway did not hold at the end
     * @param lostChunks their chunks (in the gateway's chunk size)
     * @param runErrors  failures of the run itself (the lost-chunk check), counted with the clients' errors
     * @param wallS      from the clients' start to the end of the last client's queries
     * @param usage      where the CPU went
     */
    public static LoadReport build(Setup setup, List<ClientOutcome> outcomes, int lostUnits, long lostChunks,
            List<String> runErrors, double wallS, String stop, Usage usage) {
        List<ClientRow> rows = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        int offloaded = 0;
        int mismatches = 0;
        int errors = runErrors.size();
        int fallbacks = 0;
        int uploadsDone = 0;
        Double uploadMax = null;
        long sent = 0;
        long resent = 0;
        for (ClientOutcome o : outcomes) {
            Percentiles p = Percentiles.of(o.latenciesMs());
            int off = (int) o.offloaded().stream().filter(Boolean::booleanValue).count();
            int mm = o.mismatches() == null ? 0 : o.mismatches();
            Double upload = o.uploadDoneMs() == null ? null : o.uploadDoneMs() / 1000;
            rows.add(new ClientRow(o.clientId(), o.session(), o.openMs() == null ? null : o.openMs() / 1000, upload,
                    p.count(), p.at(50), p.at(95), p.at(99), p.max(), share(off, p.count()), o.fallbacks(),
                    o.errors().size(), o.errors(), mm, o.chunksSent(), o.chunksResent(), o.bytesUploaded(),
                    o.bytesSkipped(), o.replans(), o.uplinkMbps(), o.planMbps()));
            all.addAll(o.latenciesMs());
            offloaded += off;
            mismatches += mm;
            errors += o.errors().size();
            fallbacks += o.fallbacks();
            if (upload != null) {
                uploadsDone++;
                uploadMax = uploadMax == null ? upload : Math.max(uploadMax, upload);
            }
            sent += o.chunksSent();
            resent += o.chunksResent();
        }
        Percentiles p = Percentiles.of(all);
        Double bound = setup.latencyBoundMs();
        Double p99 = p.at(99);
        Boolean within = p99 == null || bound == null ? null : p99 <= bound;
        // an acknowledged chunk sent again means the gateway lost it: lost too
        Summary s = new Summary(outcomes.size(), p.count(), mismatches, errors, lostChunks + resent, p.at(50), p.at(95), p99,
                share(offloaded, p.count()), p.max(), setup.queryTimeoutMs(), bound, within, setup.localLatencyMs(),
                wallS > 0 ? p.count() / wallS : 0, fallbacks, uploadsDone, uploadMax, lostUnits, sent, resent, wallS,
                setup.model(), setup.gateway(), setup.clientPrefix(), setup.bandwidthMbps(), setup.emulation(),
                setup.queriesMode(), setup.start(), stop, List.copyOf(runErrors), usage);
        return new LoadReport(s, rows);
    }

    private static Double share(int part, int whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    /** Whether the run passed: no mismatch, no error, no lost chunk, p99 within its bound. */
    public boolean passed() {
        return summary.mismatches() == 0 && summary.errors() == 0 && summary.lostChunks() == 0
                && !Boolean.FALSE.equals(summary.p99WithinBound());
    }

    /** The per-client table and the summary line. */
    public String text() {
        TextTable t = new TextTable().column("client", false).column("upload s", true).column("queries", true)
                .column("p50 ms", true).column("p95 ms", true).column("p99 ms", true).column("offloaded", true)
                .column("fallbacks", true).column("errors", true).column("mismatches", true);
        for (ClientRow c : clients) {
            t.row(c.clientId(), c.uploadS() == null ? "not done" : fmt(c.uploadS(), 2), Integer.toString(c.queries()),
                    ms(c.p50Ms()), ms(c.p95Ms()), ms(c.p99Ms()), pct(c.offloadedShare()),
                    Integer.toString(c.fallbacks()), Integer.toString(c.errors()), Integer.toString(c.mismatches()));
        }
        StringBuilder b = new StringBuilder(t.render());
        String nl = System.lineSeparator();
        for (String e : summary.runErrors()) {
            b.append("error: ").append(e).append(nl);
        }
        for (ClientRow c : clients) {
            for (String e : c.errorReasons()) {
                b.append("error: ").append(c.clientId()).append(": ").append(e).append(nl);
            }
        }
        Summary s = summary;
        b.append(String.format(Locale.ROOT, "summary: %d clients, %d queries (%.1f/s), p50 %s ms, p95 %s ms, p99 %s ms "
                        + "(max %s; bound %s ms from query timeout %s and local %s), offloaded %s, fallbacks %d, "
                        + "mismatches %d, errors %d, lost chunks %d, uploads done %d/%d (slowest %s s), chunks resent %d",
                s.clients(), s.queries(), s.queriesPerS(), ms(s.p50Ms()), ms(s.p95Ms()), ms(s.p99Ms()), ms(s.maxMs()),
                ms(s.latencyBoundMs()), ms(s.queryTimeoutMs()), ms(s.localLatencyMs()), pct(s.offloadedShare()),
                s.fallbacks(), s.mismatches(), s.errors(), s.lostChunks(), s.uploadsDone(), s.clients(),
                s.uploadSMax() == null ? "-" : fmt(s.uploadSMax(), 2), s.chunksResent())).append(nl);
        Usage u = s.usage();
        if (u != null) {
            b.append(String.format(Locale.ROOT, "cpu: load test %.2f cores (%.0f %% of the machine on average), machine "
                    + "%.0f %% busy of %d cores", u.loadtestCores(), 100 * u.loadtestCpuLoad(), 100 * u.machineCpuLoad(),
                    u.machineCores()));
            if (u.gatewayCores() != null) {
                b.append(String.format(Locale.ROOT, ", gateway %.2f cores", u.gatewayCores()));
                List<String> top = u.gatewayThreads().stream().limit(4).map(g -> g.name() + " "
                        + fmt(g.cpuS(), 1) + " s").toList();
                if (!top.isEmpty()) {
                    b.append(" (").append(String.join(", ", top)).append(")");
                }
            }
            if (u.gatewayWriteBytes() != null) {
                b.append(String.format(Locale.ROOT, ", gateway wrote %.1f MiB", u.gatewayWriteBytes() / 1048576.0));
            }
            b.append(nl);
        }
        return b.toString();
    }

    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void writeJson(Path file) {
        try {
            JSON.writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String ms(Double v) {
        return v == null ? "-" : fmt(v, 1);
    }

    private static String pct(Double v) {
        return v == null ? "-" : fmt(100 * v, 0) + " %";
    }

    static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
