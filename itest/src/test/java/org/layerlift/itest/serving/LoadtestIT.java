package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.layerlift.cli.Main;
import org.layerlift.protocol.Messages;

/**
 * {@code layerlift loadtest} against the exported gateway: four clients of squeezenet1_1 at once, each with its own
 * id and emulated link, every answer right, nothing lost; and the defect it found — a unit half uploaded by another
 * client in another chunk size is finished, not failed.
 */
public class LoadtestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path work;
    private static GatewayProcess gateway;

    @BeforeClass
    public static void start() throws Exception {
        work = Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "loadtest"));
        gateway = new GatewayProcess(Files.createTempDirectory(work, "gw"), "loadtest-gw");
        gateway.start();
        Serving.awaitServing(gateway);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
    }

    record Run(int exit, String out, JsonNode json) {}

    static Run cli(Path json, String... args) throws Exception {
        StringWriter out = new StringWriter();
        int exit = Main.commandLine(new PrintWriter(out, true), new PrintWriter(out, true)).execute(args);
        return new Run(exit, out.toString(), Files.isRegularFile(json) ? JSON.readTree(json.toFile()) : null);
    }

    @Test
    public void fourClientsAtOnceGetEveryAnswerRightAndLoseNothing() throws Exception {
        Path dir = Files.createTempDirectory(work, "four");
        Path model = Files.copy(OffloadIT.model("squeezenet1_1"), dir.resolve("squeezenet1_1.onnx"));
        Path json = dir.resolve("load.json");
        long t0 = System.nanoTime();
        Run r = cli(json, "loadtest", "--gateway", gateway.uri(), "--clients", "4", "--model", model.toString(),
                "--materialize", "--seed", "21", "--bandwidth", "40mbit", "--slowdown", "8", "--client-prefix", "lt-it",
                "--queries-after-upload", "5", "--json", json.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(r.out(), 0, r.exit());
        assertNotNull(r.out(), r.json());
        JsonNode s = r.json().get("summary");
        for (String key : new String[] {"clients", "queries", "mismatches", "errors", "lost_chunks", "p50_ms",
            "p95_ms", "p99_ms", "offloaded_share", "query_timeout_ms", "latency_bound_ms", "usage"}) {
            assertTrue("summary." + key + " in " + s, s.has(key));
        }
        assertEquals(4, s.get("clients").asInt());
        assertEquals(r.out(), 0, s.get("mismatches").asInt());
        assertEquals(r.out(), 0, s.get("errors").asInt());
        assertEquals(r.out(), 0, s.get("lost_chunks").asInt());
        assertEquals(r.out(), 4, s.get("uploads_done").asInt());
        assertTrue(r.out(), s.get("queries").asInt() >= 4 * 5);
        assertTrue("p99 " + s.get("p99_ms") + " within " + s.get("latency_bound_ms"),
                s.get("p99_ms").asDouble() <= s.get("latency_bound_ms").asDouble());
        assertTrue(s.get("usage").get("loadtest_cores").asDouble() > 0);
        JsonNode clients = r.json().get("clients");
        assertEquals(4, clients.size());
        Set<String> ids = new HashSet<>();
        for (JsonNode c : clients) {
            ids.add(c.get("client_id").asText());
            assertTrue(c.toString(), c.get("queries").asInt() >= 5);
            assertTrue(c.toString(), c.get("upload_s").isNumber());
            assertEquals(c.toString(), 0, c.get("mismatches").asInt());
        }
        assertEquals(Set.of("lt-it-0", "lt-it-1", "lt-it-2", "lt-it-3"), ids);
        assertTrue(r.out(), r.out().contains("summary: 4 clients"));
        System.out.printf("LoadtestIT: 4 clients in %.1f s: %s%n", seconds, s);
    }

    @Test
    public void aUnitHalfUploadedInAnotherChunkSizeIsFinishedNotFailed() throws Exception {
        try (TestModel m = new TestModel("squeezenet1_1", work, 43);
                ProtocolClient other = new ProtocolClient(gateway.uri(), "lt-other")) {
            Messages.Plan plan = Serving.open(other, m, 40, null);
            int largest = 0;
            for (int u = 0; u < m.units.size(); u++) {
                if (m.unitBytes.get(u).length > m.unitBytes.get(largest).length) {
                    largest = u;
                }
            }
            // one chunk of 32 KiB; the client at 40 Mbit/s chunks in 72 KiB (15 ms of link)
            new Uploader(other, plan.session(), 32 * 1024, 1).unit(m.addresses.get(largest),
                    m.unitBytes.get(largest), Set.of(), 1);
            Path dir = Files.createTempDirectory(work, "sizes");
            Path json = dir.resolve("r.json");
            Run r = cli(json, "offload", "--gateway", gateway.uri(), "--model",
                    work.resolve("squeezenet1_1-43/squeezenet1_1.onnx").toString(), "--bandwidth", "40mbit",
                    "--slowdown", "8", "--verify", "--queries-after-upload", "3", "--json", json.toString());
            assertEquals(r.out(), 0, r.exit());
            JsonNode s = r.json().get("summary");
            assertTrue(r.out(), s.get("upload_done_ms").isNumber());
            assertEquals(r.out(), 0, s.get("mismatches").asInt());
        }
    }
}
