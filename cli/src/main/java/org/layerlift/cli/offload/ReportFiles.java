package org.layerlift.cli.offload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;
import org.layerlift.cli.CliException;

/** Writes an {@link OffloadReport}: the whole of it as JSON, its queries as CSV. */
public final class ReportFiles {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The CSV's header. */
    public static final String CSV_HEADER = "index,start_ms,latency_ms,partition,plan_version,offloaded,fallback,"
            + "correct,max_abs_diff,segments";

    private ReportFiles() {
    }

    public static void writeJson(Path file, OffloadReport report) {
        try {
            JSON.writeValue(file.toFile(), report);
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static String json(OffloadReport report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One row per query; segments as {@code 0-3:client 4-9:gateway}; correct and max_abs_diff empty without --verify. */
    public static void writeCsv(Path file, OffloadReport report) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(CSV_HEADER);
            w.write('\n');
            for (OffloadReport.QueryRow q : report.queries()) {
                String segments = q.segments().stream().map(s -> s.first() + "-" + s.last() + ":" + s.where())
                        .collect(Collectors.joining(" "));
                w.write(q.index() + "," + num(q.startMs()) + "," + num(q.latencyMs()) + "," + q.partition() + ","
                        + q.planVersion() + "," + q.offloaded() + "," + q.fallback() + ","
                        + (q.correct() == null ? "" : q.correct()) + ","
                        + (q.maxAbsDiff() == null ? "" : String.format(Locale.ROOT, "%.3g", q.maxAbsDiff())) + ","
                        + segments + "\n");
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
