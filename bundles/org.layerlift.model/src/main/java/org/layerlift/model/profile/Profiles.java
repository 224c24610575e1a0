package org.layerlift.model.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.layerlift.api.model.CostProfile;

/** One entry point for every profile file the planners and the simulator accept. */
public final class Profiles {

    private Profiles() {
    }

    /**
     * Reads a cost profile, detecting the format: LayerLift's profile JSON ({@code "format": "layerlift-profile"}),
     * or a shared measurement set ({@code model} + {@code layers}, grouped here with IONN's dominator rule).
     * Errors name the file and, for bad values, the unit or layer and the field.
     */
    public static CostProfile read(Path file) {
        String source = file.getFileName().toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw ProfileException.profile(file.toString(), null, "no such file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read profile " + file, e);
        }
        JsonNode root;
        try {
            root = ProfileJson.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ProfileException.profile(source, null, JsonErrors.notValidJson(e));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read profile " + file, e);
        }
        if (root != null && root.isObject() && root.has("format")) {
            return ProfileJson.fromTree(root, source).toCostProfile();
        }
        if (root != null && root.isObject() && root.has("layers")) {
            return DominatorGrouping.group(MeasurementSetReader.read(new ByteArrayInputStream(bytes), source));
        }
        throw ProfileException.profile(source, null, "neither a LayerLift profile (\"format\": \"" + ProfileDocument.FORMAT
                + "\") nor a measurement set (\"model\" and \"layers\")");
    }
}
