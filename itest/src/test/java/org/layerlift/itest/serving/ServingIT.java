package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import ai.onnxruntime.OnnxTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.layerlift.api.partition.Segment;
import org.layerlift.protocol.Messages;

/**
 * The serving path end to end against the exported gateway with its embedded broker: a protocol-level client uploads
 * a model in plan order while querying, a second client shares the upload, and every answer equals the whole model
 * run locally.
 */
public class ServingIT {

    private static GatewayProcess gateway;
    private static Path work;

    @BeforeClass
    public static void startGateway() throws Exception {
        work = Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "serving"));
        gateway = new GatewayProcess(Files.createTempDirectory(work, "gw"), "serving-gw");
        gateway.start();
        Serving.awaitServing(gateway);
    }

    @AfterClass
    public static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
    }

    @Test
    public void uploadInPlanOrderWhileQueryingThenShareWithASecondClient() throws Exception {
        try (TestModel m = new TestModel("squeezenet1_1", work, 11);
                ProtocolClient a = new ProtocolClient(gateway.uri(), "phone-a")) {
            Messages.Plan plan = Serving.open(a, m, 40, null);
            assertEquals(m.totalBytes(), plan.bytesToUpload());
            assertEquals(m.units.size(), plan.units().size());
            Map<String, OnnxTensor> inputs = m.inputs(7);
            Map<String, double[]> reference = m.local(inputs);

            // a query raised throughout the upload, always with the newest ready partition's segments
            AtomicReference<List<Segment>> current = new AtomicReference<>(List.of());
            AtomicBoolean uploading = new AtomicBoolean(true);
            AtomicInteger remote = new AtomicInteger();
            AtomicInteger answered = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread queries = new Thread(() -> {
                try {
                    while (uploading.get()) {
                        List<Segment> segments = current.get();
                        Serving.assertClose(reference, m.offload(a, plan.session(), segments, inputs),
                                "query with segments " + segments);
                        answered.incrementAndGet();
                        if (!segments.isEmpty()) {
                            remote.incrementAndGet();
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "queries");
            queries.start();

            Uploader up = new Uploader(a, plan.session(), plan.chunkBytes(), 6);
            Set<Integer> sent = new HashSet<>();
            for (Messages.PlanPartition p : plan.partitions()) {
                for (int u : p.units()) {
                    if (sent.add(u) && m.addresses.get(u) != null) {
                        up.unit(m.addresses.get(u), m.unitBytes.get(u), Set.of(), Integer.MAX_VALUE);
                    }
                }
                Serving.await(a, Messages.Event.PARTITION_READY, p.index(), 120_000);
                current.set(Serving.segments(p));
                // the partition's own segments answer right after its notice
                Serving.assertClose(reference, m.offload(a, plan.session(), Serving.segments(p), inputs),
                        "query right after partition " + p.index() + " was ready");
            }
            // units no partition asks for (they never pay off at this bandwidth) go last, so the model is whole
            for (int u = 0; u < m.units.size(); u++) {
                if (sent.add(u) && m.addresses.get(u) != null) {
                    up.unit(m.addresses.get(u), m.unitBytes.get(u), Set.of(), Integer.MAX_VALUE);
                }
            }
            uploading.set(false);
            queries.join(120_000);
            if (failure.get() != null) {
                throw new AssertionError("a query during the upload failed", failure.get());
            }
            assertTrue("queries ran during the upload", answered.get() > 0);
            assertEquals(0, up.errors.size());
            Messages.HaveReply have = Serving.have(a, plan.session());
            assertTrue("every unit complete: " + have.units(), have.units().stream().allMatch(u -> u.complete()));
            List<Segment> last = Serving.segments(plan.partitions().get(plan.partitions().size() - 1));
            assertTrue("the final plan offloads something: " + last, !last.isEmpty());

            // a second client with the same model uploads nothing and offloads its first query
            try (ProtocolClient b = new ProtocolClient(gateway.uri(), "phone-b")) {
                Messages.Plan planB = Serving.open(b, m, 40, null);
                assertEquals(0, planB.bytesToUpload());
                assertTrue(planB.units().stream().allMatch(u -> u.held() || u.bytes() == 0));
                List<Segment> segB = Serving.segments(planB.partitions().get(planB.partitions().size() - 1));
                assertTrue("B's plan offloads: " + segB, !segB.isEmpty());
                Serving.assertClose(reference, m.offload(b, planB.session(), segB, inputs), "B's first query");
            }
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Test
    public void aSegmentWhoseUnitsAreNotUploadedIsRefusedWithItsReason() throws Exception {
        try (TestModel m = new TestModel("squeezenet1_1", work, 12);
                ProtocolClient c = new ProtocolClient(gateway.uri(), "phone-early")) {
            Messages.Plan plan = Serving.open(c, m, 40, null);
            Map<String, OnnxTensor> inputs = m.inputs(3);
            try {
                m.offload(c, plan.session(), List.of(new Segment(0, m.units.size() - 1)), inputs);
                fail("a segment with nothing uploaded ran");
            } catch (TestModel.HopRefused e) {
                assertEquals("segment_not_ready", e.code);
            }
            inputs.values().forEach(OnnxTensor::close);
        }
    }
}
