package org.layerlift.model.surgery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.layerlift.api.partition.Segment;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.units.UnitGrouping;

class UnitWeightsTest {

    private static Path model(String name) {
        return Path.of(System.getProperty("layerlift.testdata.models", "../../testdata/models"), name + ".onnx");
    }

    /** Every unit's bytes hold every weight a server part of that unit needs: segments build from their own units. */
    @Test
    void everyUnitHoldsTheWeightsItsPartNeeds() {
        for (String name : List.of("squeezenet1_1", "resnet18", "googlenet", "mobilenet_v2", "densenet121")) {
            OnnxGraph g = OnnxGraph.load(model(name));
            GraphShapes shapes = GraphShapes.infer(g, InputShapes.none());
            for (List<List<Integer>> groups : List.of(UnitGrouping.dominatorGroups(g), UnitGrouping.nodeGroups(g))) {
                UnitWeights w = UnitWeights.of(g.proto(), groups);
                ModelCutter cutter = new ModelCutter(g.proto(), name, shapes);
                long total = 0;
                for (int u = 0; u < groups.size(); u++) {
                    Part p = cutter.cut(groups, List.of(new Segment(u, u))).serverParts().get(0);
                    for (String t : p.externalTensors()) {
                        assertNotNull(w.slice(u, t), name + " unit " + u + " needs '" + t + "' but does not hold it");
                    }
                    long offset = 0;
                    for (UnitWeights.Slice s : w.slices(u)) {
                        assertEquals(offset, s.offset(), "slices are packed in order");
                        offset += s.length();
                    }
                    assertEquals(offset, w.bytes(u));
                    total += w.bytes(u);
                }
                // a tensor several units need is in each of them: a little more than the model's weights, never less
                long external = g.proto().getGraph().getInitializerList().stream().filter(Tensors::isExternal)
                        .mapToLong(Tensors::byteLength).sum();
                assertTrue(total >= external && total < external * 1.01 + 65536, name + ": " + total + " vs "
                        + external);
            }
        }
    }

    /** A unit's bytes are its tensors' data in slice order; a source over them gives back each tensor's bytes. */
    @Test
    void unitBytesAndTheSourceOverThemAgree() throws Exception {
        Path file = org.layerlift.model.runtime.TestModelsAccess.materialized("squeezenet1_1");
        OnnxGraph g = OnnxGraph.load(file);
        List<List<Integer>> groups = UnitGrouping.dominatorGroups(g);
        UnitWeights w = UnitWeights.of(g.proto(), groups);
        List<ByteBuffer> units = new ArrayList<>();
        try (ExternalDataWeights data = new ExternalDataWeights(file)) {
            for (int u = 0; u < groups.size(); u++) {
                byte[] b = w.unitBytes(u, data);
                assertEquals(w.bytes(u), b.length);
                assertEquals(b.length == 0 ? null : UnitWeights.sha256(b), b.length == 0 ? null
                        : UnitWeights.sha256(w.unitBytes(u, data)), "deterministic");
                units.add(ByteBuffer.wrap(b));
            }
            for (int u = 0; u < groups.size(); u++) {
                WeightSource source = w.source("units", u, u, units::get);
                for (UnitWeights.Slice s : w.slices(u)) {
                    ai.onnx.proto.OnnxMl.TensorProto t = g.proto().getGraph().getInitializerList().stream()
                            .filter(x -> x.getName().equals(s.tensor())).findFirst().orElseThrow();
                    assertArrayEquals(data.bytes(t).toByteArray(), source.bytes(t).toByteArray(), s.tensor());
                }
            }
        }
    }
}
