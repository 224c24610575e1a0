package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.client.ClientException;
import org.layerlift.model.surgery.ExternalDataWeights;
import org.layerlift.model.surgery.Weights;

class ClientModelTest {

    @TempDir
    Path dir;

    private Path materialized(String name) throws Exception {
        return TestModels.materialized(dir, name, 3L);
    }

    @Test
    void embeddedAndExternalWeightsGiveTheSameUnitsAndAddresses() throws Exception {
        Path external = materialized("squeezenet1_1");
        Path embeddedFile = dir.resolve("embedded").resolve("squeezenet1_1.onnx");
        Files.createDirectories(embeddedFile.getParent());
        try (ExternalDataWeights w = new ExternalDataWeights(external)) {
            ModelProto embedded = Weights.embed(ModelProto.parseFrom(Files.readAllBytes(external)), w, "test");
            Files.write(embeddedFile, embedded.toByteArray());
        }
        try (ClientModel a = ClientModel.load(external, "dominator");
                ClientModel b = ClientModel.load(embeddedFile, "dominator")) {
            assertEquals(a.units.size(), b.units.size());
            assertEquals(a.addresses, b.addresses);
            assertEquals(a.totalBytes(), b.totalBytes());
            assertTrue(a.totalBytes() > 4_000_000, "squeezenet's weights are units: " + a.totalBytes());
            for (int u = 0; u < a.units.size(); u++) {
                assertArrayEquals(a.unitBytes(u), b.unitBytes(u), "unit " + u);
            }
            // the manifest's graph carries no large weights
            assertTrue(b.graphBytes.length < 100_000, "stripped graph " + b.graphBytes.length + " bytes");
            for (TensorProto t : b.stripped.getGraph().getInitializerList()) {
                assertFalse(t.getRawData().size() >= ClientModel.STRIP_THRESHOLD, t.getName());
            }
            assertEquals(1, a.inputs.size());
            assertArrayEquals(new long[] {1, 3, 224, 224}, a.inputs.get(0).shape());
        }
    }

    @Test
    void nodeGranularityHasOneUnitPerNode() throws Exception {
        Path external = materialized("squeezenet1_1");
        try (ClientModel d = ClientModel.load(external, "dominator"); ClientModel n = ClientModel.load(external, "node")) {
            assertTrue(n.units.size() > d.units.size());
            // a tensor several units need is in each of them: finer units can only hold more
            assertTrue(n.totalBytes() >= d.totalBytes());
        }
    }

    @Test
    void aMissingOrForeignFileIsABadModel() throws Exception {
        ClientException missing = assertThrows(ClientException.class,
                () -> ClientModel.load(dir.resolve("nope.onnx"), "dominator"));
        assertEquals("bad_model", missing.code());
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path text = Files.writeString(dir.resolve("notes.onnx"), "these are not the weights you are looking for");
        ClientException foreign = assertThrows(ClientException.class, () -> ClientModel.load(text, "dominator"));
        assertEquals("bad_model", foreign.code());
        assertTrue(foreign.getMessage().contains("not an ONNX model"), foreign.getMessage());
    }

    @Test
    void missingExternalDataIsABadModelNamingIt() throws Exception {
        Path model = dir.resolve("resnet18.onnx");
        Files.copy(Path.of(System.getProperty("layerlift.testdata.models"), "resnet18.onnx"), model);
        ClientException e = assertThrows(ClientException.class, () -> ClientModel.load(model, "dominator"));
        assertEquals("bad_model", e.code());
        assertTrue(e.getMessage().contains("external data"), e.getMessage());
    }
}
