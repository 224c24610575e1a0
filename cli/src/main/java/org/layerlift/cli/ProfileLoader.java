package org.layerlift.cli;

import java.nio.file.Files;
import java.nio.file.Path;
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
     * @throws CliException when the file is missing or unreadable
     * @throws IllegalArgumentException (a {@code ProfileException}) naming the file or model, the unit or layer and
     *         the field when its content is bad
     */
    public static CostProfile load(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException("profile " + file + ": " + (Files.exists(file) ? "not a readable file" : "no such file"));
        }
        return Profiles.read(file);
    }
}
