package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import org.junit.Test;
import org.layerlift.cli.Main;

/**
 * The third-party strategy of {@code examples/strategy-example}, end to end as its README tells a user: built on its
 * own with Maven against the API bundle, copied into a running gateway's {@code deploy/} while a client uploads
 * resnet18 (20 Mbit/s, device 16x slower), selected by {@code deploy/org.layerlift.planner.cfg}; the session is
 * re-planned by it and the run finishes with every answer right and nothing sent twice.
 */
public class StrategyExampleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "smallest-first";
    private static final String BUNDLE = "com.example.layerlift.smallestfirst";
    private static final int MBIT = 20;

    @Test
    public void theExampleBuiltOnItsOwnIsDroppedIntoARunningGatewayAndReplansAnUpload() throws Exception {
        Path work = Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "example"));

        long t0 = System.nanoTime();
        Path jar = ExampleBuild.build(Files.createTempDirectory(work, "build"));
        System.out.printf("strategy example: built with mvn package in %.1f s (%s, %d bytes)%n",
                (System.nanoTime() - t0) / 1e9, jar.getFileName(), Files.size(jar));
        try (JarFile j = new JarFile(jar.toFile())) {
            assertEquals(BUNDLE, j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"));
            assertNotNull("DS metadata", j.getManifest().getMainAttributes().getValue("Service-Component"));
        }

        // the upload starts under all-at-once: it sends every unit, whatever costs the gateway measures on a loaded
        // machine, so the upload lasts (at least its bytes over the link's rate) while the example is deployed
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw"), "example-gw")
                .config("org.layerlift.gateway.status", "refresh.s", "1")
                .config("org.layerlift.planner", "strategy", "all-at-once", "default.strategy", "ionn");
        try {
            gw.start();
            Serving.awaitServing(gw);
            assertFalse("not there before it is deployed", plannerCheck(GatewayStatus.status(gw)).contains(NAME));

            Path model = Files.createDirectories(work.resolve("model")).resolve("resnet18.onnx");
            Files.copy(Path.of(GatewayProcess.required("layerlift.testdata.models"), "resnet18.onnx"), model,
                    StandardCopyOption.REPLACE_EXISTING);
            Path runDir = Files.createTempDirectory(work, "run");
            Path json = runDir.resolve("r.json");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.commandLine(
                    new PrintWriter(out, true), new PrintWriter(err, true)).execute("offload", "--gateway", gw.uri(),
                    "--model", model.toString(), "--materialize", "--seed", "41", "--bandwidth", MBIT + "mbit",
                    "--slowdown", "16", "--client-id", "phone-example", "--queries-after-upload", "5", "--verify",
                    "--json", json.toString()));

            // once the session is open and uploading, the operator deploys the example and selects it
            awaitOutput(out, err, "strategy all-at-once, ", run);
            long deployed = System.nanoTime();
            Path part = gw.work().resolve(jar.getFileName() + ".part");
            Files.copy(jar, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, gw.deploy().resolve(jar.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            JsonNode registered = awaitStatus(gw, s -> bundleActive(s, BUNDLE)
                    && plannerCheck(s).matches(".*available: (.*, )?" + NAME + "[,)].*"), "the example registered");
            System.out.printf("strategy example: registered in the status %.1f s after the copy: %s%n",
                    (System.nanoTime() - deployed) / 1e9, plannerCheck(registered));

            long selected = System.nanoTime();
            Path tmp = gw.deploy().resolve("org.layerlift.planner.cfg.tmp");
            Files.writeString(tmp, "strategy=" + NAME + "\ndefault.strategy=ionn\n", StandardCharsets.UTF_8);
            Files.move(tmp, gw.deploy().resolve("org.layerlift.planner.cfg"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            awaitStatus(gw, s -> plannerCheck(s).startsWith("planning with '" + NAME + "'"), "the example selected");
            System.out.printf("strategy example: planning with it %.1f s after the planner file was written%n",
                    (System.nanoTime() - selected) / 1e9);

            int exit = run.get(300, TimeUnit.SECONDS);
            String all = out + "\n" + err;
            assertEquals(all, 0, exit);
            JsonNode report = JSON.readTree(json.toFile());
            JsonNode summary = report.get("summary");
            assertEquals(summary.toString(), NAME, summary.get("strategy_now").asText());
            assertTrue("replans: " + summary, summary.get("replans").asInt() >= 1);
            JsonNode byExample = null;
            for (JsonNode r : report.get("replans")) {
                if (NAME.equals(r.path("strategy").asText()) && byExample == null) {
                    byExample = r;
                }
            }
            assertNotNull("a re-plan by " + NAME + ": " + report.get("replans"), byExample);
            assertTrue(byExample.toString(), byExample.get("reason").asText().startsWith("strategy"));
            long firstPlanBytes = 0;
            for (JsonNode p : report.get("partitions")) {
                firstPlanBytes += p.get("bytes").asLong();
            }
            double linkMs = firstPlanBytes * 8.0 / (MBIT * 1e6) * 1000;
            assertTrue("re-planned while the first plan's " + firstPlanBytes + " bytes were still on their way (the "
                    + "link needs " + linkMs + " ms for them): " + byExample,
                    byExample.get("at_ms").asDouble() < linkMs);
            assertTrue(summary.get("upload_done_ms").isNumber());
            assertEquals(all, 0, summary.get("mismatches").asInt());
            assertEquals(0, summary.get("chunks_resent").asInt());
            int version = byExample.get("plan_version").asInt();
            int underExample = 0;
            int offloadedUnderExample = 0;
            for (JsonNode q : report.get("queries")) {
                assertTrue("correct: " + q, q.get("correct").asBoolean());
                if (q.get("plan_version").asInt() >= version) {
                    underExample++;
                    offloadedUnderExample += q.get("offloaded").asBoolean() ? 1 : 0;
                }
            }
            assertTrue("queries under the example's plan: " + report.get("queries"), underExample > 0);
            assertTrue("the gateway's log names the re-plan",
                    gw.gatewayLog().contains("re-planned (strategy) by " + NAME));
            System.out.printf("strategy example: re-planned at %.0f ms (upload done at %.0f ms), %d queries, "
                    + "%d under its plan (%d offloaded), all correct, %d chunks re-sent%n",
                    byExample.get("at_ms").asDouble(), summary.get("upload_done_ms").asDouble(),
                    summary.get("queries").asInt(), underExample, offloadedUnderExample,
                    summary.get("chunks_resent").asInt());
        } finally {
            gw.stop();
        }
    }

    /** The message of the planner's health check in a status, or "". */
    private static String plannerCheck(JsonNode status) {
        for (JsonNode check : status.path("checks")) {
            if ("LayerLift planner".equals(check.path("name").asText())) {
                return check.path("message").asText();
            }
        }
        return "";
    }

    private static boolean bundleActive(JsonNode status, String symbolicName) {
        for (JsonNode b : status.path("bundles")) {
            if (symbolicName.equals(b.path("symbolicName").asText()) && "ACTIVE".equals(b.path("state").asText())) {
                return true;
            }
        }
        return false;
    }

    /** Reads the retained status until it shows {@code what} (at most 60 s). */
    private static JsonNode awaitStatus(GatewayProcess gw, Predicate<JsonNode> condition, String what)
            throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode status = GatewayStatus.status(gw);
        while (!condition.test(status)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no status with " + what + " within 60 s; planner: " + plannerCheck(status)
                        + "; problems: " + status.path("problems") + "\n" + gw.output());
            }
            Thread.sleep(200);
            status = GatewayStatus.status(gw);
        }
        return status;
    }

    /** Waits (at most 5 minutes) until the run's output shows {@code text}; fails if the run ends first. */
    private static void awaitOutput(StringWriter out, StringWriter err, String text, CompletableFuture<Integer> run)
            throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        while (!out.toString().contains(text)) {
            if (run.isDone()) {
                throw new AssertionError("the run ended (exit " + run.get() + ") before '" + text + "':\n" + out
                        + "\n" + err);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no '" + text + "' within 5 minutes:\n" + out);
            }
            Thread.sleep(50);
        }
    }
}
