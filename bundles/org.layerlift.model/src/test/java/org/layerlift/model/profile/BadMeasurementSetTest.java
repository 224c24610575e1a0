package org.layerlift.model.profile;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BadMeasurementSetTest {

    private static String layer(String name, String inputs, String clientMs) {
        return "{\"name\":\"" + name + "\",\"type\":\"X\",\"inputs\":[" + inputs + "],\"weight_bytes\":4,"
                + "\"output_bytes\":8,\"client_ms\":" + clientMs + ",\"server_ms\":1,\"server_load_ms\":0.1}";
    }

    private static ProfileException fails(String... layers) {
        String json = "{\"model\":\"tiny\",\"layers\":[" + String.join(",", layers) + "]}";
        return assertThrows(ProfileException.class, () -> DominatorGrouping.group(MeasurementSetReader.read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "tiny.json")));
    }

    private static void assertNames(ProfileException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should mention " + part);
        }
    }

    @Test
    void aValidChainGroups() {
        String json = "{\"model\":\"tiny\",\"layers\":[" + layer("in", "", "0") + "," + layer("a", "\"in\"", "1")
                + "," + layer("b", "\"a\"", "2") + "," + layer("out", "\"b\"", "0") + "]}";
        var profile = DominatorGrouping.group(MeasurementSetReader.read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "tiny.json"));
        assertTrue(profile.units().size() == 2);
    }

    @Test
    void negativeCostNamesModelAndLayer() {
        assertNames(fails(layer("in", "", "0"), layer("a", "\"in\"", "-1"), layer("out", "\"a\"", "0")),
                "tiny", "'a'", "client_ms");
    }

    @Test
    void nanCostIsRejected() {
        assertNames(fails(layer("in", "", "0"), layer("a", "\"in\"", "\"NaN\""), layer("out", "\"a\"", "0")),
                "tiny", "'a'", "client_ms");
    }

    @Test
    void unknownParentIsNamed() {
        assertNames(fails(layer("in", "", "0"), layer("a", "\"ghost\"", "1"), layer("out", "\"a\"", "0")),
                "'a'", "ghost");
    }

    @Test
    void cycleIsReported() {
        assertNames(fails(layer("in", "", "0"), layer("a", "\"in\",\"b\"", "1"), layer("b", "\"a\"", "1"),
                layer("out", "\"b\"", "0")), "cycle", "'a'", "b");
    }

    @Test
    void noLayersIsRejected() {
        assertNames(fails(), "tiny", "at least");
    }

    @Test
    void noUnitBetweenInputAndOutput() {
        assertNames(fails(layer("in", "", "0"), layer("out", "\"in\"", "0")), "no partition units");
    }

    @Test
    void unreachableLayerIsReported() {
        assertNames(fails(layer("in", "", "0"), layer("a", "", "1"), layer("out", "\"a\"", "0")), "'a'",
                "not reachable");
    }

    @Test
    void malformedJsonIsReported() {
        ProfileException e = assertThrows(ProfileException.class, () -> MeasurementSetReader.read(
                new ByteArrayInputStream("{\"layers\": [".getBytes(StandardCharsets.UTF_8)), "broken.json"));
        assertNames(e, "broken.json", "JSON");
    }
}
