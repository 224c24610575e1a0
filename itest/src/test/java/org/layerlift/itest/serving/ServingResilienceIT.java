package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.onnxruntime.OnnxTensor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.Test;
import org.layerlift.api.partition.Segment;
import org.layerlift.protocol.Envelope;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;
import org.layerlift.protocol.TensorCodec;

/** The serving path under faults: a killed gateway, and a flood of hostile messages. */
public class ServingResilienceIT {

    private static Path work() throws Exception {
        return Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "resilience"));
    }

    /**
     * kill -9 of the gateway process in the middle of an upload, then a restart on the same data: the client resumes
     * from what the gateway says it holds, which includes every chunk it acknowledged, and ends with the model.
     */
    @Test
    public void killedMidUploadTheClientResumesWithoutResendingAcknowledgedChunks() throws Exception {
        Path work = work();
        try (TestModel m = new TestModel("resnet18", work, 21)) {
            GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw"), "crash-gw");
            // small chunks, so that units are many chunks long and the crash lands inside a unit
            gw.config("org.layerlift.session", "chunk.bytes", Integer.toString(256 * 1024));
            try {
                gw.start();
                Serving.awaitServing(gw);
                Messages.Plan plan;
                Map<String, Set<Integer>> acked = new HashMap<>();
                int ackedCount = 0;
                try (ProtocolClient c = new ProtocolClient(gw.uri(), "phone-crash")) {
                    plan = Serving.open(c, m, 40, null);
                    Uploader up = new Uploader(c, plan.session(), plan.chunkBytes(), 4);
                    long half = m.totalBytes() / 2 / plan.chunkBytes();
                    outer:
                    for (Messages.PlanPartition p : plan.partitions()) {
                        for (int u : p.units()) {
                            String a = m.addresses.get(u);
                            if (a == null) {
                                continue;
                            }
                            int count = (m.unitBytes.get(u).length + plan.chunkBytes() - 1) / plan.chunkBytes();
                            int limit = (int) Math.min(count, Math.max(1, half - ackedCount));
                            for (Messages.ChunkAck ack : up.unit(a, m.unitBytes.get(u), Set.of(), limit)) {
                                acked.computeIfAbsent(a, k -> new HashSet<>()).add(ack.index());
                                ackedCount++;
                            }
                            if (ackedCount >= half) {
                                break outer;
                            }
                        }
                    }
                    gw.kill();
                }
                assertTrue("the crash came mid-upload: " + ackedCount + " chunks acknowledged", ackedCount > 2);

                gw.start();
                Serving.awaitServing(gw);
                try (ProtocolClient c = new ProtocolClient(gw.uri(), "phone-crash")) {
                    Messages.Plan again = Serving.open(c, m, 40, null);
                    assertEquals("the same session after the restart", plan.session(), again.session());
                    Messages.HaveReply have = Serving.have(c, again.session());
                    Map<String, Messages.UnitHolding> held = new HashMap<>();
                    have.units().forEach(h -> held.put(h.unit(), h));
                    int resent = 0;
                    Uploader up = new Uploader(c, again.session(), again.chunkBytes(), 4);
                    for (Messages.PlanPartition p : again.partitions()) {
                        for (int u : p.units()) {
                            String a = m.addresses.get(u);
                            if (a == null) {
                                continue;
                            }
                            Messages.UnitHolding h = held.get(a);
                            if (h != null && h.complete()) {
                                continue;
                            }
                            Set<Integer> skip = h == null ? Set.of() : new HashSet<>(h.chunks());
                            Set<Integer> wasAcked = acked.getOrDefault(a, Set.of());
                            for (int i : wasAcked) {
                                if (!skip.contains(i)) {
                                    resent++; // an acknowledged chunk the gateway lost
                                }
                            }
                            up.unit(a, m.unitBytes.get(u), skip, Integer.MAX_VALUE);
                        }
                    }
                    assertEquals("acknowledged chunks the client had to send again", 0, resent);
                    assertEquals(0, up.duplicates.get());
                    Messages.HaveReply done = Serving.have(c, again.session());
                    Set<String> planned = new HashSet<>();
                    again.partitions().forEach(p -> p.units().stream().map(m.addresses::get)
                            .filter(a -> a != null).forEach(planned::add));
                    assertTrue("every planned unit complete after the resume", done.units().stream()
                            .filter(h -> planned.contains(h.unit())).allMatch(Messages.UnitHolding::complete));
                    Messages.PlanPartition last = again.partitions().get(again.partitions().size() - 1);
                    Serving.await(c, Messages.Event.PARTITION_READY, last.index(), 180_000);
                    Map<String, OnnxTensor> inputs = m.inputs(5);
                    Serving.assertClose(m.local(inputs), m.offload(c, again.session(), Serving.segments(last), inputs),
                            "query after the resume");
                    inputs.values().forEach(OnnxTensor::close);
                }
            } finally {
                gw.stop();
            }
        }
    }

    /**
     * Over 10,000 random and mutated messages at every topic of the protocol, from a hostile client: the gateway
     * stays up, its thread and session counts come back, and a normal client works right after.
     */
    @Test
    public void aFloodOfHostileMessagesDisturbsNobody() throws Exception {
        Path work = work();
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw"), "flood-gw");
        // mallory's sessions (a manifest with made-up addresses is a valid session) expire soon after the flood
        gw.config("org.layerlift.session", "idle.expiry.s", "20");
        try (TestModel m = new TestModel("squeezenet1_1", work, 31)) {
            gw.start();
            Serving.awaitServing(gw);
            Map<String, OnnxTensor> inputs = m.inputs(9);
            Map<String, double[]> reference = m.local(inputs);
            try (ProtocolClient good = new ProtocolClient(gw.uri(), "phone-good");
                    ProtocolClient evil = new ProtocolClient(gw.uri(), "mallory")) {
                Messages.Plan plan = Serving.open(good, m, 40, null);
                new Uploader(good, plan.session(), plan.chunkBytes(), 4).all(m);
                Messages.PlanPartition last = plan.partitions().get(plan.partitions().size() - 1);
                Serving.await(good, Messages.Event.PARTITION_READY, last.index(), 120_000);
                List<Segment> segments = Serving.segments(last);
                Serving.assertClose(reference, m.offload(good, plan.session(), segments, inputs), "before the flood");
                Thread.sleep(6000); // a status refresh after the good session is there
                int sessionsBefore = GatewayStatus.sessions(GatewayStatus.status(gw));
                int threadsBefore = GatewayStatus.threads(gw.pid());

                // valid messages of every kind, for mallory's own (fake) session and for the good client's
                String fake = "f".repeat(32);
                List<byte[]> valid = new ArrayList<>();
                valid.add(m.manifest(40, null));
                int withWeights = m.addresses.indexOf(m.addresses.stream().filter(a -> a != null).findFirst().get());
                valid.add(Uploader.chunk(plan.session(), m.addresses.get(withWeights), m.unitBytes.get(withWeights),
                        plan.chunkBytes(), 0));
                valid.add(Json.write(new Messages.HaveRequest(fake)));
                valid.add(Json.write(new Messages.BandwidthReport(fake, 10)));
                valid.add(Json.write(new Messages.CloseRequest(fake)));
                valid.add(Envelope.encode(Json.write(new Messages.QueryHeader(plan.session(), segments.get(0).first(),
                        segments.get(0).last())), TensorCodec.encode(List.of(new org.layerlift.api.inference.TensorData(
                                "x", 1, new long[] {2}, ByteBuffer.allocate(8))))));
                SplittableRandom r = new SplittableRandom(42);
                List<String> kinds = new ArrayList<>(ProtocolTopics.REQUESTS);
                kinds.add("nonsense");
                int sent = 0;
                for (int i = 0; i < 10_500; i++) {
                    String kind = kinds.get(r.nextInt(kinds.size()));
                    byte[] payload = mutate(valid.get(r.nextInt(valid.size())), r, i);
                    String replyTo = switch (r.nextInt(4)) {
                        case 0 -> null;
                        case 1 -> ProtocolTopics.reply("phone-good", "stolen"); // someone else's namespace
                        default -> ProtocolTopics.reply("mallory", "r");
                    };
                    // QoS 0 mostly, so the flood does not wait for acknowledgements; the session of the good
                    // client is attacked through its id too (a guessed session of another client is unknown)
                    evil.requestOn(ProtocolTopics.request("mallory", kind), replyTo, payload, r.nextInt(10) == 0 ? 1 : 0);
                    sent++;
                    if (i % 500 == 0) {
                        Thread.sleep(20);
                    }
                    if (i % 2000 == 0) {
                        good.request(ProtocolTopics.HAVE, Json.write(new Messages.HaveRequest(plan.session())), 1);
                    }
                }
                assertTrue(sent >= 10_000);
                // the good client works right after the flood, and its session is intact
                Serving.assertClose(reference, Serving.whenNotOverloaded(() -> m.offload(good, plan.session(),
                        segments, inputs)), "after the flood");
                assertTrue(Serving.whenNotOverloaded(() -> Serving.have(good, plan.session())).units().stream()
                        .allMatch(Messages.UnitHolding::complete));
                assertTrue("the gateway survived", gw.alive());
                long deadline = System.currentTimeMillis() + 90_000;
                int threadsAfter = Integer.MAX_VALUE;
                int sessionsAfter = -1;
                while (System.currentTimeMillis() < deadline) {
                    Serving.whenNotOverloaded(() -> Serving.have(good, plan.session())); // the good client stays active
                    threadsAfter = GatewayStatus.threads(gw.pid());
                    sessionsAfter = GatewayStatus.sessions(GatewayStatus.status(gw));
                    if (threadsAfter <= threadsBefore + 2 && sessionsAfter == sessionsBefore) {
                        break;
                    }
                    Thread.sleep(2000);
                }
                assertTrue("threads " + threadsBefore + " before, " + threadsAfter + " after",
                        threadsAfter <= threadsBefore + 2);
                assertEquals("sessions after mallory's expired", sessionsBefore, sessionsAfter);
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
        } finally {
            gw.stop();
        }
    }

    /** A random, truncated, bit-flipped, spliced, or oversized version of a valid message. */
    private static byte[] mutate(byte[] valid, SplittableRandom r, int i) {
        switch (r.nextInt(7)) {
            case 0: {
                byte[] b = new byte[r.nextInt(200)];
                for (int k = 0; k < b.length; k++) {
                    b[k] = (byte) r.nextInt(256);
                }
                return b;
            }
            case 1:
                return java.util.Arrays.copyOf(valid, r.nextInt(valid.length + 1));
            case 2: {
                byte[] b = valid.clone();
                for (int k = 0; k < 1 + r.nextInt(8); k++) {
                    b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                }
                return b;
            }
            case 3:
                return ("{\"session\":" + r.nextInt() + ",\"x\":[" + "1,".repeat(r.nextInt(100)) + "1]}")
                        .getBytes(StandardCharsets.UTF_8);
            case 4:
                return i % 1000 == 4 ? new byte[17 * 1024 * 1024] : valid; // oversize, rarely
            case 5: {
                // a valid envelope whose header lies about its length
                byte[] b = valid.clone();
                if (b.length > 8 && b[0] == 'L') {
                    ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(4, r.nextInt());
                }
                return b;
            }
            default:
                return valid;
        }
    }
}
