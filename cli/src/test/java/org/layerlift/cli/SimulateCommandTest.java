package org.layerlift.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;

class SimulateCommandTest {

    private static final Set<String> FIELDS = Set.of("profile", "bandwidth_mbps", "strategy",
            "mean_latency_during_upload_ms", "mean_latency_common_window_ms", "time_averaged_latency_ms",
            "first_query_latency_ms", "worst_query_over_local", "upload_done_ms", "partitions");
    private static final Set<String> PARTITION_FIELDS = Set.of("layers", "bytes", "ready_ms");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void tableHasARowPerProfileBandwidthAndStrategy() {
        Cli.Result result = Cli.run("simulate", "--profile", Cli.ALEXNET + "," + Cli.GOOGLENET, "--bandwidth",
                "10,80", "--strategy", "ionn,efficiency");
        assertEquals(0, result.exitCode(), result.err());
        List<String> rows = result.out().lines().filter(l -> l.startsWith("alexnet") || l.startsWith("googlenet"))
                .toList();
        assertEquals(12, rows.size(), result.out());
        for (String model : List.of("alexnet", "googlenet")) {
            for (String mbps : List.of("10", "80")) {
                for (String strategy : List.of("ionn", "efficiency", "bound")) {
                    assertTrue(rows.stream().anyMatch(r -> r.matches(model + " +" + mbps + " +" + strategy + " .*")),
                            model + " " + mbps + " " + strategy + " missing:\n" + result.out());
                }
            }
        }
    }

    @Test
    void allRunsEveryRegisteredStrategy() {
        List<String> registered = StrategyRegistry.load().names();
        assertTrue(registered.containsAll(List.of("ionn", "efficiency")), registered.toString());
        Cli.Result result = Cli.run("simulate", "-p", Cli.ALEXNET, "-b", "40", "--strategy", "all");
        assertEquals(0, result.exitCode(), result.err());
        for (String name : registered) {
            assertTrue(result.out().lines().anyMatch(l -> l.matches("alexnet +40 +" + name + " .*")),
                    name + " missing:\n" + result.out());
        }
    }

    @Test
    void tableColumnsAreAligned() {
        Cli.Result result = Cli.run("simulate", "-p", Cli.ALEXNET + "," + Cli.GOOGLENET, "-b", "10,160", "-s",
                "efficiency,ionn");
        assertEquals(0, result.exitCode(), result.err());
        List<String> table = result.out().lines().takeWhile(l -> !l.isBlank()).toList();
        assertEquals(1 + 4 * 3, table.size(), result.out());
        // every right-aligned column ends where its header ends
        String header = table.get(0);
        int end = header.indexOf("local ms") + "local ms".length();
        int firstEnd = header.indexOf("first ms") + "first ms".length();
        for (String row : table.subList(1, table.size())) {
            assertEquals(end, row.length(), row);
            assertTrue(Character.isDigit(row.charAt(firstEnd - 1)) && row.charAt(firstEnd) == ' ', row);
        }
    }

