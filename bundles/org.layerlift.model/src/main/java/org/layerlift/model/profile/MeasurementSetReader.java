package org.layerlift.model.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the shared measurement-set JSON ({@code shared/profiles/*.json}): a {@code model} name and a {@code layers}
 * array in execution order. Provenance fields are ignored; every cost is checked so a bad file fails here, by name,
 * rather than as a silently wrong plan later.
 */
public final class MeasurementSetReader {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MeasurementSetReader() {
    }

    public static MeasurementSet read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read measurement set " + file, e);
        }
    }

    /** @param source names the input in error messages when the JSON has no model name */
    public static MeasurementSet read(InputStream in, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new ProfileException(source, JsonErrors.notValidJson(e));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read measurement set " + source, e);
        }
        if (root == null || !root.isObject()) {
            throw new ProfileException(source, "expected a JSON object with 'model' and 'layers'");
        }
        String model = root.path("model").isTextual() ? root.get("model").asText() : source;
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray()) {
            throw new ProfileException(model, "no 'layers' array");
        }
        if (layersNode.size() < 2) {
            throw new ProfileException(model, "needs at least an input and an output layer, found "
                    + layersNode.size() + " layer(s)");
        }
        List<MeasuredLayer> layers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode node : layersNode) {
            MeasuredLayer layer = readLayer(model, layers.size(), node);
            if (!names.add(layer.name())) {
                throw new ProfileException(model, layer.name(), "duplicate layer name");
            }
            layers.add(layer);
        }
        return new MeasurementSet(model, layers);
    }

    private static MeasuredLayer readLayer(String model, int index, JsonNode node) {
        if (!node.isObject() || !node.path("name").isTextual() || node.get("name").asText().isEmpty()) {
            throw new ProfileException(model, "layer #" + index + " has no name");
        }
        String name = node.get("name").asText();
        String type = node.path("type").asText("");
        List<String> bottoms = node.has("bottoms") ? strings(model, name, node, "bottoms") : null;
        List<String> tops = node.has("tops") ? strings(model, name, node, "tops") : List.of();
        List<String> inputs = node.has("inputs") ? strings(model, name, node, "inputs") : List.of();
        return new MeasuredLayer(index, name, type, bottoms, tops, inputs,
                bytes(model, name, node, "weight_bytes"), bytes(model, name, node, "output_bytes"),
                millis(model, name, node, "client_ms"), millis(model, name, node, "server_ms"),
                millis(model, name, node, "server_load_ms"));
    }

    private static List<String> strings(String model, String layer, JsonNode node, String field) {
        JsonNode array = node.get(field);
        if (!array.isArray()) {
            throw new ProfileException(model, layer, "'" + field + "' must be an array of names");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            if (!value.isTextual()) {
                throw new ProfileException(model, layer, "'" + field + "' must hold names, found " + value);
            }
            values.add(value.asText());
        }
        return values;
    }

    private static long bytes(String model, String layer, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new ProfileException(model, layer, "'" + field + "' missing or not a whole number of bytes");
        }
        long bytes = value.asLong();
        if (bytes < 0) {
            throw new ProfileException(model, layer, "'" + field + "' is negative: " + bytes);
        }
        return bytes;
    }

    private static double millis(String model, String layer, JsonNode node, String field) {
        JsonNode value = node.get(field);
        // NaN and Infinity arrive as strings unless the parser allows them; either way they are not a cost
        if (value == null || !value.isNumber()) {
            throw new ProfileException(model, layer, "'" + field + "' missing or not a number: " + value);
        }
        double ms = value.asDouble();
        if (!Double.isFinite(ms) || ms < 0) {
            throw new ProfileException(model, layer, "'" + field + "' must be a finite, non-negative time: " + ms);
        }
        return ms;
    }
}
