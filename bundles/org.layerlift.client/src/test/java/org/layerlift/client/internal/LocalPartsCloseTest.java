package org.layerlift.client.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.client.DeviceEmulation;
import org.layerlift.model.runtime.RandomInputs;
import org.layerlift.model.surgery.Part;

/**
 * Closing the local parts while another thread runs them (a client closed while its query thread is in a query):
 * the close waits for the run in progress, later runs are refused with a clear error. Before, the ORT session was
 * closed under the running query: a SIGSEGV in libonnxruntime that took the whole JVM down (this test's fork too).
 */
class LocalPartsCloseTest {

    @TempDir
    Path dir;

    @Test
    void closeWaitsForTheRunInProgressAndRefusesLaterOnes() throws Exception {
        Path model = TestModels.materialized(dir, "squeezenet1_1", 5L);
        try (ClientModel m = ClientModel.load(model, "dominator")) {
            LocalParts local = new LocalParts(m, DeviceEmulation.none(), 1);
            List<Part> parts = m.cut(List.of()).parts().stream().filter(p -> !p.isEmpty()).toList();
            var inputs = RandomInputs.tensors(m.inputs, 1);
            AtomicInteger runs = new AtomicInteger();
            AtomicReference<Throwable> end = new AtomicReference<>();
            Thread queries = new Thread(() -> {
                try {
                    while (true) {
                        List<OnnxTensor> owned = new ArrayList<>();
                        try {
                            Map<String, OnnxTensorLike> values = local.feed(inputs, owned);
                            for (Part p : parts) {
                                local.run(p, values, owned, false);
                            }
                            runs.incrementAndGet();
                        } finally {
                            owned.forEach(OnnxTensor::close);
                        }
                    }
                } catch (Throwable t) {
                    end.set(t);
                }
            });
            queries.start();
            while (runs.get() < 3) {
                Thread.sleep(5);
            }
            for (int i = 0; i < 20 && queries.isAlive(); i++) {
                local.close(); // again and again, at any point of a run
                Thread.sleep(1);
            }
            queries.join(30_000);
            assertFalse(queries.isAlive(), "the query thread ended");
            assertNotNull(end.get());
            assertInstanceOf(IllegalStateException.class, end.get(), String.valueOf(end.get()));
            assertTrue(end.get().getMessage().contains("closed"), end.get().getMessage());
        }
    }
}