    @Test
    void jsonHasExactlyTheDocumentedFieldsAndTheReferenceValues() throws IOException {
        Path out = dir.resolve("out.json");
        Cli.Result result = Cli.run("simulate", "--profile", Cli.ALEXNET + "," + Cli.GOOGLENET, "--bandwidth",
                "10,2.5,160", "--strategy", "ionn,efficiency", "--json", out.toString());
        assertEquals(0, result.exitCode(), result.err());
        JsonNode array = MAPPER.readTree(out.toFile());
        assertTrue(array.isArray());
        assertEquals(2 * 3 * 2, array.size());
        List<String> bandwidths = new ArrayList<>();
        for (JsonNode element : array) {
            assertEquals(FIELDS, names(element), element.toString());
            assertTrue(element.get("bandwidth_mbps").isNumber());
            bandwidths.add(element.get("bandwidth_mbps").asText());
            JsonNode partitions = element.get("partitions");
            // at 2.5 Mbps no upload pays off for AlexNet: a plan may have no partition at all
            assertTrue(partitions.isArray(), element.toString());
            double previousReady = 0;
            for (JsonNode partition : partitions) {
                assertEquals(PARTITION_FIELDS, names(partition), partition.toString());
                assertTrue(partition.get("layers").isArray() && partition.get("layers").size() > 0);
                assertTrue(partition.get("bytes").isIntegralNumber());
                assertTrue(partition.get("ready_ms").asDouble() >= previousReady);
                previousReady = partition.get("ready_ms").asDouble();
            }
            assertEquals(previousReady, element.get("upload_done_ms").asDouble(), 1e-9);
        }
        assertEquals(List.of("10", "10", "2.5", "2.5", "160", "160"), bandwidths.subList(0, 6));
        assertEquals(List.of("10", "10", "2.5", "2.5", "160", "160"), bandwidths.subList(6, 12));
        // REFERENCE.md (shared/profiles): AlexNet at 10 Mbps, IONN 684.9 ms, efficiency 591.4 ms during the upload
        assertEquals("alexnet", array.get(0).get("profile").asText());
        assertEquals("ionn", array.get(0).get("strategy").asText());
        assertEquals(684.9, array.get(0).get("mean_latency_during_upload_ms").asDouble(), 0.05);
        assertEquals("efficiency", array.get(1).get("strategy").asText());
        assertEquals(591.4, array.get(1).get("mean_latency_during_upload_ms").asDouble(), 0.05);
        assertEquals(6721, array.get(1).get("first_query_latency_ms").asDouble(), 0.5);
        assertEquals(195.05, array.get(0).get("upload_done_ms").asDouble() / 1000, 0.005);
        // GoogLeNet at 160 Mbps: IONN 474.6 ms, efficiency 178.3 ms
        assertEquals(474.6, array.get(10).get("mean_latency_during_upload_ms").asDouble(), 0.1);
        assertEquals(178.3, array.get(11).get("mean_latency_during_upload_ms").asDouble(), 0.1);
    }

    @Test
    void partitionsListTheLayersAndBytesOfTheirUnits() throws IOException {
        Path out = dir.resolve("out.json");
        assertEquals(0, Cli.run("simulate", "-p", Cli.ALEXNET, "-b", "40", "-s", "efficiency", "--json",
                out.toString()).exitCode());
        CostProfile profile = ProfileLoader.load(Path.of(Cli.ALEXNET));
        JsonNode partitions = MAPPER.readTree(out.toFile()).get(0).get("partitions");
        // REFERENCE.md: conv2..pool2 [1.23 MB]; conv1..pool1 [0.14 MB]; conv3; conv4; conv5..pool5; fc6; fc7; fc8
        assertEquals(8, partitions.size());
        assertEquals("conv2", partitions.get(0).get("layers").get(0).asText());
        JsonNode last = partitions.get(7).get("layers");
        assertEquals("fc8", last.get(last.size() - 1).asText());
        Set<String> uploaded = new HashSet<>();
        long bytes = 0;
        for (JsonNode partition : partitions) {
            partition.get("layers").forEach(l -> assertTrue(uploaded.add(l.asText()), "uploaded twice: " + l));
            bytes += partition.get("bytes").asLong();
        }
        long weights = 0;
        Set<String> weighted = new HashSet<>();
        for (UnitCost unit : profile.units()) {
            weights += unit.weightBytes();
            if (unit.weightBytes() > 0) {
                weighted.addAll(unit.layers());
            }
        }
        assertEquals(weights, bytes, "every weight is uploaded exactly once");
        assertTrue(uploaded.containsAll(weighted), "layers with weights: " + weighted + ", uploaded: " + uploaded);
        assertEquals(1_229_824, partitions.get(0).get("bytes").asLong(), 10_000);
    }

