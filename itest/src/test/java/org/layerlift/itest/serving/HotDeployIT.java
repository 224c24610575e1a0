package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import ai.onnxruntime.OnnxTensor;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.Test;
import org.layerlift.api.partition.Segment;
import org.layerlift.protocol.Messages;

/**
 * Hot deploy on the exported gateway, for bundles it has built in: a deployed bundle of a built-in's name replaces
 * it while the file is there and deleting the file brings the built-in one back, without a restart; and bundles
 * dropped in or taken out never restart the embedded broker or the sessions (a refresh of what they do not use).
 */
public class HotDeployIT {

    private static final String EFFICIENCY = "org.layerlift.strategy.efficiency";
    private static final String API = "org.layerlift.api";

    private static Path work() throws Exception {
        return Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "hotdeploy"));
    }

    /** The bundles of a symbolic name in the retained status, once {@code done} holds for them. */
    private static List<JsonNode> awaitBundles(GatewayProcess gw, String symbolicName, Predicate<List<JsonNode>> done,
            String what) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        List<JsonNode> found = List.of();
        while (System.currentTimeMillis() < deadline) {
            found = new ArrayList<>();
            for (JsonNode b : GatewayStatus.status(gw).path("bundles")) {
                if (symbolicName.equals(b.path("symbolicName").asText())) {
                    found.add(b);
                }
            }
            if (done.test(found)) {
                return found;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(what + " not in the status within 30 s: " + found + "\nconsole:\n" + gw.output());
    }

    private static boolean deployedFrom(JsonNode bundle, GatewayProcess gw) {
        return bundle.path("location").asText().startsWith("file:")
                && bundle.path("location").asText().contains(gw.deploy().getFileName() + "/");
    }

    private static JsonNode builtIn(List<JsonNode> bundles, GatewayProcess gw) {
        return bundles.stream().filter(b -> !deployedFrom(b, gw)).findFirst().orElse(null);
    }

    private static JsonNode deployed(List<JsonNode> bundles, GatewayProcess gw) {
        return bundles.stream().filter(b -> deployedFrom(b, gw)).findFirst().orElse(null);
    }

    /**
     * The efficiency strategy's jar, with the built-in one's very name and version, copied into deploy/: installed
     * beside the built-in one under its own location and id and active, the built-in one stopped (RESOLVED), and
     * "efficiency" plans. Deleted: uninstalled, the built-in one (same id) ACTIVE again and "efficiency" still
     * plans, the same gateway process throughout. (Before, FileInstall updated the built-in bundle in place, and the
     * delete uninstalled it: no efficiency strategy until a restart.)
     */
    @Test
    public void aDeployedBuiltInReplacesItAndDeletingItBringsTheBuiltInBack() throws Exception {
        Path dir = Files.createTempDirectory(work(), "gw");
        GatewayProcess gw = new GatewayProcess(dir, "hotdeploy-gw");
        try (TestModel m = new TestModel("squeezenet1_1", dir, 3)) {
            gw.start();
            Serving.awaitServing(gw);
            long pid = gw.pid();
            JsonNode original = builtIn(awaitBundles(gw, EFFICIENCY, l -> builtIn(l, gw) != null
                    && "ACTIVE".equals(builtIn(l, gw).path("state").asText()), "the built-in efficiency"), gw);
            long builtInId = original.path("id").asLong();

            Path jar = TestBundles.withHeaders(
                    Path.of(GatewayProcess.required("layerlift.itest.strategies"), EFFICIENCY + ".jar"),
                    dir.resolve("efficiency-copy.jar"), Map.of("Bundle-Version", original.path("version").asText()));
            TestBundles.deploy(gw, jar, EFFICIENCY + ".jar");
            List<JsonNode> both = awaitBundles(gw, EFFICIENCY, l -> deployed(l, gw) != null
                    && "ACTIVE".equals(deployed(l, gw).path("state").asText())
                    && "RESOLVED".equals(builtIn(l, gw).path("state").asText()),
                    "the deployed efficiency ACTIVE and the built-in one RESOLVED");
            JsonNode copy = deployed(both, gw);
            assertNotEquals("its own bundle id", builtInId, copy.path("id").asLong());
            assertEquals("same name and version as the built-in one", original.path("version").asText(),
                    copy.path("version").asText());
            assertTrue(copy.toString(), copy.path("location").asText().endsWith("/deploy/" + EFFICIENCY + ".jar"));
            assertTrue(gw.gatewayLog(), gw.gatewayLog().contains("replaces the built-in " + EFFICIENCY
                    + " (bundle " + builtInId + ","));
            assertPlansWith(gw, m, "efficiency");

            Files.delete(gw.deploy().resolve(EFFICIENCY + ".jar"));
            List<JsonNode> back = awaitBundles(gw, EFFICIENCY, l -> deployed(l, gw) == null && l.size() == 1
                    && "ACTIVE".equals(l.get(0).path("state").asText()), "the built-in efficiency ACTIVE again");
            assertEquals("the very built-in bundle is back", builtInId, back.get(0).path("id").asLong());
            assertPlansWith(gw, m, "efficiency");
            assertTrue("no restart", gw.alive() && gw.pid() == pid);
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\nconsole:\n" + gw.output(), e);
        } finally {
            gw.close();
        }
    }

    private static void assertPlansWith(GatewayProcess gw, TestModel m, String strategy) throws Exception {
        try (ProtocolClient c = new ProtocolClient(gw.uri(), "hd-plan-" + System.nanoTime())) {
            Messages.Plan plan = Serving.open(c, m, 40, strategy);
            assertEquals(strategy, plan.strategy());
        }
    }

    /**
     * While a client has a session with its whole model uploaded and queries answer from the gateway, two bundles go
     * through deploy/: a copy of org.layerlift.api (same name and version: FileInstall used to update the built-in
     * API bundle in place and refresh it, which restarted every bundle wired to it, the embedded broker and the
     * sessions among them), and a bundle of its own name exporting org.layerlift.api.partition at the same version;
     * then both files are deleted (each removal refreshes what was wired to that bundle). Throughout, the client's
     * MQTT connection stays up (the broker never stops), the session is still there with every unit, and a query
     * still gives the model's answer.
     */
    @Test
    public void bundlesComingAndGoingNeverRestartTheBrokerOrTheSessions() throws Exception {
        Path dir = Files.createTempDirectory(work(), "gw");
        GatewayProcess gw = new GatewayProcess(dir, "refresh-gw");
        try (TestModel m = new TestModel("squeezenet1_1", dir, 5)) {
            gw.start();
            Serving.awaitServing(gw);
            try (ProtocolClient c = new ProtocolClient(gw.uri(), "phone-refresh")) {
                Messages.Plan plan = Serving.open(c, m, 40, null);
                new Uploader(c, plan.session(), plan.chunkBytes(), 6).all(m);
                Messages.PlanPartition last = plan.partitions().get(plan.partitions().size() - 1);
                Serving.await(c, Messages.Event.PARTITION_READY, last.index(), 120_000);
                List<Segment> segments = Serving.segments(last);
                Map<String, OnnxTensor> inputs = m.inputs(9);
                Map<String, double[]> reference = m.local(inputs);
                Serving.assertClose(reference, m.offload(c, plan.session(), segments, inputs), "before");
                int logBefore = gw.gatewayLog().length();

                JsonNode api = builtIn(awaitBundles(gw, API, l -> builtIn(l, gw) != null, "the API bundle"), gw);
                String version = api.path("version").asText();
                Path apiJar = Path.of(GatewayProcess.required("layerlift.itest.bundles"), API + ".jar");
                String exports = TestBundles.header(apiJar, "Export-Package");
                Path copy = TestBundles.manifestOnly(dir.resolve("api-copy.jar"), Map.of(
                        "Bundle-SymbolicName", API, "Bundle-Version", version, "Export-Package", exports));
                Path other = TestBundles.manifestOnly(dir.resolve("reexport.jar"), Map.of(
                        "Bundle-SymbolicName", "org.layerlift.itest.reexport", "Bundle-Version", "1.0.0",
                        "Export-Package", "org.layerlift.api.partition;version=\"" + packageVersion(exports,
                                "org.layerlift.api.partition") + "\""));
                TestBundles.deploy(gw, copy, "api-copy.jar");
                TestBundles.deploy(gw, other, "reexport.jar");
                awaitBundles(gw, "org.layerlift.itest.reexport", l -> l.size() == 1
                        && "ACTIVE".equals(l.get(0).path("state").asText()), "the re-exporting bundle ACTIVE");
                awaitBundles(gw, API, l -> deployed(l, gw) != null
                        && "ACTIVE".equals(deployed(l, gw).path("state").asText()), "the API copy ACTIVE");
                Serving.assertClose(reference, m.offload(c, plan.session(), segments, inputs), "after the deploys");

                Files.delete(gw.deploy().resolve("reexport.jar"));
                Files.delete(gw.deploy().resolve("api-copy.jar"));
                awaitBundles(gw, "org.layerlift.itest.reexport", List::isEmpty, "the re-exporting bundle gone");
                awaitBundles(gw, API, l -> l.size() == 1 && "ACTIVE".equals(l.get(0).path("state").asText()),
                        "the built-in API bundle alone and ACTIVE");
                Thread.sleep(2000); // a refresh would be under way by now

                assertTrue("the client's connection to the embedded broker never dropped", c.mqtt().isConnected());
                Messages.HaveReply have = Serving.have(c, plan.session());
                assertTrue("the session has every unit: " + have.units(),
                        have.units().stream().allMatch(u -> u.complete()));
                Serving.assertClose(reference, m.offload(c, plan.session(), segments, inputs), "after the deletes");
                String log = gw.gatewayLog().substring(logBefore);
                for (String restart : new String[] {"Embedded MQTT broker stopped", "Starting embedded MQTT",
                    "MQTT transport: closed", "sessions: serving from"}) {
                    assertFalse("'" + restart + "' in the log after the deploys:\n" + log, log.contains(restart));
                }
                for (JsonNode b : GatewayStatus.status(gw).path("bundles")) {
                    if (b.path("symbolicName").asText().startsWith("org.layerlift.")) {
                        assertEquals(b.toString(), "ACTIVE", b.path("state").asText());
                    }
                }
            }
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\nconsole:\n" + gw.output(), e);
        } finally {
            gw.close();
        }
    }

    /** The version attribute of one package in an Export-Package header. */
    private static String packageVersion(String exports, String pkg) {
        java.util.regex.Matcher v = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(pkg)
                + ";[^,]*?version=\"?([0-9.]+)").matcher(exports);
        assertTrue(exports, v.find());
        return v.group(1);
    }
}
