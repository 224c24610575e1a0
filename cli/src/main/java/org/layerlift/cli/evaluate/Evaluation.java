package org.layerlift.cli.evaluate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.layerlift.cli.offload.OffloadReport;

/**
 * The real system against the simulator, from the reports of real runs (pure: no gateway, no files). One row per
 * run; runs of the same model, bandwidth and device form a group whose strategies are ranked twice, by the measured
 * mean latency during the upload and by the simulator's prediction for the same first plan and profiles.
 */
public final class Evaluation {

    /** The simulator's gap between two strategies above which their real order must match the predicted one. */
    public static final double RANKING_GAP = 0.05;

    /** A real gap over this (|real / predicted - 1|) is explained in the doc. */
    public static final double PREDICTION_TOLERANCE = 0.10;

    /**
     * One real run: what was asked, and its report (null when it failed, then {@code error} says why); {@code repeat}
     * counts the runs of the same case (model, bandwidth, strategy, device) from 1.
     */
    public record Run(String model, double mbps, String strategy, String device, double slowdown,
            OffloadReport report, String error, int repeat) {
        public Run(String model, double mbps, String strategy, String device, double slowdown, OffloadReport report,
                String error) {
            this(model, mbps, strategy, device, slowdown, report, error, 1);
        }

        /** The case this run is one repeat of. */
        String caseKey() {
            return model + "|" + mbps + "|" + strategy + "|" + device;
        }
    }

    /**
     * A case's row in the results: one run, or the runs of one case repeated. Latencies and times are the means over
     * the runs, the ratios those of the means ({@code run_ratios}: each run's own), the counts summed over the runs.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"model", "bandwidth_mbps", "strategy", "device", "slowdown", "runs", "local_latency_ms",
        "mean_latency_during_upload_ms", "predicted_mean_latency_during_upload_ms", "ratio", "within_tolerance",
        "run_ratios", "predicted_over_real_upload_ms", "ratio_over_real_upload",
        "upload_done_ms", "predicted_upload_done_ms", "queries_during_upload", "offloaded_queries", "local_fallbacks",
        "replans", "mismatches", "chunks_resent", "partitions", "error"})
    public record Row(
            @JsonProperty("model") String model,
            @JsonProperty("bandwidth_mbps") double mbps,
            @JsonProperty("strategy") String strategy,
            @JsonProperty("device") String device,
            @JsonProperty("slowdown") double slowdown,
            @JsonProperty("local_latency_ms") Double localMs,
            @JsonProperty("mean_latency_during_upload_ms") Double realMs,
            @JsonProperty("predicted_mean_latency_during_upload_ms") Double predictedMs,
            @JsonProperty("ratio") Double ratio,
            @JsonProperty("within_tolerance") Boolean withinTolerance,
            @JsonProperty("predicted_over_real_upload_ms") Double predictedSameWindowMs,
            @JsonProperty("ratio_over_real_upload") Double ratioSameWindow,
            @JsonProperty("upload_done_ms") Double uploadDoneMs,
            @JsonProperty("predicted_upload_done_ms") Double predictedUploadDoneMs,
            @JsonProperty("queries_during_upload") Integer queriesDuringUpload,
            @JsonProperty("offloaded_queries") Integer offloadedQueries,
            @JsonProperty("local_fallbacks") Integer localFallbacks,
            @JsonProperty("replans") Integer replans,
            @JsonProperty("mismatches") Integer mismatches,
            @JsonProperty("chunks_resent") Long chunksResent,
            @JsonProperty("partitions") Integer partitions,
            @JsonProperty("error") String error,
            @JsonProperty("runs") int runs,
            @JsonProperty("run_ratios") List<Double> runRatios) {}

    /**
     * The strategies of one group ranked both ways (best first), and the pairs the simulator separates by more than
     * {@link #RANKING_GAP} with whether the real runs order them the same way.
     */
    @JsonPropertyOrder({"model", "bandwidth_mbps", "device", "predicted_order", "real_order", "separated_pairs",
        "agreeing_pairs", "matches", "gain_vs_ionn_real", "gain_vs_ionn_predicted"})
    public record Ranking(
            @JsonProperty("model") String model,
            @JsonProperty("bandwidth_mbps") double mbps,
            @JsonProperty("device") String device,
            @JsonProperty("predicted_order") List<String> predictedOrder,
            @JsonProperty("real_order") List<String> realOrder,
            @JsonProperty("separated_pairs") List<String> separatedPairs,
            @JsonProperty("agreeing_pairs") List<String> agreeingPairs,
            @JsonProperty("matches") boolean matches,
            @JsonProperty("gain_vs_ionn_real") Map<String, Double> gainReal,
            @JsonProperty("gain_vs_ionn_predicted") Map<String, Double> gainPredicted) {}

