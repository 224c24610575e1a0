package org.layerlift.client.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.layerlift.model.surgery.Materializer;

/** The shared test models (weights stripped), copied into a test's folder with seeded weights. */
final class TestModels {

    private TestModels() {}

    static Path materialized(Path dir, String name, long seed) throws Exception {
        Path model = dir.resolve(name + ".onnx");
        Files.copy(Path.of(System.getProperty("layerlift.testdata.models"), name + ".onnx"), model,
                StandardCopyOption.REPLACE_EXISTING);
        Materializer.materialize(model, seed);
        return model;
    }
}
