package org.layerlift.cli.offload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import org.layerlift.client.Prediction;
import org.layerlift.client.QueryResult;
import org.layerlift.client.SessionEvent;
import org.layerlift.client.SessionProgress;
import org.layerlift.protocol.Messages;

/**
 * What an offload run wrote down: {@code {"summary": {...}, "partitions": [...], "queries": [...], "replans": [...]}}
 * (docs/cli.md, "layerlift offload"). Built by {@link #build} from the session's plan, prediction, events, counters
 * and the answered queries; written by {@link ReportFiles}.
 */
@JsonPropertyOrder({"summary", "partitions", "queries", "replans", "predicted"})
public record OffloadReport(
        @JsonProperty("summary") Summary summary,
        @JsonProperty("partitions") List<PartitionRow> partitions,
        @JsonProperty("queries") List<QueryRow> queries,
        @JsonProperty("replans") List<ReplanRow> replans,
        @JsonProperty("predicted") List<PredictedQuery> predicted) {

    /** Where the run came from (not measured): the command's settings. */
    public record Setup(String model, String gateway, String clientId, double bandwidthMbps, String emulation,
            Pacing pacing, boolean verify) {}

    /** The run's totals. Times in ms since the upload started; null where there is nothing to say. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"model", "gateway", "client_id", "session", "strategy", "strategy_now", "plan_version",
        "bandwidth_mbps", "emulation", "queries_mode", "query_interval_ms", "mean_latency_during_upload_ms",
        "predicted_mean_latency_during_upload_ms", "mean_latency_after_upload_ms", "local_latency_ms",
        "upload_done_ms", "predicted_upload_done_ms", "bytes_to_upload", "bytes_uploaded", "bytes_skipped",
        "chunks_sent", "chunks_resent", "replans", "queries", "queries_during_upload", "offloaded_queries",
        "local_fallbacks", "mismatches", "stopped"})
    public record Summary(
            @JsonProperty("model") String model,
            @JsonProperty("gateway") String gateway,
            @JsonProperty("client_id") String clientId,
            @JsonProperty("session") String session,
            @JsonProperty("strategy") String strategy,
            @JsonProperty("strategy_now") String strategyNow,
            @JsonProperty("plan_version") int planVersion,
            @JsonProperty("bandwidth_mbps") double bandwidthMbps,
            @JsonProperty("emulation") String emulation,
            @JsonProperty("queries_mode") String queriesMode,
            @JsonProperty("query_interval_ms") double queryIntervalMs,
            @JsonProperty("mean_latency_during_upload_ms") Double meanLatencyDuringUploadMs,
            @JsonProperty("predicted_mean_latency_during_upload_ms") Double predictedMeanLatencyDuringUploadMs,
            @JsonProperty("mean_latency_after_upload_ms") Double meanLatencyAfterUploadMs,
            @JsonProperty("local_latency_ms") Double localLatencyMs,
            @JsonProperty("upload_done_ms") Double uploadDoneMs,
            @JsonProperty("predicted_upload_done_ms") Double predictedUploadDoneMs,
            @JsonProperty("bytes_to_upload") long bytesToUpload,
            @JsonProperty("bytes_uploaded") long bytesUploaded,
            @JsonProperty("bytes_skipped") long bytesSkipped,
            @JsonProperty("chunks_sent") long chunksSent,
            @JsonProperty("chunks_resent") long chunksResent,
            @JsonProperty("replans") int replans,
            @JsonProperty("queries") int queries,
            @JsonProperty("queries_during_upload") int queriesDuringUpload,
            @JsonProperty("offloaded_queries") int offloadedQueries,
            @JsonProperty("local_fallbacks") int localFallbacks,
            @JsonProperty("mismatches") Integer mismatches,
            @JsonProperty("stopped") String stopped) {}

    /** A partition of the first plan: its units and bytes, when it got ready (null: never) and when it was expected. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"index", "units", "segments", "bytes", "ready_ms", "predicted_ready_ms"})
    public record PartitionRow(
            @JsonProperty("index") int index,
            @JsonProperty("units") List<Integer> units,
            @JsonProperty("segments") List<Messages.SegmentRef> segments,
            @JsonProperty("bytes") long bytes,
            @JsonProperty("ready_ms") Double readyMs,
            @JsonProperty("predicted_ready_ms") double predictedReadyMs) {}

    /** Units first..last ran {@code where} ({@code client} or {@code gateway}) for {@code ms}. */
    @JsonPropertyOrder({"first", "last", "where", "ms", "gateway_ms"})
    public record SegmentRow(@JsonProperty("first") int first, @JsonProperty("last") int last,
            @JsonProperty("where") String where, @JsonProperty("ms") double ms,
            @JsonProperty("gateway_ms") double gatewayMs) {}

    /** One answered query; {@code correct} and {@code max_abs_diff} only with --verify. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"index", "start_ms", "latency_ms", "partition", "plan_version", "segments", "offloaded",
        "fallback", "fallback_reason", "correct", "max_abs_diff"})
    public record QueryRow(
            @JsonProperty("index") int index,
            @JsonProperty("start_ms") double startMs,
            @JsonProperty("latency_ms") double latencyMs,
            @JsonProperty("partition") int partition,
            @JsonProperty("plan_version") int planVersion,
            @JsonProperty("segments") List<SegmentRow> segments,
            @JsonProperty("offloaded") boolean offloaded,
            @JsonProperty("fallback") boolean fallback,
            @JsonProperty("fallback_reason") String fallbackReason,
            @JsonProperty("correct") Boolean correct,
            @JsonProperty("max_abs_diff") Double maxAbsDiff) {}

    /** A new plan taken during the run. */
    @JsonPropertyOrder({"at_ms", "plan_version", "strategy", "reason"})
    public record ReplanRow(@JsonProperty("at_ms") double atMs, @JsonProperty("plan_version") int planVersion,
            @JsonProperty("strategy") String strategy, @JsonProperty("reason") String reason) {}

    /** A query of the simulator's prediction. */
    @JsonPropertyOrder({"start_ms", "latency_ms", "partition"})
    public record PredictedQuery(@JsonProperty("start_ms") double startMs, @JsonProperty("latency_ms") double latencyMs,
            @JsonProperty("partition") int partition) {}

    /** The tolerance of --verify: max |offloaded - reference| over every output element. */
    public static final double TOLERANCE = 1e-4;

    /**
     * Puts a run together.
     *
     * @param firstPlan  the plan the session started with
     * @param prediction the simulator's prediction for it, or null
     * @param results    the answered queries in order
     * @param diffs      per query its max abs difference from the reference, or null without --verify
     * @param events     the session's events in order
     * @param progress   the counters at the end
     * @param stopped    why the run stopped
     */
    public static OffloadReport build(Setup setup, Messages.Plan firstPlan, Prediction prediction,
            List<QueryResult> results, List<Double> diffs, List<SessionEvent> events, SessionProgress progress,
            String stopped) {
        List<PartitionRow> partitions = new ArrayList<>();
        List<Messages.PlanPartition> planned = firstPlan.partitions() == null ? List.of() : firstPlan.partitions();
        Double[] ready = new Double[planned.size()];
        List<ReplanRow> replans = new ArrayList<>();
        for (SessionEvent e : events) {
            if (SessionEvent.PARTITION_READY.equals(e.type()) && e.progress() != null
                    && e.progress().planVersion() == firstPlan.planVersion() && e.partition() >= 0
                    && e.partition() < ready.length && ready[e.partition()] == null) {
                ready[e.partition()] = e.atMs();
            } else if (SessionEvent.REPLAN.equals(e.type())) {
                replans.add(new ReplanRow(e.atMs(), e.progress() == null ? -1 : e.progress().planVersion(),
                        e.progress() == null ? null : e.progress().strategy(), e.detail()));
            }
        }
        for (int i = 0; i < planned.size(); i++) {
            Messages.PlanPartition p = planned.get(i);
            partitions.add(new PartitionRow(i, p.units(), p.segments(), p.bytes(), ready[i], p.predictedReadyMs()));
        }
        double uploadDone = progress.uploadDoneMs();
        boolean done = uploadDone >= 0;
        List<QueryRow> queries = new ArrayList<>();
        int mismatches = 0;
        int offloaded = 0;
        int fallbacks = 0;
        double duringSum = 0;
        int during = 0;
        double afterSum = 0;
        int after = 0;
        for (int i = 0; i < results.size(); i++) {
            QueryResult r = results.get(i);
            Boolean correct = null;
            Double diff = null;
            if (diffs != null) {
                diff = diffs.get(i);
                correct = diff <= TOLERANCE;
                if (!correct) {
                    mismatches++;
                }
            }
            List<SegmentRow> segments = r.segments().stream()
                    .map(s -> new SegmentRow(s.first(), s.last(), s.where(), s.ms(), s.gatewayMs())).toList();
            queries.add(new QueryRow(i, r.startMs(), r.latencyMs(), r.partition(), r.planVersion(), segments,
                    r.offloaded(), r.fallback(), r.fallbackReason(), correct,
                    diff == null || Double.isFinite(diff) ? diff : null));
            offloaded += r.offloaded() ? 1 : 0;
            fallbacks += r.fallback() ? 1 : 0;
            if (!done || r.startMs() < uploadDone) {
                duringSum += r.latencyMs();
                during++;
            } else {
                afterSum += r.latencyMs();
                after++;
            }
        }
        List<PredictedQuery> predicted = prediction == null ? List.of() : prediction.queries().stream()
                .map(q -> new PredictedQuery(q.startMs(), q.latencyMs(), q.partition())).toList();
        Summary summary = new Summary(setup.model(), setup.gateway(), setup.clientId(), progress.session(),
                firstPlan.strategy(), progress.strategy(), progress.planVersion(), setup.bandwidthMbps(),
                setup.emulation(), setup.pacing().toString(), setup.pacing().intervalMs(),
                during == 0 ? null : duringSum / during,
                prediction == null ? null : finite(prediction.meanLatencyDuringUploadMs()),
                after == 0 ? null : afterSum / after,
                prediction == null ? null : finite(prediction.localLatencyMs()),
                done ? uploadDone : null,
                prediction == null ? null : finite(prediction.uploadDoneMs()),
                progress.bytesToUpload(), progress.bytesUploaded(), progress.bytesSkipped(), progress.chunksSent(),
                progress.chunksResent(), progress.replans(), results.size(), during, offloaded, fallbacks,
                diffs == null ? null : mismatches, stopped);
        return new OffloadReport(summary, partitions, queries, replans, predicted);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
