package org.layerlift.model.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;

class ProfilesTest {

    @TempDir
    Path dir;

    private static ProfileDocument sample() {
        return new ProfileDocument("tiny", "node", Map.of("input", List.of(1L, 3L, 8L, 8L)), 0.5, List.of(
                new ProfiledUnit(new UnitCost("conv", 1.5, 0.25, 1728, 0.1, 768, 4096, List.of("conv", "w_id")), 221184),
                new ProfiledUnit(new UnitCost("relu", 0.125, 0.0625, 0, 0, 4096, 4096, List.of("relu")), 1024)));
    }

    @Test
    void writeThenReadGivesTheSameDocumentAndProfile() {
        Path file = dir.resolve("tiny.profile.json");
        ProfileJson.write(sample(), file);
        assertEquals(sample(), ProfileJson.read(file));
        CostProfile p = Profiles.read(file);
        assertEquals(sample().toCostProfile(), p);
        assertEquals(0.5, p.clientOnlyMs());
    }

    @Test
    void measurementSetsAreDetectedAndGrouped() throws IOException {
        for (String model : List.of("alexnet", "googlenet")) {
            Path file = dir.resolve(model + ".json");
            try (InputStream in = getClass().getResourceAsStream("/" + model + ".json")) {
                Files.copy(in, file);
            }
            CostProfile p = Profiles.read(file);
            assertEquals(model.equals("alexnet") ? 13 : 20, p.units().size());
        }
    }

    private void bad(Consumer<ObjectNode> edit, String... mentions) throws IOException {
        ObjectNode root = ProfileJson.tree(sample());
        edit.accept(root);
        Path file = dir.resolve("bad.json");
        Files.writeString(file, ProfileJson.MAPPER.writeValueAsString(root));
        ProfileException e = assertThrows(ProfileException.class, () -> Profiles.read(file));
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "'" + m + "' not in: " + e.getMessage());
        }
    }

    private static ObjectNode unit(ObjectNode root, int i) {
        return (ObjectNode) root.get("units").get(i);
    }

    @Test
    void badValuesNameTheUnitAndField() throws IOException {
        bad(r -> unit(r, 1).put("server_ms", -1.0), "'tiny'", "unit 'relu'", "'server_ms'", "-1.0");
        bad(r -> unit(r, 0).put("client_ms", "NaN"), "unit 'conv'", "'client_ms'");
        bad(r -> unit(r, 0).remove("weight_bytes"), "'conv'", "'weight_bytes' missing");
        bad(r -> unit(r, 1).put("flops", -5), "'relu'", "'flops' is negative");
        bad(r -> unit(r, 1).put("output_bytes", 1.5), "'relu'", "'output_bytes'");
        bad(r -> unit(r, 1).put("name", "conv"), "'conv'", "duplicate");
        bad(r -> unit(r, 1).remove("layers"), "'relu'", "'layers'");
        bad(r -> r.put("granularity", "layer"), "'granularity'", "layer");
        bad(r -> r.put("format_version", 2), "'format_version' 2");
        bad(r -> r.remove("model"), "bad.json", "'model'");
        bad(r -> r.put("client_only_ms", Double.POSITIVE_INFINITY), "'client_only_ms'");
        bad(r -> r.putArray("units"), "'units'");
        bad(r -> ((ObjectNode) r.get("input_shape")).putArray("input").add(0), "'input_shape'", "'input'");
        bad(r -> {
            r.remove("format");
            r.remove("units");
        }, "bad.json", "neither");
    }

    @Test
    void notJsonOrAbsentNamesTheFile() throws IOException {
        Path file = dir.resolve("garbage.json");
        Files.writeString(file, "{ not json");
        ProfileException e = assertThrows(ProfileException.class, () -> Profiles.read(file));
        assertTrue(e.getMessage().contains("garbage.json"), e.getMessage());
        e = assertThrows(ProfileException.class, () -> Profiles.read(dir.resolve("missing.json")));
        assertTrue(e.getMessage().contains("missing.json"), e.getMessage());
    }
}
