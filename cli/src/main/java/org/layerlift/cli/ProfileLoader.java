package org.layerlift.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.layerlift.api.model.CostProfile;
import org.layerlift.model.profile.Profiles;

/**
 * Turns a profile file into the cost profile strategies plan from. The one place the CLI reads profiles: it hands
 * the file to {@link Profiles#read(Path)}, which tells the formats apart by their content (LayerLift's profile JSON,
 * {@code "format": "layerlift-profile"}, docs/profile-format.md; or a shared measurement set, {@code model} +
 * {@code layers}, grouped with IONN's dominator rule). Another format is a change in {@code Profiles}.
 */
public final class ProfileLoader {

    private ProfileLoader() {
    }

    /**
     * @throws CliException when the file is missing or unreadable, or is an ONNX model (with what to do instead)
     * @throws IllegalArgumentException (a {@code ProfileException}) naming the file or model, the unit or layer and
     *         the field when its content is bad
     */
    public static CostProfile load(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException("profile " + file + ": " + (Files.exists(file) ? "not a readable file" : "no such file"));
        }
        if (isOnnxModel(file)) {
            throw new CliException("profile " + file + " is an ONNX model, not a profile: make a profile of it with "
                    + "'layerlift model profile " + file + " -o p.json' and give p.json");
        }
        return Profiles.read(file);
    }

    /**
     * An ONNX model rather than JSON: named {@code .onnx}, or starting like a serialised {@code ModelProto} (field 1,
     * {@code ir_version}, a varint: byte 0x08), which no JSON text does.
     */
    private static boolean isOnnxModel(Path file) {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x08;
        } catch (IOException e) {
            return false;
        }
    }
}
