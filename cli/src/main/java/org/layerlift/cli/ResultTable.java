package org.layerlift.cli;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import org.layerlift.simulator.SimulationOptions;
import org.layerlift.simulator.SimulationResult;

/** The metrics of every case as an aligned text table, with a legend. */
final class ResultTable {

    private ResultTable() {
    }

    /** @param windowOf the strategies that set the common window, or null for all of them */
    static String render(List<SimulatedCase> cases, SimulationOptions options, List<String> windowOf) {
        TextTable table = new TextTable()
                .column("profile", false)
                .column("Mbps", true)
                .column("strategy", false)
                .column("parts", true)
                .column("upload done s", true)
                .column("during upload ms", true)
                .column("common window ms", true)
                .column("time-avg ms", true)
                .column("first ms", true)
                .column("worst/local", true)
                .column("local ms", true);
        for (SimulatedCase c : cases) {
            for (SimulationResult r : c.withBound()) {
                table.row(c.label(), mbps(c.bandwidthMbps()), r.strategy(), Integer.toString(r.partitions().size()),
                        fixed(r.uploadDoneMs() / 1000, 2), fixed(r.meanLatencyDuringUploadMs(), 1),
                        fixed(r.meanLatencyCommonWindowMs(), 1), fixed(r.timeAveragedLatencyMs(), 1),
                        fixed(r.firstQueryLatencyMs(), 1), fixed(r.worstQueryOverLocal(), 2),
                        fixed(r.localLatencyMs(), 1));
            }
        }
        String nl = System.lineSeparator();
        return table.render() + nl
                + "during upload: mean latency of the queries started before the strategy's own upload was done" + nl
                + "common window: mean latency of the queries started before the latest upload end of the case"
                + (windowOf == null ? "" : " among " + String.join(", ", windowOf)
                        + " (or the strategy's own upload end, if later)") + nl
                + "time-avg: latency over time averaged over that window; worst/local: highest latency / local-only"
                + nl + "bound: each query picks its own best plan given what could have arrived (not reachable by any "
                + "upload order); parts = plans on its frontier, upload done = when the fastest plan's bytes could be "
                + "there" + nl
                + "queries: " + (options.queryIntervalMs() == 0 ? "back to back"
                        : "every " + trim(options.queryIntervalMs()) + " ms (or when the previous one ends)")
                + "; server loading time " + (options.includeLoadTime() ? "included" : "ignored")
                + "; " + (options.shareLinkWithActivations() ? "one link shared by the upload and the activations"
                        : "the upload has a link of its own") + nl;
    }

    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A bandwidth as the user would write it: 10, 2.5. */
    static String mbps(double mbps) {
        return trim(mbps);
    }

    private static String trim(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