    /** Everything: the rows and the rankings. */
    @JsonPropertyOrder({"rows", "rankings"})
    public record Results(@JsonProperty("rows") List<Row> rows, @JsonProperty("rankings") List<Ranking> rankings) {}

    private Evaluation() {
    }

    public static Results evaluate(List<Run> runs) {
        // the repeats of a case make one row; a failed run keeps a row of its own
        Map<String, List<Run>> cases = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        for (Run r : runs) {
            if (r.report() == null) {
                cases.put("failed|" + cases.size(), List.of(r));
            } else {
                cases.computeIfAbsent(r.caseKey(), k -> new ArrayList<>()).add(r);
            }
        }
        for (List<Run> c : cases.values()) {
            rows.add(c.size() == 1 ? row(c.get(0)) : row(c));
        }
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            // one device kind per group: the slowdown runs (their F is measured per evaluation, so it may differ a
            // little between runs measured again later) or one profile's
            String kind = r.device() != null && r.device().startsWith("profile") ? r.device() : "slowdown";
            groups.computeIfAbsent(r.model() + "|" + r.mbps() + "|" + kind, k -> new ArrayList<>()).add(r);
        }
        List<Ranking> rankings = new ArrayList<>();
        for (List<Row> g : groups.values()) {
            List<Row> usable = g.stream().filter(r -> r.realMs() != null && r.predictedMs() != null).toList();
            if (usable.size() < 2) {
                continue;
            }
            rankings.add(rank(usable));
        }
        return new Results(rows, rankings);
    }

    static Row row(Run run) {
        OffloadReport rep = run.report();
        if (rep == null) {
            return new Row(run.model(), run.mbps(), run.strategy(), run.device(), run.slowdown(), null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, run.error(), 1,
                    List.of());
        }
        OffloadReport.Summary s = rep.summary();
        Double real = s.meanLatencyDuringUploadMs();
        Double predicted = s.predictedMeanLatencyDuringUploadMs();
        Double ratio = ratio(real, predicted);
        Boolean within = within(ratio);
        Double same = s.uploadDoneMs() == null ? null : predictedMeanBefore(rep.predicted(), s.uploadDoneMs());
        Double sameRatio = ratio(real, same);
        return new Row(run.model(), run.mbps(), run.strategy(), run.device(), run.slowdown(), s.localLatencyMs(), real,
                predicted, ratio, within, same, sameRatio, s.uploadDoneMs(), s.predictedUploadDoneMs(), s.queriesDuringUpload(),
                s.offloadedQueries(), s.localFallbacks(), s.replans(), s.mismatches(), s.chunksResent(),
                rep.partitions().size(), run.error(), 1, ratio == null ? List.of() : List.of(ratio));
    }

    /** The row of a case run several times (every run with a report): means, ratios of the means, sums. */
    static Row row(List<Run> repeats) {
        List<Row> each = repeats.stream().map(Evaluation::row).toList();
        Row first = each.get(0);
        Double real = mean(each, Row::realMs);
        Double predicted = mean(each, Row::predictedMs);
        Double ratio = ratio(real, predicted);
        Boolean within = within(ratio);
        Double same = mean(each, Row::predictedSameWindowMs);
        Double sameRatio = ratio(real, same);
        List<Double> ratios = each.stream().map(Row::ratio).filter(java.util.Objects::nonNull).toList();
        return new Row(first.model(), first.mbps(), first.strategy(), first.device(), first.slowdown(),
                mean(each, Row::localMs), real, predicted, ratio, within, same, sameRatio, mean(each, Row::uploadDoneMs),
                mean(each, Row::predictedUploadDoneMs), sum(each, Row::queriesDuringUpload),
                sum(each, Row::offloadedQueries), sum(each, Row::localFallbacks), sum(each, Row::replans),
                sum(each, Row::mismatches), each.stream().mapToLong(r -> r.chunksResent() == null ? 0
                        : r.chunksResent()).sum(), first.partitions(), null, each.size(), ratios);
    }

    /** real / predicted; null without both or with a prediction of 0. */
    private static Double ratio(Double real, Double predicted) {
        return real != null && predicted != null && predicted > 0 ? real / predicted : null;
    }

    private static Boolean within(Double ratio) {
        return ratio == null ? null : Math.abs(ratio - 1) <= PREDICTION_TOLERANCE + 1e-9;
    }

    /** The rows' mean of {@code f}; null when a row has none. */
    private static Double mean(List<Row> rows, java.util.function.Function<Row, Double> f) {
        Double total = total(rows, f);
        return total == null || rows.isEmpty() ? null : total / rows.size();
    }

    /** The rows' sum of {@code f}; null when a row has none. */
    private static Integer sum(List<Row> rows, java.util.function.Function<Row, Integer> f) {
        Double total = total(rows, f);
        return total == null ? null : (int) Math.round(total);
    }

    private static Double total(List<Row> rows, java.util.function.Function<Row, ? extends Number> f) {
        double total = 0;
        for (Row r : rows) {
            Number v = f.apply(r);
            if (v == null) {
                return null;
            }
            total += v.doubleValue();
        }
        return total;
    }

    /**
     * The prediction's mean latency over the queries that start before {@code endMs} (the real upload's end), with
     * back-to-back queries: the predicted ones, then, past the last, queries at the last one's latency (once every
     * partition is ready each query takes the final route, so that is the simulator's own continuation). With few
     * queries during an upload (GoogLeNet at 160 Mbit/s: 1 to 4 queries of 1.3 s) the during-upload mean of each side
     * depends mostly on where its own upload ends; over one window the two measure the same queries' latencies.
     */
    static Double predictedMeanBefore(List<OffloadReport.PredictedQuery> predicted, double endMs) {
        if (predicted == null || predicted.isEmpty()) {
            return null;
        }
        double sum = 0;
        int n = 0;
        for (OffloadReport.PredictedQuery q : predicted) {
            if (q.startMs() >= endMs && n > 0) {
                return sum / n;
            }
            sum += q.latencyMs();
            n++;
        }
        OffloadReport.PredictedQuery last = predicted.get(predicted.size() - 1);
        if (!(last.latencyMs() > 0)) {
            return sum / n;
        }
        for (double t = last.startMs() + last.latencyMs(); t < endMs && n < 1_000_000; t += last.latencyMs()) {
            sum += last.latencyMs();
            n++;
        }
        return sum / n;
    }

    static Ranking rank(List<Row> group) {
        List<String> predictedOrder = group.stream().sorted(Comparator.comparingDouble(Row::predictedMs))
                .map(Row::strategy).toList();
        List<String> realOrder = group.stream().sorted(Comparator.comparingDouble(Row::realMs))
                .map(Row::strategy).toList();
        List<String> separated = new ArrayList<>();
        List<String> agreeing = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            for (int j = i + 1; j < group.size(); j++) {
                Row a = group.get(i);
                Row b = group.get(j);
                double lo = Math.min(a.predictedMs(), b.predictedMs());
                if (Math.abs(a.predictedMs() - b.predictedMs()) / lo <= RANKING_GAP) {
                    continue;
                }
                Row better = a.predictedMs() < b.predictedMs() ? a : b;
                Row worse = better == a ? b : a;
                String pair = better.strategy() + " < " + worse.strategy();
                separated.add(pair);
                if (better.realMs() < worse.realMs()) {
                    agreeing.add(pair);
                }
            }
        }
        Row ionn = group.stream().filter(r -> "ionn".equals(r.strategy())).findFirst().orElse(null);
        Map<String, Double> gainReal = new LinkedHashMap<>();
        Map<String, Double> gainPredicted = new LinkedHashMap<>();
        if (ionn != null) {
            for (Row r : group) {
                if (r != ionn) {
                    gainReal.put(r.strategy(), 1 - r.realMs() / ionn.realMs());
                    gainPredicted.put(r.strategy(), 1 - r.predictedMs() / ionn.predictedMs());
                }
            }
        }
        Row first = group.get(0);
        return new Ranking(first.model(), first.mbps(), first.device(), predictedOrder, realOrder, separated,
                agreeing, separated.size() == agreeing.size(), gainReal, gainPredicted);
    }

    /** The generated part of docs/results-real.md: the three tables, Markdown. */
    public static String markdown(Results results) {
        StringBuilder b = new StringBuilder();
        b.append("### Every case\n\n");
        b.append("| model | Mbps | strategy | device | runs | local (ms) | real mean during upload (ms) "
                + "| predicted (ms) | real / predicted | predicted over the real upload (ms) | real / that "
                + "| upload done real / predicted (s) | queries during upload | offloaded "
                + "| fallbacks | replans | mismatches | chunks resent |\n");
        b.append("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : results.rows()) {
            if (r.error() != null && r.realMs() == null) {
                b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | 1 | failed: %s |||||||||||||%n", r.model(),
                        num(r.mbps(), 0), r.strategy(), r.device(), r.error().replace('|', '/')));
                continue;
            }
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %s | %s | %s | %s%s | %s | %s | %s / %s "
                            + "| %s | %s | %s | %s | %s | %s |%n", r.model(), num(r.mbps(), 0), r.strategy(),
                    r.device(), r.runs(), num(r.localMs(), 1), num(r.realMs(), 1), num(r.predictedMs(), 1),
                    r.ratio() == null ? "-" : (r.withinTolerance() ? "" : "**") + num(r.ratio(), 3)
                            + (r.withinTolerance() ? "" : "**"), range(r.runRatios()),
                    num(r.predictedSameWindowMs(), 1),
                    r.ratioSameWindow() == null ? "-" : bold(r.ratioSameWindow()),
                    sec(r.uploadDoneMs()), sec(r.predictedUploadDoneMs()), r.queriesDuringUpload(),
                    r.offloadedQueries(), r.localFallbacks(), r.replans(), r.mismatches(), r.chunksResent()));
        }
        b.append("\n### Ranking of the strategies, real against predicted\n\n");
        b.append("| model | Mbps | device | predicted order | real order | pairs the simulator separates by > 5 % "
                + "| real order agrees |\n|---|---:|---|---|---|---|---|\n");
        for (Ranking k : results.rankings()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", k.model(), num(k.mbps(), 0),
                    k.device(), String.join(" < ", k.predictedOrder()), String.join(" < ", k.realOrder()),
                    k.separatedPairs().isEmpty() ? "none" : String.join(", ", k.separatedPairs()),
                    k.separatedPairs().isEmpty() ? "-" : k.matches() ? "yes"
                            : "**no** (" + k.agreeingPairs().size() + " of " + k.separatedPairs().size() + ")"));
        }
        b.append("\n### Gain over IONN (mean latency during the upload; positive: faster than IONN)\n\n");
        b.append("| model | Mbps | device | efficiency real | efficiency predicted | frontier real "
                + "| frontier predicted |\n|---|---:|---|---:|---:|---:|---:|\n");
        for (Ranking k : results.rankings()) {
            if (k.gainReal().isEmpty()) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", k.model(), num(k.mbps(), 0),
                    k.device(), pct(k.gainReal().get("efficiency")), pct(k.gainPredicted().get("efficiency")),
                    pct(k.gainReal().get("frontier")), pct(k.gainPredicted().get("frontier"))));
        }
        long runs = results.rows().size();
        long runsMade = results.rows().stream().mapToLong(Row::runs).sum();
        long within = results.rows().stream().filter(r -> Boolean.TRUE.equals(r.withinTolerance())).count();
        long withinSame = results.rows().stream()
                .filter(r -> Boolean.TRUE.equals(within(r.ratioSameWindow()))).count();
        long wrong = results.rows().stream().mapToLong(r -> r.mismatches() == null ? 0 : r.mismatches()).sum();
        long failed = results.rows().stream().filter(r -> r.realMs() == null).count();
        long rankingsOk = results.rankings().stream().filter(Ranking::matches).count();
        b.append(String.format(Locale.ROOT, "%nTotals: %d cases (%d runs), %d failed, %d wrong answers; %d of %d "
                        + "within %d %% of the prediction (%d over the real upload's window); the real ranking "
                        + "matches the simulator's in %d of %d groups.%n", runs, runsMade, failed, wrong, within,
                runs - failed, Math.round(PREDICTION_TOLERANCE * 100), withinSame, rankingsOk,
                results.rankings().size()));
        return b.toString();
    }

    /** Strategies by group for the plot: model → list of runs in the given order. */
    static Map<String, List<Run>> byModel(List<Run> runs) {
        return runs.stream().collect(Collectors.groupingBy(Run::model, LinkedHashMap::new, Collectors.toList()));
    }

    private static String num(Double v, int decimals) {
        return v == null ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Each run's ratio, lowest to highest, when a case ran more than once. */
    private static String range(List<Double> ratios) {
        if (ratios == null || ratios.size() < 2) {
            return "";
        }
        double lo = ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double hi = ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return " (" + num(lo, 2) + "–" + num(hi, 2) + ")";
    }

    private static String bold(double ratio) {
        boolean ok = within(ratio);
        return (ok ? "" : "**") + num(ratio, 3) + (ok ? "" : "**");
    }

    private static String sec(Double ms) {
        return ms == null ? "-" : String.format(Locale.ROOT, "%.2f", ms / 1000);
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%+.1f %%", v * 100);
    }
}