    @Test
    void optionsChangeTheSimulation() throws IOException {
        Path base = dir.resolve("base.json");
        Path noLoad = dir.resolve("noload.json");
        Path spaced = dir.resolve("spaced.json");
        assertEquals(0, Cli.run("simulate", "-p", Cli.GOOGLENET, "-b", "80", "-s", "ionn", "--json", base.toString())
                .exitCode());
        assertEquals(0, Cli.run("simulate", "-p", Cli.GOOGLENET, "-b", "80", "-s", "ionn", "--no-load-time",
                "--json", noLoad.toString()).exitCode());
        Cli.Result result = Cli.run("simulate", "-p", Cli.GOOGLENET, "-b", "80", "-s", "ionn",
                "--query-interval-ms", "2000", "--json", spaced.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("every 2000 ms"), result.out());
        JsonNode b = MAPPER.readTree(base.toFile()).get(0);
        JsonNode n = MAPPER.readTree(noLoad.toFile()).get(0);
        JsonNode s = MAPPER.readTree(spaced.toFile()).get(0);
        assertTrue(n.get("upload_done_ms").asDouble() < b.get("upload_done_ms").asDouble());
        assertEquals(b.get("upload_done_ms").asDouble(), s.get("upload_done_ms").asDouble(), 1e-9);
        // one query every 2 s over a 2.8 s upload: the query at 0 and the one at 2 s
        assertEquals(b.get("first_query_latency_ms").asDouble(), s.get("first_query_latency_ms").asDouble(), 1e-9);
        assertFalse(b.get("mean_latency_during_upload_ms").equals(s.get("mean_latency_during_upload_ms")));
    }

    @Test
    void plotIsAPngWithOneChartPerProfileAndBandwidth() throws IOException {
        Path png = dir.resolve("latency.png");
        Cli.Result result = Cli.run("simulate", "-p", Cli.ALEXNET + "," + Cli.GOOGLENET, "-b", "10,40,160",
                "-s", "ionn,efficiency", "--plot", png.toString(), "--plot-size", "300x200");
        assertEquals(0, result.exitCode(), result.err());
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "not a readable image");
        assertEquals(3 * 300, image.getWidth());
        assertEquals(2 * 200, image.getHeight());
        assertTrue(colours(image) > 10, "the chart draws something");


