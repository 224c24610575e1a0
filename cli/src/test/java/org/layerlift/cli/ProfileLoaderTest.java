package org.layerlift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.model.profile.ProfileDocument;
import org.layerlift.model.profile.ProfileJson;
import org.layerlift.model.profile.ProfiledUnit;

/** Both profile formats load through {@link ProfileLoader}, and bad content is named down to the field. */
class ProfileLoaderTest {

    @TempDir
    Path dir;

    /** Three units; the server runs each ten times faster, so offloading pays at any sane bandwidth. */
    static ProfileDocument tiny() {
        return new ProfileDocument("tiny", "node", Map.of("input", List.of(1L, 3L, 32L, 32L)), 1.5, List.of(
                new ProfiledUnit(new UnitCost("conv", 40, 4, 200_000, 0.5, 12_288, 65_536, List.of("conv")), 3_000_000),
                new ProfiledUnit(new UnitCost("relu", 2, 0.2, 0, 0, 65_536, 65_536, List.of("relu")), 16_384),
                new ProfiledUnit(new UnitCost("fc", 60, 6, 2_000_000, 1.0, 65_536, 40, List.of("flatten", "fc")),
                        1_000_000)));
    }

    private Path writeTiny() {
        Path file = dir.resolve("tiny.json");
        ProfileJson.write(tiny(), file);
        return file;
    }

    @Test
    void readsOurProfileFormat() {
        CostProfile profile = ProfileLoader.load(writeTiny());
        assertEquals("tiny", profile.model());
        assertEquals(1.5, profile.clientOnlyMs());
        assertEquals(List.of("conv", "relu", "fc"), profile.units().stream().map(UnitCost::name).toList());
        assertEquals(List.of("flatten", "fc"), profile.units().get(2).layers());
        assertEquals(2_000_000, profile.units().get(2).weightBytes());
        assertEquals(6, profile.units().get(2).serverMs());
    }

    @Test
    void readsASharedMeasurementSetGroupedByDominators() {
        CostProfile alexnet = ProfileLoader.load(Path.of(Cli.ALEXNET));
        CostProfile googlenet = ProfileLoader.load(Path.of(Cli.GOOGLENET));
        assertEquals("alexnet", alexnet.model());
        // docs/profile-format.md: IONN's dominator rule gives AlexNet 13 units, GoogLeNet 20
        assertEquals(13, alexnet.units().size());
        assertEquals(20, googlenet.units().size());
        assertEquals("fc8", alexnet.units().get(12).layers().get(alexnet.units().get(12).layers().size() - 1));
    }

    @Test
    void simulatesOurFormatEndToEnd() throws IOException {
        Path out = dir.resolve("out.json");
        Cli.Result result = Cli.run("simulate", "-p", writeTiny().toString(), "-b", "20", "-s", "ionn,frontier",
                "--json", out.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().lines().anyMatch(l -> l.matches("tiny +20 +frontier .*")), result.out());
        JsonNode array = new ObjectMapper().readTree(out.toFile());
        assertEquals(2, array.size());
        JsonNode frontier = array.get(1);
        assertEquals("tiny", frontier.get("profile").asText());
        // local: 1.5 + 40 + 2 + 60 ms; the server's plan is faster once its weights are there
        assertTrue(frontier.get("mean_latency_during_upload_ms").asDouble() <= 103.5 + 1e-9, frontier.toString());
        assertTrue(frontier.get("partitions").size() > 0, frontier.toString());
    }

    @Test
    void badContentInOurFormatNamesTheUnitAndField() throws IOException {
        String good = ProfileJson.toJson(tiny());
        record Bad(String content, String expected) {
        }
        List<Bad> cases = List.of(
                new Bad(good.replaceFirst("\"server_ms\" : 0.2", "\"server_ms\" : -0.2"),
                        "profile 'tiny', unit 'relu': 'server_ms' must be a finite, non-negative time"),
                new Bad(good.replaceFirst("\"weight_bytes\" : 2000000", "\"weight_bytes\" : 2.5"),
                        "profile 'tiny', unit 'fc': 'weight_bytes' missing or not a whole number"),
                new Bad(good.replaceFirst("\"format_version\" : 1", "\"format_version\" : 2"),
                        "'format_version' 2 is not supported"),
                new Bad(good.replaceFirst("\"granularity\" : \"node\"", "\"granularity\" : \"layer\""),
                        "'granularity' must be one of"),
                new Bad("{\"format\": \"layerlift-profile\"}", "'format_version' missing"),
                new Bad("{\"name\": \"x\"}", "neither a LayerLift profile"));
        for (Bad bad : cases) {
            assertTrue(!bad.content().equals(good), "the test's replacement did not apply: " + bad.expected());
            Path file = dir.resolve("bad.json");
            Files.writeString(file, bad.content());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProfileLoader.load(file));
            assertTrue(e.getMessage().contains(bad.expected()), e.getMessage());
            Cli.Result result = Cli.run("simulate", "-p", file.toString(), "-b", "10");
            assertEquals(ExitCodes.INPUT, result.exitCode(), result.err());
            assertEquals("layerlift simulate: error: " + e.getMessage(), result.err().strip());
            assertTrue(result.noStackTrace(), result.err());
        }
    }

    @Test
    void missingOrUnreadableFilesAreCliErrors() {
        CliException missing = assertThrows(CliException.class, () -> ProfileLoader.load(dir.resolve("nope.json")));
        assertTrue(missing.getMessage().endsWith("nope.json: no such file"), missing.getMessage());
        CliException directory = assertThrows(CliException.class, () -> ProfileLoader.load(dir));
        assertTrue(directory.getMessage().endsWith("not a readable file"), directory.getMessage());
    }
}
