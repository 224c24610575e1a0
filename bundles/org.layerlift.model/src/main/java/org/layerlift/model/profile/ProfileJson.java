package org.layerlift.model.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.layerlift.api.model.UnitCost;

/**
 * Reads and writes LayerLift's profile JSON ({@code docs/profile-format.md}). The reader checks every field and
 * names the field and unit of the first bad one.
 */
public final class ProfileJson {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ProfileJson() {
    }

    public static String toJson(ProfileDocument doc) {
        try {
            return MAPPER.writeValueAsString(tree(doc)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write profile of " + doc.model(), e);
        }
    }

    public static void write(ProfileDocument doc, Path file) {
        try {
            Files.writeString(file, toJson(doc));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write profile " + file, e);
        }
    }

    static ObjectNode tree(ProfileDocument doc) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", ProfileDocument.FORMAT);
        root.put("format_version", doc.formatVersion());
        root.put("model", doc.model());
        root.put("granularity", doc.granularity());
        ObjectNode shapes = root.putObject("input_shape");
        doc.inputShape().forEach((k, v) -> {
            ArrayNode dims = shapes.putArray(k);
            v.forEach(dims::add);
        });
        root.put("client_only_ms", doc.clientOnlyMs());
        ArrayNode units = root.putArray("units");
        for (ProfiledUnit pu : doc.units()) {
            UnitCost u = pu.cost();
            ObjectNode n = units.addObject();
            n.put("name", u.name());
            ArrayNode layers = n.putArray("layers");
            u.layers().forEach(layers::add);
            n.put("client_ms", u.clientMs());
            n.put("server_ms", u.serverMs());
            n.put("load_ms", u.loadMs());
            n.put("weight_bytes", u.weightBytes());
            n.put("input_bytes", u.inputBytes());
            n.put("output_bytes", u.outputBytes());
            n.put("flops", pu.flops());
        }
        return root;
    }

    public static ProfileDocument read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read profile " + file, e);
        }
    }

    /** @param source names the input in error messages */
    public static ProfileDocument read(InputStream in, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw ProfileException.profile(source, null, JsonErrors.notValidJson(e));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read profile " + source, e);
        }
        return fromTree(root, source);
    }

    static ProfileDocument fromTree(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw ProfileException.profile(source, null, "expected a JSON object");
        }
        if (!ProfileDocument.FORMAT.equals(root.path("format").asText(null))) {
            throw ProfileException.profile(source, null, "'format' must be \"" + ProfileDocument.FORMAT + "\", found "
                    + root.get("format"));
        }
        JsonNode version = root.get("format_version");
        if (version == null || !version.isIntegralNumber()) {
            throw ProfileException.profile(source, null, "'format_version' missing or not a whole number: " + version);
        }
        if (version.asInt() != ProfileDocument.FORMAT_VERSION) {
            throw ProfileException.profile(source, null, "'format_version' " + version.asInt() + " is not supported (this reader"
                    + " reads version " + ProfileDocument.FORMAT_VERSION + ")");
        }
        String model = text(root, "model", source, null);
        String granularity = text(root, "granularity", model, null);
        if (!ProfileDocument.GRANULARITIES.contains(granularity)) {
            throw ProfileException.profile(model, null, "'granularity' must be one of " + ProfileDocument.GRANULARITIES
                    + ", found \"" + granularity + "\"");
        }
        Map<String, List<Long>> inputShape = new LinkedHashMap<>();
        JsonNode shapes = root.get("input_shape");
        if (shapes == null || !shapes.isObject()) {
            throw ProfileException.profile(model, null, "'input_shape' missing or not an object of input name -> dims");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = shapes.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw ProfileException.profile(model, null, "'input_shape' of '" + e.getKey() + "' must be an array of dims");
            }
            List<Long> dims = new ArrayList<>();
            for (JsonNode d : e.getValue()) {
                if (!d.isIntegralNumber() || d.asLong() <= 0) {
                    throw ProfileException.profile(model, null, "'input_shape' of '" + e.getKey()
                            + "' must hold positive whole numbers, found " + d);
                }
                dims.add(d.asLong());
            }
            inputShape.put(e.getKey(), dims);
        }
        double clientOnly = millis(model, null, root, "client_only_ms");
        JsonNode unitsNode = root.get("units");
        if (unitsNode == null || !unitsNode.isArray() || unitsNode.isEmpty()) {
            throw ProfileException.profile(model, null, "'units' missing, not an array, or empty");
        }
        List<ProfiledUnit> units = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        for (JsonNode n : unitsNode) {
            if (!n.isObject()) {
                throw ProfileException.profile(model, null, "unit #" + index + " is not an object");
            }
            String name = n.path("name").isTextual() && !n.get("name").asText().isBlank() ? n.get("name").asText()
                    : null;
            if (name == null) {
                throw ProfileException.profile(model, null, "unit #" + index + " has no 'name'");
            }
            if (!names.add(name)) {
                throw ProfileException.profile(model, name, "duplicate unit name");
            }
            JsonNode layersNode = n.get("layers");
            if (layersNode == null || !layersNode.isArray()) {
                throw ProfileException.profile(model, name, "'layers' missing or not an array of names");
            }
            List<String> layers = new ArrayList<>();
            for (JsonNode l : layersNode) {
                if (!l.isTextual()) {
                    throw ProfileException.profile(model, name, "'layers' must hold names, found " + l);
                }
                layers.add(l.asText());
            }
            UnitCost cost = new UnitCost(name, millis(model, name, n, "client_ms"), millis(model, name, n, "server_ms"),
                    bytes(model, name, n, "weight_bytes"), millis(model, name, n, "load_ms"),
                    bytes(model, name, n, "input_bytes"), bytes(model, name, n, "output_bytes"), layers);
            units.add(new ProfiledUnit(cost, bytes(model, name, n, "flops")));
            index++;
        }
        return new ProfileDocument(model, granularity, inputShape, clientOnly, units);
    }

    private static String text(JsonNode node, String field, String source, String fallback) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            if (fallback != null) {
                return fallback;
            }
            throw ProfileException.profile(source, null, "'" + field + "' missing or not a non-empty string");
        }
        return v.asText();
    }

    private static long bytes(String model, String unit, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw error(model, unit, "'" + field + "' missing or not a whole number: " + value);
        }
        long v = value.asLong();
        if (v < 0) {
            throw error(model, unit, "'" + field + "' is negative: " + v);
        }
        return v;
    }

    private static double millis(String model, String unit, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw error(model, unit, "'" + field + "' missing or not a number: " + value);
        }
        double ms = value.asDouble();
        if (!Double.isFinite(ms) || ms < 0) {
            throw error(model, unit, "'" + field + "' must be a finite, non-negative time: " + ms);
        }
        return ms;
    }

    private static ProfileException error(String model, String unit, String message) {
        return unit == null ? ProfileException.profile(model, null, message) : ProfileException.profile(model, unit, message);
    }
}
