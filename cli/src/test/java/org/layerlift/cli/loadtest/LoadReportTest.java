package org.layerlift.cli.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadReportTest {

    static final LoadReport.Setup SETUP = new LoadReport.Setup("squeezenet1_1.onnx", "tcp://127.0.0.1:1883", "lt",
            40, "device 8x slower", "back-to-back", "all at once", "until done", 1000, 55.0,
            LoadReport.bound(1, 1000, 55));
    static final Usage USAGE = new Usage(0.2, 0.4, 0.4, 0.9, 2, 10.0, 1.2,
            List.of(new Usage.ThreadGroupCpu("hivemq-eventloop-#", 4, 3.5)), 1024L);

    static ClientOutcome client(String id, double upload, int mismatches, List<String> errors, double... latencies) {
        List<Double> l = new ArrayList<>();
        List<Boolean> off = new ArrayList<>();
        for (int i = 0; i < latencies.length; i++) {
            l.add(latencies[i]);
            off.add(i % 2 == 0);
        }
        return new ClientOutcome(id, "s-" + id, 900.0, upload, l, off, 1, mismatches, errors, 10, 0, 1000, 0, 1);
    }

    @Test
    void summaryOverEveryClientsQueries() {
        LoadReport r = LoadReport.build(SETUP, List.of(client("lt-0", 1200, 0, List.of(), 10, 20, 30, 40),
                client("lt-1", 1500, 1, List.of("query 3: timeout"), 50, 60)), 0, 0, List.of(), 2.0, "done", USAGE);
        LoadReport.Summary s = r.summary();
        assertEquals(2, s.clients());
        assertEquals(6, s.queries());
        assertEquals(1, s.mismatches());
        assertEquals(1, s.errors());
        assertEquals(30.0, s.p50Ms());
        assertEquals(60.0, s.p95Ms());
        assertEquals(60.0, s.p99Ms());
        assertEquals(3.0 / 6, s.offloadedShare(), 1e-12); // queries 0 and 2 of lt-0, 0 of lt-1
        assertEquals(3.0, s.queriesPerS(), 1e-12);
        assertEquals(1110.0, s.latencyBoundMs());
        assertTrue(s.p99WithinBound());
        assertEquals(2, s.uploadsDone());
        assertEquals(1.5, s.uploadSMax());
        assertEquals(2, s.fallbacks());
        assertEquals(20, s.chunksSent());
        LoadReport.ClientRow c = r.clients().get(0);
        assertEquals("lt-0", c.clientId());
        assertEquals(1.2, c.uploadS());
        assertEquals(20.0, c.p50Ms());
        assertEquals(40.0, c.p99Ms());
        assertEquals(0.5, c.offloadedShare());
        assertEquals(List.of("query 3: timeout"), r.clients().get(1).errorReasons());
        assertFalse(r.passed()); // a mismatch and an error
    }

    @Test
    void passesOnlyWithoutMismatchErrorLostChunkAndWithinTheBound() {
        ClientOutcome ok = client("lt-0", 1000, 0, List.of(), 10, 20);
        assertTrue(LoadReport.build(SETUP, List.of(ok), 0, 0, List.of(), 1, "done", USAGE).passed());
        assertFalse(LoadReport.build(SETUP, List.of(ok), 1, 3, List.of(), 1, "done", USAGE).passed());
        LoadReport checkFailed = LoadReport.build(SETUP, List.of(ok), 0, 0, List.of("lost-chunk check failed"), 1,
                "done", USAGE);
        assertFalse(checkFailed.passed());
        assertEquals(1, checkFailed.summary().errors());
        ClientOutcome slow = client("lt-0", 1000, 0, List.of(), 10, 5000);
        LoadReport r = LoadReport.build(SETUP, List.of(slow), 0, 0, List.of(), 1, "done", USAGE);
        assertFalse(r.summary().p99WithinBound());
        assertFalse(r.passed());
    }

    @Test
    void aClientThatNeverOpenedHasNoLatencies() {
        ClientOutcome never = new ClientOutcome("lt-0", null, null, null, List.of(), List.of(), 0, 0,
                List.of("open: unreachable"), 0, 0, 0, 0, 0);
        LoadReport r = LoadReport.build(SETUP, List.of(never), 0, 0, List.of(), 1, "done", USAGE);
        assertNull(r.summary().p99Ms());
        assertNull(r.summary().p99WithinBound());
        assertNull(r.clients().get(0).uploadS());
        assertEquals(0, r.summary().uploadsDone());
        assertTrue(r.text().contains("error: lt-0: open: unreachable"), r.text());
        assertTrue(r.text().contains("not done"), r.text());
    }

    @Test
    void jsonHasTheIssuesKeysFirstAndTheClients() throws Exception {
        LoadReport r = LoadReport.build(SETUP, List.of(client("lt-0", 1000, 0, List.of(), 10, 20),
                client("lt-1", 1000, 0, List.of(), 30)), 0, 0, List.of(), 1, "done", USAGE);
        JsonNode tree = new ObjectMapper().readTree(r.json());
        List<String> top = new ArrayList<>();
        tree.fieldNames().forEachRemaining(top::add);
        assertEquals(List.of("summary", "clients"), top);
        List<String> keys = new ArrayList<>();
        Iterator<String> it = tree.get("summary").fieldNames();
        while (it.hasNext()) {
            keys.add(it.next());
        }
        assertEquals(List.of("clients", "queries", "mismatches", "errors", "lost_chunks", "p50_ms", "p95_ms", "p99_ms",
                "offloaded_share"), keys.subList(0, 9));
        JsonNode usage = tree.get("summary").get("usage");
        assertEquals(0.4, usage.get("loadtest_cores").asDouble());
        assertEquals("hivemq-eventloop-#", usage.get("gateway_threads").get(0).get("name").asText());
        assertEquals(2, tree.get("clients").size());
        JsonNode c = tree.get("clients").get(1);
        for (String k : new String[] {"client_id", "upload_s", "queries", "p50_ms", "p95_ms", "p99_ms",
            "offloaded_share", "errors", "mismatches"}) {
            assertTrue(c.has(k), k + " in " + c);
        }
        assertEquals("lt-1", c.get("client_id").asText());
    }

    @Test
    void textHasARowPerClientAndTheSummaryLine() {
        LoadReport r = LoadReport.build(SETUP, List.of(client("lt-0", 1234, 0, List.of(), 10, 20),
                client("lt-1", 1000, 0, List.of(), 30)), 0, 0, List.of(), 1, "done", USAGE);
        String text = r.text();
        assertTrue(text.lines().anyMatch(l -> l.startsWith("lt-0") && l.contains("1.23")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("lt-1")), text);
        assertTrue(text.contains("summary: 2 clients, 3 queries"), text);
        assertTrue(text.contains("lost chunks 0"), text);
        assertTrue(text.contains("gateway 1.20 cores (hivemq-eventloop-# 3.5 s)"), text);
    }

    @Test
    void boundIsHopsTimesTimeoutAndTwiceLocal() {
        assertEquals(2000 + 110, LoadReport.bound(2, 1000, 55), 1e-9);
        assertEquals(110, LoadReport.bound(0, 1000, 55), 1e-9);
    }
}
