package org.layerlift.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.layerlift.api.model.CostProfile;
import org.layerlift.model.profile.DominatorGrouping;
import org.layerlift.model.profile.MeasurementSetReader;

/** Turns a profile file into the cost profile strategies plan from. The one place that knows file formats. */
public final class ProfileLoader {

    private ProfileLoader() {
    }

    /**
     * Reads a measurement set (the shared per-layer JSON format) and groups its layers into IONN's units.
     *
     * @throws CliException when the file is missing or unreadable
     * @throws IllegalArgumentException (a {@code ProfileException}) naming the model and layer when its content is bad
     */
    public static CostProfile load(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new CliException("profile " + file + ": " + (Files.exists(file) ? "not a readable file" : "no such file"));
        }
        return DominatorGrouping.group(MeasurementSetReader.read(file));
    }
}