        Path one = dir.resolve("one.png");
        assertEquals(0, Cli.run("simulate", "-p", Cli.ALEXNET, "-b", "20", "--plot", one.toString()).exitCode());
        BufferedImage single = ImageIO.read(one.toFile());
        assertEquals(640, single.getWidth());
        assertEquals(400, single.getHeight());
    }

    @Test
    void theBoundIsShownAfterEachCaseAndBeatsEveryStrategy() {
        Cli.Result result = Cli.run("simulate", "-p", Cli.ALEXNET + "," + Cli.GOOGLENET, "-b", "20,160", "-s",
                "all");
        assertEquals(0, result.exitCode(), result.err());
        List<String[]> rows = result.out().lines().filter(l -> l.startsWith("alexnet") || l.startsWith("googlenet"))
                .map(l -> l.trim().split(" {2,}")).toList();
        int strategies = StrategyRegistry.load().names().size();
        assertEquals(4 * (strategies + 1), rows.size(), result.out());
        for (int c = 0; c < 4; c++) {
            List<String[]> block = rows.subList(c * (strategies + 1), (c + 1) * (strategies + 1));
            String[] bound = block.get(strategies);
            assertEquals("bound", bound[2], String.join(" ", bound));
            for (String[] row : block.subList(0, strategies)) {
                assertEquals(row[0] + row[1], bound[0] + bound[1], "the bound closes its own case");
                // columns: profile, Mbps, strategy, parts, upload done, during upload, common window, time-avg, ...
                for (int column : new int[] {6, 7}) {
                    assertTrue(Double.parseDouble(bound[column]) <= Double.parseDouble(row[column]) + 0.05,
                            "bound above " + row[2] + " in column " + column + ":\n" + result.out());
                }
            }
        }
        assertTrue(result.out().contains("bound: each query picks its own best plan"), result.out());
    }

    @Test
    void jsonHasTheBoundOnlyWithTheBoundFlag() throws IOException {
        Path plain = dir.resolve("plain.json");
        Path bounded = dir.resolve("bounded.json");
        assertEquals(0, Cli.run("simulate", "-p", Cli.ALEXNET + "," + Cli.GOOGLENET, "-b", "10,40", "-s",
                "ionn,frontier", "--json", plain.toString()).exitCode());
        Cli.Result result = Cli.run("simulate", "-p", Cli.ALEXNET + "," + Cli.GOOGLENET, "-b", "10,40", "-s",
                "ionn,frontier", "--json", bounded.toString(), "--bound");
        assertEquals(0, result.exitCode(), result.err());
        JsonNode without = MAPPER.readTree(plain.toFile());
        JsonNode with = MAPPER.readTree(bounded.toFile());
        assertEquals(4 * 2, without.size());
        assertEquals(4 * 3, with.size());
        without.forEach(e -> assertFalse(e.get("strategy").asText().equals("bound"), e.toString()));
        for (int c = 0; c < 4; c++) {
            JsonNode ionn = with.get(3 * c);
            JsonNode frontier = with.get(3 * c + 1);
            JsonNode bound = with.get(3 * c + 2);
            assertEquals(List.of("ionn", "frontier", "bound"), List.of(ionn.get("strategy").asText(),
                    frontier.get("strategy").asText(), bound.get("strategy").asText()));
            assertEquals(without.get(2 * c), ionn, "the strategies' objects do not change");
            assertEquals(without.get(2 * c + 1), frontier);
            assertEquals(FIELDS, names(bound), bound.toString());
            assertEquals(ionn.get("profile"), bound.get("profile"));
            assertEquals(ionn.get("bandwidth_mbps"), bound.get("bandwidth_mbps"));
            assertTrue(bound.get("partitions").isArray() && bound.get("partitions").isEmpty(), bound.toString());
            assertTrue(bound.get("time_averaged_latency_ms").asDouble()
                    <= frontier.get("time_averaged_latency_ms").asDouble(), bound.toString());
        }
        // AlexNet at 10 Mbps (docs/results.md): the bound's common-window mean is 549.9 ms
        assertEquals(549.9, with.get(2).get("mean_latency_common_window_ms").asDouble(), 0.05);

        Cli.Result noJson = Cli.run("simulate", "-p", Cli.ALEXNET, "-b", "10", "--bound");
        assertEquals(ExitCodes.USAGE, noJson.exitCode());
        assertTrue(noJson.err().contains("--bound adds the bound to the JSON output: give --json too"), noJson.err());
        assertTrue(noJson.noStackTrace(), noJson.err());
        assertEquals("", noJson.out());
    }

    @Test
    void windowOfKeepsTheOthersNumbersWhenABaselineJoins() throws IOException {
        Path three = dir.resolve("three.json");
        Path more = dir.resolve("more.json");
        Path widened = dir.resolve("widened.json");
        assertEquals(0, Cli.run("simulate", "-p", Cli.GOOGLENET, "-b", "160", "-s", "ionn,efficiency,frontier",
                "--bound", "--json", three.toString()).exitCode());
        Cli.Result result = Cli.run("simulate", "-p", Cli.GOOGLENET, "-b", "160", "-s",
                "ionn,efficiency,frontier,all-at-once", "--window-of", "ionn,efficiency,frontier", "--bound",
                "--json", more.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("among ionn, efficiency, frontier"), result.out());
        assertEquals(0, Cli.run("simulate", "-p", Cli.GOOGLENET, "-b", "160", "-s",
                "ionn,efficiency,frontier,all-at-once", "--bound", "--json", widened.toString()).exitCode());
        JsonNode a = MAPPER.readTree(three.toFile());
        JsonNode b = MAPPER.readTree(more.toFile());
        JsonNode w = MAPPER.readTree(widened.toFile());
        assertEquals(4, a.size());
        assertEquals(5, b.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(a.get(i), b.get(i), "unchanged by all-at-once: " + a.get(i).get("strategy"));
        }
        assertEquals(a.get(3), b.get(4), "the bound too");
        // docs/results.md: GoogLeNet at 160 Mbps, IONN's common-window mean over the three strategies' window
        assertEquals(474.5, b.get(0).get("mean_latency_common_window_ms").asDouble(), 0.05);
        // all-at-once uploads every unit (1.46 s against 1.40 s): without --window-of it widens everyone's window
        assertEquals(1460, b.get(3).get("upload_done_ms").asDouble(), 5);
        assertTrue(w.get(0).get("mean_latency_common_window_ms").asDouble() < 400, w.get(0).toString());

        Cli.Result unknown = Cli.run("simulate", "-p", Cli.GOOGLENET, "-b", "160", "-s", "ionn,frontier",
                "--window-of", "ionn,efficiency");
        assertEquals(ExitCodes.USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("--window-of: 'efficiency' is not among the selected strategies [ionn, "
                + "frontier]"), unknown.err());
        assertTrue(unknown.noStackTrace(), unknown.err());
    }

    @Test
    void sharedLinkSlowsTheUploadDown() throws IOException {
        Path separate = dir.resolve("separate.json");
        Path shared = dir.resolve("shared.json");
        assertEquals(0, Cli.run("simulate", "-p", Cli.GOOGLENET, "-b", "20", "-s", "ionn,frontier", "--json",
                separate.toString()).exitCode());
        Cli.Result result = Cli.run("simulate", "-p", Cli.GOOGLENET, "-b", "20", "-s", "ionn,frontier",
                "--shared-link", "--json", shared.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("one link shared by the upload and the activations"), result.out());
        JsonNode a = MAPPER.readTree(separate.toFile());
        JsonNode b = MAPPER.readTree(shared.toFile());
        for (int i = 0; i < 2; i++) {
            String strategy = a.get(i).get("strategy").asText();
            // activations go first: the upload pauses for them and ends later
            assertTrue(b.get(i).get("upload_done_ms").asDouble() > a.get(i).get("upload_done_ms").asDouble(),
                    strategy + ": " + b.get(i) + " vs " + a.get(i));
            // route by ETA never loses to local, link shared or not
            assertTrue(b.get(i).get("worst_query_over_local").asDouble() <= 1 + 1e-9 || strategy.equals("ionn"));
        }
        Cli.Result plain = Cli.run("simulate", "-p", Cli.GOOGLENET, "-b", "20", "-s", "ionn");
        assertTrue(plain.out().contains("the upload has a link of its own"), plain.out());
    }

    @Test
    void unknownStrategyListsTheKnownOnes() {
        Cli.Result result = Cli.run("simulate", "-p", Cli.ALEXNET, "-b", "10", "-s", "ionn,nope");
        assertEquals(ExitCodes.USAGE, result.exitCode());
        assertTrue(result.err().contains("unknown strategy 'nope'"), result.err());
        assertTrue(result.err().contains("efficiency") && result.err().contains("ionn"), result.err());
        assertTrue(result.isShortUsageError("simulate"), result.err());
        assertTrue(result.noStackTrace(), result.err());
        assertEquals("", result.out());
    }

    @Test
    void badBandwidthsAreRefused() {
        for (String bad : List.of("0", "-5", "abc", "NaN", "Infinity", "10,,20", "10,0", "")) {
            Cli.Result result = Cli.run("simulate", "-p", Cli.ALEXNET, "--bandwidth=" + bad);
            assertEquals(ExitCodes.USAGE, result.exitCode(), bad + ": " + result.err());
            assertTrue(result.err().contains("--bandwidth"), bad + ": " + result.err());
            assertTrue(result.noStackTrace(), result.err());
        }
        Cli.Result separate = Cli.run("simulate", "-p", Cli.ALEXNET, "--bandwidth", "-5");
        assertEquals(ExitCodes.USAGE, separate.exitCode(), separate.err());
        assertTrue(separate.noStackTrace(), separate.err());
        Cli.Result twice = Cli.run("simulate", "-p", Cli.ALEXNET, "-b", "10,20,10");
        assertEquals(ExitCodes.USAGE, twice.exitCode());
        assertTrue(twice.err().contains("Bandwidth given twice"), twice.err());
    }

    @Test
    void badNumbersForOtherOptionsAreRefused() {
        for (String[] args : List.of(new String[] {"--query-interval-ms", "-1"},
                new String[] {"--query-interval-ms", "soon"}, new String[] {"--plot-size", "10x10"},
                new String[] {"--plot-size", "wide"})) {
            List<String> line = new ArrayList<>(List.of("simulate", "-p", Cli.ALEXNET, "-b", "10"));
            line.add(args[0] + "=" + args[1]);
            Cli.Result result = Cli.run(line.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, result.exitCode(), String.join(" ", args));
            assertTrue(result.err().contains(args[0]), result.err());
            assertTrue(result.noStackTrace(), result.err());
        }
    }

    @Test
    void missingProfileFileIsNamed() {
        Path missing = dir.resolve("missing.json");
        Cli.Result result = Cli.run("simulate", "-p", missing.toString(), "-b", "10");
        assertEquals(ExitCodes.USAGE, result.exitCode());
        assertTrue(result.err().contains(missing + ": no such file"), result.err());
        assertTrue(result.noStackTrace(), result.err());
        Cli.Result directory = Cli.run("simulate", "-p", dir.toString(), "-b", "10");
        assertEquals(ExitCodes.USAGE, directory.exitCode());
        assertTrue(directory.err().contains("not a regular file"), directory.err());
    }

    @Test
    void malformedProfilesAreNamedWithTheCause() throws IOException {
        String alexnet = Files.readString(Path.of(Cli.ALEXNET));
        record Bad(String content, String expected) {
        }
        List<Bad> cases = List.of(new Bad("{not json", "not valid JSON"),
                new Bad("[1, 2]", "neither a LayerLift profile (\"format\": \"layerlift-profile\") nor a measurement set"),
                new Bad("{\"model\": \"m\"}", "neither a LayerLift profile"),
                new Bad("{\"model\": \"m\", \"layers\": 3}", "no 'layers' array"),
                new Bad(alexnet.replaceFirst("\"client_ms\": 70.6632", "\"client_ms\": -70.6632"),
                        "layer 'conv1': 'client_ms' must be a finite, non-negative time"),
                new Bad(alexnet.replaceFirst("\"weight_bytes\": 139776", "\"weight_bytes\": \"many\""),
                        "layer 'conv1': 'weight_bytes' missing or not a whole number"));
        for (Bad bad : cases) {
            Path file = dir.resolve("bad.json");
            Files.writeString(file, bad.content());
            Cli.Result result = Cli.run("simulate", "-p", file.toString(), "-b", "10");
            assertEquals(ExitCodes.INPUT, result.exitCode(), bad.expected() + ": " + result.err());
            assertTrue(result.err().startsWith("layerlift simulate: error: "), result.err());
            assertTrue(result.err().contains(bad.expected()), result.err());
            assertTrue(result.noStackTrace(), result.err());
            assertEquals("", result.out(), "no table for a failed run");
        }
    }

    @Test
    void outputsInMissingDirectoriesAreRefusedBeforeSimulating() {
        Path nowhere = dir.resolve("no/such/dir/out.json");
        Cli.Result result = Cli.run("simulate", "-p", Cli.ALEXNET, "-b", "10", "--json", nowhere.toString());
        assertEquals(ExitCodes.USAGE, result.exitCode());
        assertTrue(result.err().contains("--json " + nowhere + ": no such directory"), result.err());
        assertEquals("", result.out());
        Cli.Result same = Cli.run("simulate", "-p", Cli.ALEXNET, "-b", "10", "--json", "x.out", "--plot", "x.out");
        assertEquals(ExitCodes.USAGE, same.exitCode());
    }

    @Test
    void helpVersionAndMissingCommand() {
        Cli.Result help = Cli.run("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("simulate"), help.out());
        Cli.Result subHelp = Cli.run("simulate", "--help");
        assertEquals(0, subHelp.exitCode());
        // the help lists what the registry finds (more strategies join as their jars are added)
        String unwrapped = subHelp.out().replaceAll("\\s+", " ");
        assertTrue(unwrapped.contains("Registered: " + String.join(", ", StrategyRegistry.load().names()) + "."),
                subHelp.out());
        assertTrue(subHelp.out().contains("efficiency") && subHelp.out().contains("ionn"), subHelp.out());
        Cli.Result version = Cli.run("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().matches("(?s)layerlift \\d+\\.\\d+\\.\\d+.*"), version.out());
        Cli.Result none = Cli.run();
        assertEquals(ExitCodes.USAGE, none.exitCode());
        assertTrue(none.err().contains("Missing command"), none.err());
        Cli.Result required = Cli.run("simulate", "-b", "10");
        assertEquals(ExitCodes.USAGE, required.exitCode());
        assertTrue(required.err().contains("--profile"), required.err());
        assertTrue(required.noStackTrace());
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    private static int colours(BufferedImage image) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }
}
