package org.layerlift.cli.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.client.Prediction;
import org.layerlift.client.QueryResult;
import org.layerlift.client.SessionEvent;
import org.layerlift.client.SessionProgress;
import org.layerlift.protocol.Messages;

class ReportTest {

    @TempDir
    Path dir;

    static SessionProgress progress(int version, double uploadDoneMs) {
        return new SessionProgress("s1", "frontier", version, 3000, 2000, 1000, 2, 2, 5, 1, version - 1, 0, 4, 2, 1,
                uploadDoneMs, 39.5, true);
    }

    static OffloadReport report(boolean verify) {
        Messages.Plan plan = new Messages.Plan("s1", "m", 1, "frontier", "offload", 40, 1024, 2000, 1000, 80, 0, 0,
                List.of(), List.of(
                        new Messages.PlanPartition(0, List.of(0, 1), List.of(new Messages.SegmentRef(0, 1)), 1200,
                                250, 60, false),
                        new Messages.PlanPartition(1, List.of(2, 3), List.of(new Messages.SegmentRef(0, 3)), 800,
                                450, 30, false)));
        Prediction prediction = new Prediction(55, 450, 80, List.of(250.0, 450.0),
                List.of(new Prediction.Point(0, 80, -1), new Prediction.Point(80, 60, 0),
                        new Prediction.Point(300, 30, 1)));
        ByteBuffer none = ByteBuffer.allocate(0);
        List<QueryResult> results = List.of(
                new QueryResult(List.of(), 0, 80, -1, 1, List.of(new QueryResult.SegmentRun(0, 3, "client", 80)),
                        false, false, null),
                new QueryResult(List.of(), 90, 62, 0, 1, List.of(new QueryResult.SegmentRun(0, 1, "gateway", 40),
                        new QueryResult.SegmentRun(2, 3, "client", 22)), true, false, null),
                new QueryResult(List.of(), 300, 120, 0, 1, List.of(new QueryResult.SegmentRun(0, 3, "client", 120)),
                        false, true, "hop timed out"),
                new QueryResult(List.of(), 500, 31, 1, 2, List.of(new QueryResult.SegmentRun(0, 3, "gateway", 31)),
                        true, false, null));
        List<SessionEvent> events = List.of(
                new SessionEvent(SessionEvent.PARTITION_READY, 260, 0, null, progress(1, -1)),
                new SessionEvent(SessionEvent.REPLAN, 400, -1, "bandwidth drifted", progress(2, -1)),
                new SessionEvent(SessionEvent.PARTITION_READY, 470, 1, null, progress(2, 470)));
        OffloadReport.Setup setup = new OffloadReport.Setup("m.onnx", "tcp://127.0.0.1:1", "c1", 40,
                "device 8x slower", Pacing.backToBack(), verify);
        return OffloadReport.build(setup, plan, prediction, results, verify ? List.of(0.0, 1e-5, 0.0, 0.5) : null,
                events, progress(2, 470), "done");
    }

    @Test
    void jsonHasTheFieldsOfTheIssue() throws Exception {
        Path file = dir.resolve("r.json");
        ReportFiles.writeJson(file, report(true));
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        JsonNode s = root.get("summary");
        for (String f : new String[] {"strategy", "mean_latency_during_upload_ms",
            "predicted_mean_latency_during_upload_ms", "local_latency_ms", "upload_done_ms", "bytes_uploaded",
            "bytes_skipped", "chunks_resent", "replans", "queries", "offloaded_queries", "local_fallbacks",
            "mismatches"}) {
            assertTrue(s.has(f), f);
        }
        assertEquals("frontier", s.get("strategy").asText());
        // queries started before 470 ms: 80, 62, 120
        assertEquals((80 + 62 + 120) / 3.0, s.get("mean_latency_during_upload_ms").asDouble(), 1e-9);
        assertEquals(55, s.get("predicted_mean_latency_during_upload_ms").asDouble());
        assertEquals(80, s.get("local_latency_ms").asDouble());
        assertEquals(470, s.get("upload_done_ms").asDouble());
        assertEquals(2000, s.get("bytes_uploaded").asLong());
        assertEquals(1000, s.get("bytes_skipped").asLong());
        assertEquals(1, s.get("chunks_resent").asLong());
        assertEquals(1, s.get("replans").asInt());
        assertEquals(4, s.get("queries").asInt());
        assertEquals(2, s.get("offloaded_queries").asInt());
        assertEquals(1, s.get("local_fallbacks").asInt());
        assertEquals(1, s.get("mismatches").asInt());
        JsonNode p = root.get("partitions");
        assertEquals(2, p.size());
        for (String f : new String[] {"units", "bytes", "ready_ms", "predicted_ready_ms"}) {
            assertTrue(p.get(0).has(f), f);
        }
        assertEquals(260, p.get(0).get("ready_ms").asDouble());
        assertTrue(p.get(1).get("ready_ms").isNull(), "ready under plan 2 only");
        assertEquals(450, p.get(1).get("predicted_ready_ms").asDouble());
        assertEquals(1200, p.get(0).get("bytes").asLong());
        JsonNode q = root.get("queries");
        assertEquals(4, q.size());
        for (String f : new String[] {"start_ms", "latency_ms", "partition", "segments", "offloaded", "correct"}) {
            assertTrue(q.get(1).has(f), f);
        }
        assertEquals("gateway", q.get(1).get("segments").get(0).get("where").asText());
        assertEquals(0, q.get(1).get("segments").get(0).get("first").asInt());
        assertEquals(1, q.get(1).get("segments").get(0).get("last").asInt());
        assertFalse(q.get(3).get("correct").asBoolean());
        assertTrue(q.get(1).get("correct").asBoolean());
        JsonNode r = root.get("replans");
        assertEquals(1, r.size());
        assertEquals(400, r.get(0).get("at_ms").asDouble());
        assertEquals(2, r.get(0).get("plan_version").asInt());
        assertEquals("bandwidth drifted", r.get(0).get("reason").asText());
    }

    @Test
    void withoutVerifyNoCorrectnessFields() throws Exception {
        JsonNode root = new ObjectMapper().readTree(ReportFiles.json(report(false)));
        assertTrue(root.get("summary").get("mismatches").isNull());
        assertFalse(root.get("queries").get(0).has("correct"));
    }

    @Test
    void csvHasOneRowPerQuery() throws Exception {
        Path file = dir.resolve("q.csv");
        ReportFiles.writeCsv(file, report(true));
        List<String> lines = Files.readAllLines(file);
        assertEquals(ReportFiles.CSV_HEADER, lines.get(0));
        assertEquals(5, lines.size());
        assertEquals("1,90.000,62.000,0,1,true,false,true,1.00e-05,0-1:gateway 2-3:client", lines.get(2));
    }

    @Test
    void summaryTableNamesTheFields() {
        String t = OffloadRun.summaryTable(report(true));
        assertTrue(t.contains("mean latency during upload ms"), t);
        assertTrue(t.contains("mismatches"), t);
        assertTrue(t.contains("stopped: done"), t);
    }

    @Test
    void plotIsAPng() throws Exception {
        Path file = dir.resolve("p.png");
        OffloadPlot.write(file, report(true), 640, 400);
        byte[] png = Files.readAllBytes(file);
        assertTrue(png.length > 1000);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(png, 8));
    }
}
