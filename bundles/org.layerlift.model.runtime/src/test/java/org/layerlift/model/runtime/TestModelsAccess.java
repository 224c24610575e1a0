package org.layerlift.model.runtime;

import java.nio.file.Path;

/** Lets tests in other packages use the materialised test models. */
public final class TestModelsAccess {

    private TestModelsAccess() {}

    public static Path materialized(String name) {
        return TestModels.materialized(name);
    }
}
