package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import ai.onnxruntime.OnnxTensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.layerlift.api.partition.Segment;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;

/**
 * The serving path through an external Mosquitto with the shipped ACL: strategy swaps mid-upload (configuration, then
 * a deployed copy of the strategy deleted, the built-in one taking over), 16 clients at once, the namespaces, and a
 * request from the shell.
 */
public class ServingSwapIT {

    private static ShippedMosquitto mosquitto;
    private static GatewayProcess gateway;
    private static Path work;

    @BeforeClass
    public static void start() throws Exception {
        work = Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "swap"));
        mosquitto = new ShippedMosquitto(Files.createTempDirectory(work, "mosquitto"));
        gateway = new GatewayProcess(Files.createTempDirectory(work, "gw"), "swap-gw");
        Files.createDirectories(gateway.deploy());
        // efficiency also comes through deploy/: the copy replaces the built-in one, until the file is deleted
        Files.copy(Path.of(GatewayProcess.required("layerlift.itest.strategies"), "org.layerlift.strategy.efficiency.jar"),
                gateway.deploy().resolve("org.layerlift.strategy.efficiency.jar"));
        // the gateway's transport goes to Mosquitto; its embedded broker still runs, on its own port
        gateway.start(mosquitto.uri());
        Serving.awaitServing(gateway, mosquitto.uri());
    }

    @AfterClass
    public static void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    public void strategySwappedMidUploadByConfigurationThenADeployedCopyDeletedWithoutFailingAQuery() throws Exception {
        try (TestModel m = new TestModel("resnet18", work, 41);
                ProtocolClient c = new ProtocolClient(mosquitto.uri(), "phone-swap")) {
            Messages.Plan plan = Serving.open(c, m, 40, null);
            assertEquals("frontier", plan.strategy());
            Map<String, OnnxTensor> inputs = m.inputs(4);
            Map<String, double[]> reference = m.local(inputs);
            AtomicReference<List<Segment>> current = new AtomicReference<>(List.of());
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger answered = new AtomicInteger();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread queries = new Thread(() -> {
                try {
                    while (running.get()) {
                        List<Segment> segments = current.get();
                        Serving.assertClose(reference, m.offload(c, plan.session(), segments, inputs),
                                "query with " + segments);
                        answered.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            queries.start();
            Uploader up = new Uploader(c, plan.session(), plan.chunkBytes(), 6);
            List<Integer> order = new ArrayList<>();
            plan.partitions().forEach(p -> order.addAll(p.units()));
            int third = Math.max(1, order.size() / 3);
            Set<Integer> sent = new HashSet<>();
            for (int i = 0; i < order.size(); i++) {
                int u = order.get(i);
                if (m.addresses.get(u) != null && sent.add(u)) {
                    up.unit(m.addresses.get(u), m.unitBytes.get(u), Set.of(), Integer.MAX_VALUE);
                }
                for (Messages.Event e : c.seen()) {
                    if (Messages.Event.PARTITION_READY.equals(e.type()) && e.planVersion() == 1) {
                        current.set(Serving.segments(plan.partitions().get(e.partition())));
                    }
                }
                if (i == third) {
                    // 1. the configuration selects another strategy
                    writePlanner(gateway, "efficiency");
                    Messages.Event replan = Serving.await(c, Messages.Event.REPLAN, null, 60_000);
                    assertEquals("efficiency", replan.plan().strategy());
                    assertEquals("strategy", replan.reason());
                    assertTrue(replan.plan().bytesHeld() > 0);
                }
                if (i == 2 * third) {
                    // 2. the deployed copy of the (built-in) efficiency strategy is deleted: the built-in one takes
                    // over at once (DeployOverrides starts it before the copy goes), so the strategy never goes away
                    // and nothing is re-planned with another one; the queries go on
                    int before = c.seen().size();
                    Files.delete(gateway.deploy().resolve("org.layerlift.strategy.efficiency.jar"));
                    Thread.sleep(5_000); // FileInstall polls every second
                    for (Messages.Event e : c.seen().subList(before, c.seen().size())) {
                        if (Messages.Event.REPLAN.equals(e.type())) {
                            assertEquals("only efficiency plans: " + e, "efficiency", e.plan().strategy());
                        }
                    }
                    assertTrue(gateway.gatewayLog(), gateway.gatewayLog().contains(
                            "deploy/org.layerlift.strategy.efficiency.jar removed"));
                }
            }
            running.set(false);
            queries.join(60_000);
            if (failure.get() != null) {
                throw new AssertionError("a query failed during the swaps", failure.get());
            }
            assertTrue(answered.get() > 0);
            inputs.values().forEach(OnnxTensor::close);
        } finally {
            writePlanner(gateway, "frontier");
        }
    }

    private static void writePlanner(GatewayProcess gw, String strategy) throws Exception {
        Path tmp = gw.deploy().resolve("org.layerlift.planner.cfg.tmp");
        Files.writeString(tmp, "strategy=" + strategy + "\ndefault.strategy=ionn\n", StandardCharsets.UTF_8);
        Files.move(tmp, gw.deploy().resolve("org.layerlift.planner.cfg"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    public void sixteenClientsUploadAndQueryAtOnce() throws Exception {
        // eight clients share one model, eight bring their own weights: shared and separate uploads at once
        List<TestModel> models = new ArrayList<>();
        TestModel shared = new TestModel("squeezenet1_1", work, 100);
        for (int i = 0; i < 16; i++) {
            models.add(i < 8 ? shared : new TestModel("squeezenet1_1", work, 101 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                TestModel m = models.get(i);
                String id = "phone-" + i;
                results.add(pool.submit(() -> {
                    try (ProtocolClient c = new ProtocolClient(mosquitto.uri(), id)) {
                        Messages.Plan plan = Serving.open(c, m, 40, null);
                        new Uploader(c, plan.session(), plan.chunkBytes(), 4).all(m);
                        Messages.HaveReply have = Serving.have(c, plan.session());
                        assertTrue(id + ": every unit stored and verified", have.units().stream()
                                .allMatch(Messages.UnitHolding::complete));
                        Messages.PlanPartition last = plan.partitions().get(plan.partitions().size() - 1);
                        Serving.await(c, Messages.Event.PARTITION_READY, last.index(), 300_000);
                        Map<String, OnnxTensor> inputs = m.inputs(id.hashCode());
                        Map<String, double[]> reference = m.local(inputs);
                        int answered = 0;
                        for (int q = 0; q < 5; q++) {
                            Serving.assertClose(reference, m.offload(c, plan.session(), Serving.segments(last), inputs),
                                    id + " query " + q);
                            answered++;
                        }
                        inputs.values().forEach(OnnxTensor::close);
                        return answered;
                    }
                }));
            }
            int total = 0;
            for (Future<Integer> f : results) {
                total += f.get(900, TimeUnit.SECONDS);
            }
            assertEquals(80, total);
        } finally {
            pool.shutdownNow();
            for (TestModel m : new HashSet<>(models)) {
                m.close();
            }
        }
    }

    @Test
    public void clientBCanNeitherReadNorWriteClientAsNamespace() throws Exception {
        try (ProtocolClient a = new ProtocolClient(mosquitto.uri(), "phone-alice");
                ProtocolClient b = new ProtocolClient(mosquitto.uri(), "phone-bob")) {
            // B subscribes to A's namespace: Mosquitto grants the SUBACK but delivers nothing of A's
            IMqttToken sub = b.mqtt().subscribe(new MqttSubscription[] {
                new MqttSubscription(ProtocolTopics.events("phone-alice"), 1)});
            sub.waitForCompletion(10_000);
            // B publishes a request into A's namespace: refused (PUBACK 0x87), the gateway never sees it
            IMqttToken pub = b.mqtt().publish(ProtocolTopics.request("phone-alice", ProtocolTopics.HAVE),
                    new MqttMessage(Json.write(new Messages.HaveRequest("0".repeat(32))), 1, false, null));
            pub.waitForCompletion(10_000);
            int[] codes = pub.getReasonCodes();
            assertTrue("PUBACK refused: " + java.util.Arrays.toString(codes), codes != null && codes.length > 0
                    && codes[0] >= 0x80);
            // A's own traffic still flows, and B sees none of it
            byte[] reply = a.call(ProtocolTopics.HAVE, Json.write(new Messages.HaveRequest("0".repeat(32))));
            assertEquals("unknown_session", Json.error(reply).code());
            Thread.sleep(500);
            assertTrue("B got nothing of A's", b.seen().isEmpty());
        }
    }

    @Test
    public void aRequestWorksFromTheShellWithMosquittoRr() throws Exception {
        Process p = new ProcessBuilder(ShippedMosquitto.tool("mosquitto_rr"), "-V", "5", "-h", "127.0.0.1", "-p",
                Integer.toString(mosquitto.port), "-i", "shell", "-t", "layerlift/v1/c/shell/have", "-e",
                "layerlift/v1/c/shell/reply/rr", "-m", "{\"session\":\"00000000000000000000000000000000\"}", "-W", "20")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(out, 0, p.waitFor());
        Messages.ErrorBody e = Json.error(out.trim().getBytes(StandardCharsets.UTF_8));
        assertNotEquals(out, null, e);
        assertEquals("unknown_session", e.code());
    }
}
