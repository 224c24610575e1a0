package org.layerlift.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.layerlift.api.model.CostProfile;
import org.layerlift.model.profile.DominatorGrouping;
import org.layerlift.model.profile.MeasurementSetReader;

/** The shared measurement sets, copied into test resources. */
final class Profiles {

    private Profiles() {
    }

    static CostProfile load(String model) {
        try (InputStream in = Profiles.class.getResourceAsStream("/" + model + ".json")) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + model + ".json");
            }
            return DominatorGrouping.group(MeasurementSetReader.read(in, model));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
