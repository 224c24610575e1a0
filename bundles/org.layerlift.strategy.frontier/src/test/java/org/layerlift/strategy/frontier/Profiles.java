package org.layerlift.strategy.frontier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.layerlift.api.model.CostProfile;
import org.layerlift.model.profile.DominatorGrouping;
import org.layerlift.model.profile.MeasurementSetReader;

/** The shared measurement sets: copies in test resources, or any measurement-set file by path. */
final class Profiles {

    private Profiles() {
    }

    static CostProfile load(String modelOrPath) {
        Path file = Path.of(modelOrPath);
        if (modelOrPath.endsWith(".json") && Files.isRegularFile(file)) {
            return DominatorGrouping.group(MeasurementSetReader.read(file));
        }
        try (InputStream in = Profiles.class.getResourceAsStream("/" + modelOrPath + ".json")) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + modelOrPath + ".json");
            }
            return DominatorGrouping.group(MeasurementSetReader.read(in, modelOrPath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
