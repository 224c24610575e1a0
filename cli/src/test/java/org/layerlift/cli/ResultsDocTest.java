package org.layerlift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/results.md shows what the CLI computes: its table, cell for cell, and the geometric-mean ratios. */
class ResultsDocTest {

    private static final Path DOC = Cli.ROOT.resolve("docs/results.md");

    @TempDir
    Path dir;

    @Test
    void theTableAndTheRatiosMatchTheCommandInTheDoc() throws IOException {
        Path json = dir.resolve("results.json");
        // the command of docs/results.md, without the plot
        Cli.Result result = Cli.run("simulate", "--profile", Cli.ALEXNET + "," + Cli.GOOGLENET, "--bandwidth",
                "10,20,40,80,160", "--strategy", "ionn,efficiency,frontier,local,all-at-once,one-shot",
                "--window-of", "ionn,efficiency,frontier", "--bound", "--json", json.toString());
        assertEquals(0, result.exitCode(), result.err());
        List<String> cli = new ArrayList<>();
        for (String line : result.out().lines().skip(1).takeWhile(l -> !l.isBlank()).toList()) {
            // profile, Mbps, strategy, parts, upload done, during, common, time-avg, first, worst/local, local
            String[] c = line.trim().split(" {2,}");
            cli.add(String.join(" | ", c[0], c[1], c[2], c[5], c[6], c[7], c[8], c[9], c[4], c[3]));
        }
        List<String> doc = new ArrayList<>();
        String ratioRow = null;
        for (String line : Files.readAllLines(DOC)) {
            String[] cells = line.split("\\|", -1);
            if (line.startsWith("| alexnet |") || line.startsWith("| googlenet |")) {
                if (cells.length == 12) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= 10; i++) {
                        row.add(cells[i].strip().replace("**", ""));
                    }
                    doc.add(String.join(" | ", row));
                }
            } else if (line.startsWith("| **geometric mean** |")) {
                ratioRow = line;
            }
        }
        assertEquals(String.join("\n", cli), String.join("\n", doc), "docs/results.md's table is stale");

        // geometric means over the cases of (strategy / efficiency) on the common-window mean and time-averaged
        JsonNode array = new ObjectMapper().readTree(json.toFile());
        Map<String, Map<String, JsonNode>> byCase = new LinkedHashMap<>();
        for (JsonNode e : array) {
            byCase.computeIfAbsent(e.get("profile").asText() + " " + e.get("bandwidth_mbps").asText(),
                    k -> new LinkedHashMap<>()).put(e.get("strategy").asText(), e);
        }
        StringBuilder expected = new StringBuilder("| **geometric mean** | |");
        for (String[] pair : new String[][] {{"ionn", "efficiency"}, {"frontier", "efficiency"},
            {"bound", "efficiency"}, {"frontier", "bound"}}) {
            double mean = 0;
            double area = 0;
            for (Map<String, JsonNode> c : byCase.values()) {
                mean += Math.log(c.get(pair[0]).get("mean_latency_common_window_ms").asDouble()
                        / c.get(pair[1]).get("mean_latency_common_window_ms").asDouble());
                area += Math.log(c.get(pair[0]).get("time_averaged_latency_ms").asDouble()
                        / c.get(pair[1]).get("time_averaged_latency_ms").asDouble());
            }
            expected.append(String.format(Locale.ROOT, " %.3f / %.3f |", Math.exp(mean / byCase.size()),
                    Math.exp(area / byCase.size())));
        }
        assertEquals(expected.toString(), ratioRow, "docs/results.md's geometric means are stale");
    }
}
