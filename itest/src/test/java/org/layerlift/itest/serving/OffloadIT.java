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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.layerlift.cli.Main;

/**
 * {@code layerlift offload} (the client library behind it) against the exported gateway on loopback, under device
 * and link emulation: squeezenet1_1 and resnet18 offloaded while they upload (embedded broker and Mosquitto), the
 * same model a second time, a strategy swap mid-upload, the gateway stopped mid-run and restarted, bad input.
 */
public class OffloadIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path work;
    private static GatewayProcess gateway;

    @BeforeClass
    public static void start() throws Exception {
        work = Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "offload"));
        gateway = new GatewayProcess(Files.createTempDirectory(work, "gw"), "offload-gw");
        Files.createDirectories(gateway.deploy());
        Files.copy(Path.of(GatewayProcess.required("layerlift.itest.strategies"), "org.layerlift.strategy.efficiency.jar"),
                gateway.deploy().resolve("org.layerlift.strategy.efficiency.jar"), StandardCopyOption.REPLACE_EXISTING);
        gateway.start();
        Serving.awaitServing(gateway);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
    }

    /** One run of the command line in this JVM. */
    record Run(int exit, String out, String err, JsonNode json, Path dir) {
        JsonNode summary() {
            return json.get("summary");
        }

        String all() {
            return out + err;
        }
    }

    static Path model(String name) {
        return Path.of(GatewayProcess.required("layerlift.testdata.models"), name + ".onnx");
    }

    /** A copy of a test model in its own folder (materialised by the command line with its seed). */
    static Path copy(String name, String tag) throws Exception {
        Path dir = Files.createDirectories(work.resolve("models-" + tag));
        Path to = dir.resolve(name + ".onnx");
        Files.copy(model(name), to, StandardCopyOption.REPLACE_EXISTING);
        return to;
    }

    static Run offload(String uri, String... args) throws Exception {
        return offload(uri, new StringWriter(), args);
    }

    /** A run whose output can be watched while it runs ({@code out}). */
    static Run offload(String uri, StringWriter out, String... args) throws Exception {
        Path dir = Files.createTempDirectory(work, "run");
        List<String> all = new ArrayList<>(List.of("offload", "--gateway", uri, "--json", dir.resolve("r.json")
                .toString(), "--csv", dir.resolve("r.csv").toString(), "--plot", dir.resolve("r.png").toString()));
        all.addAll(List.of(args));
        StringWriter err = new StringWriter();
        int exit = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(all.toArray(String[]::new));
        Path json = dir.resolve("r.json");
        JsonNode tree = Files.isRegularFile(json) ? JSON.readTree(json.toFile()) : null;
        return new Run(exit, out.toString(), err.toString(), tree, dir);
    }

    /** Every answer right, something offloaded, later queries faster than the first, the files written. */
    static void assertOffloaded(Run r) throws Exception {
        assertEquals(r.all(), 0, r.exit());
        assertNotNull("JSON written:\n" + r.all(), r.json());
        JsonNode s = r.summary();
        for (String field : new String[] {"strategy", "mean_latency_during_upload_ms",
            "predicted_mean_latency_during_upload_ms", "local_latency_ms", "upload_done_ms", "bytes_uploaded",
            "bytes_skipped", "chunks_resent", "replans", "queries", "offloaded_queries", "local_fallbacks",
            "mismatches"}) {
            assertTrue("summary has " + field + ": " + s, s.has(field));
        }
        assertEquals(r.all(), 0, s.get("mismatches").asInt());
        assertEquals(0, s.get("chunks_resent").asInt());
        assertTrue("offloaded queries: " + s, s.get("offloaded_queries").asInt() > 0);
        assertTrue(s.get("predicted_mean_latency_during_upload_ms").asDouble() > 0);
        JsonNode queries = r.json().get("queries");
        assertTrue(queries.size() >= 3);
        for (JsonNode q : queries) {
            for (String field : new String[] {"start_ms", "latency_ms", "partition", "segments", "offloaded",
                "correct"}) {
                assertTrue("query has " + field + ": " + q, q.has(field));
            }
            assertTrue("correct: " + q, q.get("correct").asBoolean());
        }
        // later queries faster than the first: the median of those after the upload (one slow hop on a busy
        // machine, and the local queries the router then picks for a while, must not decide it)
        double first = queries.get(0).get("latency_ms").asDouble();
        double done = s.get("upload_done_ms").asDouble();
        List<Double> after = new ArrayList<>();
        for (JsonNode q : queries) {
            if (q.get("start_ms").asDouble() >= done) {
                after.add(q.get("latency_ms").asDouble());
            }
        }
        assertTrue("queries after the upload: " + after, after.size() >= 3);
        after.sort(null);
        double median = after.get(after.size() / 2);
        assertTrue("later queries faster than the first: first " + first + " ms, median after the upload " + median
                + " ms of " + after, median < first);
        for (JsonNode p : r.json().get("partitions")) {
            for (String field : new String[] {"units", "bytes", "ready_ms", "predicted_ready_ms"}) {
                assertTrue("partition has " + field + ": " + p, p.has(field));
            }
        }
        List<String> csv = Files.readAllLines(r.dir().resolve("r.csv"), StandardCharsets.UTF_8);
        assertEquals(queries.size() + 1, csv.size());
        assertTrue(csv.get(0), csv.get(0).contains("latency_ms"));
        byte[] png = Files.readAllBytes(r.dir().resolve("r.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    }

    @Test
    public void squeezenetOffloadsWhileUploadingThenASecondClientUploadsNothing() throws Exception {
        Path m = copy("squeezenet1_1", "shared");
        Run a = offload(gateway.uri(), "--model", m.toString(), "--materialize", "--bandwidth", "40mbit",
                "--slowdown", "20", "--client-id", "phone-sq-a", "--queries-after-upload", "8", "--verify");
        assertOffloaded(a);
        assertTrue(a.summary().get("bytes_uploaded").asLong() > 1_000_000);
        assertFalse("no stack trace: " + a.all(), a.all().contains("\tat "));

        Run b = offload(gateway.uri(), "--model", m.toString(), "--materialize", "--bandwidth", "40mbit",
                "--slowdown", "20", "--client-id", "phone-sq-b", "--queries-after-upload", "5", "--verify");
        assertEquals(b.all(), 0, b.exit());
        assertEquals(b.all(), 0, b.summary().get("bytes_uploaded").asLong());
        assertTrue(b.summary().get("bytes_skipped").asLong() > 0);
        assertEquals(0, b.summary().get("mismatches").asInt());
        // the gateway holds every unit but builds this plan's segments only now; the open waits for them at most
        // one local query's time, so on a loaded machine the first query may still run locally: all but one are
        // offloaded
        int bQueries = b.summary().get("queries").asInt();
        assertTrue("queries offloaded: " + b.json().get("queries"), bQueries >= 5
                && b.summary().get("offloaded_queries").asInt() >= bQueries - 1);
    }

    @Test
    public void resnet18ThroughMosquitto() throws Exception {
        ShippedMosquitto mosquitto = new ShippedMosquitto(Files.createTempDirectory(work, "mosquitto"));
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw-mosquitto"), "offload-mq");
        try {
            gw.start(mosquitto.uri());
            Serving.awaitServing(gw, mosquitto.uri());
            Run r = offload(mosquitto.uri(), "--model", copy("resnet18", "mq").toString(), "--materialize",
                    "--bandwidth", "80mbit", "--slowdown", "8", "--client-id", "phone-rn-mq",
                    "--queries-after-upload", "5", "--verify");
            assertOffloaded(r);
        } finally {
            gw.stop();
            mosquitto.close();
        }
    }

    @Test
    public void aStrategySwappedMidUploadReplansAndTheRunFinishesCorrectly() throws Exception {
        // 30x: resnet18's 602 KB input takes 240 ms at 20 Mbit/s; at 8x a machine that runs it in 23 ms (local 188)
        // has no route worth a partition, and the plan is empty (seen on a faster machine)
        Path m = copy("resnet18", "swap");
        StringWriter out = new StringWriter();
        CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> {
            try {
                return offload(gateway.uri(), out, "--model", m.toString(), "--materialize", "--seed", "11",
                        "--bandwidth", "20mbit", "--slowdown", "30", "--client-id", "phone-swap",
                        "--queries-after-upload", "5", "--verify");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            // once the plan is there and the upload runs: the operator swaps the strategy
            awaitOutput(out, "partition 0 ready", run);
            writePlanner("efficiency");
            Run r = run.get(300, TimeUnit.SECONDS);
            assertEquals(r.all(), 0, r.exit());
            assertTrue("replans: " + r.summary(), r.summary().get("replans").asInt() >= 1);
            assertEquals(0, r.summary().get("mismatches").asInt());
            assertEquals(0, r.summary().get("chunks_resent").asInt());
            assertTrue(r.summary().get("upload_done_ms").isNumber());
        } finally {
            writePlanner("frontier");
        }
    }

    @Test
    public void theGatewayStoppedMidRunMeansLocalQueriesThenAResumeWithNothingResent() throws Exception {
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw-stop"), "offload-stop");
        gw.start();
        Serving.awaitServing(gw);
        Path m = copy("resnet18", "stop");
        StringWriter out = new StringWriter();
        CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> {
            try {
                return offload(gw.uri(), out, "--model", m.toString(), "--materialize", "--seed", "12", "--bandwidth",
                        "20mbit", "--slowdown", "30", "--client-id", "phone-stop", "--queries-after-upload", "5",
                        "--verify");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            // mid-upload: some partitions are there, most of the bytes are not
            awaitOutput(out, "partition 1 ready", run);
            double killedAtS = uploadSeconds(out);
            gw.kill();
            Thread.sleep(5000);
            gw.start();
            Run r = run.get(300, TimeUnit.SECONDS);
            assertEquals(r.all(), 0, r.exit());
            assertTrue("a warning when the gateway went away:\n" + r.all(), r.all().contains("warning: disconnected"));
            assertEquals(r.all(), 0, r.summary().get("chunks_resent").asInt());
            assertEquals(0, r.summary().get("mismatches").asInt());
            assertTrue(r.summary().get("upload_done_ms").isNumber());
            boolean localDuringOutage = false;
            for (JsonNode q : r.json().get("queries")) {
                localDuringOutage |= !q.get("offloaded").asBoolean()
                        && q.get("start_ms").asDouble() > killedAtS * 1000;
            }
            assertTrue("queries ran locally while the gateway was away", localDuringOutage);
        } finally {
            gw.stop();
        }
    }

    /**
     * The library on its own: a link four times slower than the estimate the first plan used is measured and
     * reported, and the gateway's new plan (at about the measured rate) is taken.
     */
    @Test
    public void aLinkSlowerThanTheEstimateIsReportedAndReplanned() throws Exception {
        Path m = copy("squeezenet1_1", "drift");
        org.layerlift.model.surgery.Materializer.materialize(m, 31L);
        try (org.layerlift.client.LayerLiftClient client = org.layerlift.client.LayerLiftClient.connect(
                org.layerlift.client.ClientOptions.of(gateway.uri(), "phone-drift").withLink(
                        org.layerlift.client.LinkEmulation.symmetric(org.layerlift.client.Bandwidth.parse("10mbit"))));
                org.layerlift.client.OffloadSession session = client.open(org.layerlift.client.OffloadOptions.of(m,
                        org.layerlift.client.Bandwidth.parse("40mbit")).withDevice(
                                org.layerlift.client.DeviceEmulation.slowdown(8)))) {
            assertEquals(40, session.firstPlan().bandwidthMbps(), 1e-9);
            assertTrue("uploaded within 2 minutes", session.awaitUploaded(java.time.Duration.ofMinutes(2)));
            org.layerlift.client.SessionProgress p = session.progress();
            assertTrue("a bandwidth report: " + p, p.bandwidthReports() >= 1);
            assertTrue("a new plan: " + p, p.replans() >= 1);
            double planned = session.plan().bandwidthMbps();
            assertTrue("the new plan assumes about the measured 10 Mbit/s, not 40: " + planned,
                    planned > 6 && planned < 14);
            assertEquals(0, p.chunksResent());
        }
    }

    @Test
    public void badInputIsOneLineAndANonZeroExit() throws Exception {
        Path m = copy("squeezenet1_1", "bad");
        Run unknown = offload(gateway.uri(), "--model", m.toString(), "--materialize", "--bandwidth", "40mbit",
                "--slowdown", "8", "--client-id", "phone-bad", "--strategy", "no-such-strategy");
        assertEquals(unknown.all(), 1, unknown.exit());
        assertTrue(unknown.all(), unknown.all().contains("unknown_strategy"));
        assertFalse(unknown.all(), unknown.all().contains("\tat "));

        int closed = GatewayProcess.freePort();
        long t0 = System.nanoTime();
        Run unreachable = offload("tcp://127.0.0.1:" + closed, "--model", m.toString(), "--materialize",
                "--bandwidth", "40mbit", "--client-id", "phone-bad");
        assertEquals(unreachable.all(), 1, unreachable.exit());
        assertTrue(unreachable.all(), unreachable.all().toLowerCase().contains("reach"));
        assertTrue("no hang", (System.nanoTime() - t0) / 1e9 < 60);

        Run bandwidth = offload(gateway.uri(), "--model", m.toString(), "--bandwidth", "fast");
        assertEquals(bandwidth.all(), 2, bandwidth.exit());
        assertTrue(bandwidth.all(), bandwidth.all().contains("40mbit"));

        Path input = work.resolve("wrong-shape.pb");
        Files.write(input, ai.onnx.proto.OnnxMl.TensorProto.newBuilder().setName("input").setDataType(1)
                .addDims(1).addDims(3).addDims(8).addDims(8)
                .setRawData(com.google.protobuf.ByteString.copyFrom(new byte[4 * 3 * 64])).build().toByteArray());
        Run shape = offload(gateway.uri(), "--model", m.toString(), "--materialize", "--bandwidth", "40mbit",
                "--client-id", "phone-bad", "--input", input.toString());
        assertEquals(shape.all(), 1, shape.exit());
        assertTrue(shape.all(), shape.all().contains("shape"));
        assertFalse(shape.all(), shape.all().contains("\tat "));
    }

    /** Waits (at most 5 minutes) until the run's output shows {@code text}; fails if the run ends first. */
    static void awaitOutput(StringWriter out, String text, CompletableFuture<Run> run) throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        while (!out.toString().contains(text)) {
            if (run.isDone()) {
                throw new AssertionError("the run ended before '" + text + "':\n" + run.get().all());
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no '" + text + "' within 5 minutes:\n" + out);
            }
            Thread.sleep(50);
        }
    }

    /** The time stamp (s since the upload started) of the last progress line so far. */
    static double uploadSeconds(StringWriter out) {
        double last = 0;
        for (String line : out.toString().split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([0-9]+\\.[0-9]+) s ").matcher(line);
            if (m.find()) {
                last = Double.parseDouble(m.group(1));
            }
        }
        return last;
    }

    private static void writePlanner(String strategy) throws Exception {
        Path tmp = gateway.deploy().resolve("org.layerlift.planner.cfg.tmp");
        Files.writeString(tmp, "strategy=" + strategy + "\ndefault.strategy=ionn\n", StandardCharsets.UTF_8);
        Files.move(tmp, gateway.deploy().resolve("org.layerlift.planner.cfg"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
