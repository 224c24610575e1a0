package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ai.onnxruntime.OnnxTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.partition.Segment;
import org.layerlift.protocol.Envelope;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;
import org.layerlift.protocol.TensorCodec;

/**
 * Bad input, one case at a time: each gets an error reply with its reason code, is logged once however often it
 * comes, and leaves the store and the other sessions as they were.
 */
public class ServingBadInputIT {

    private static GatewayProcess gateway;
    private static Path work;
    private static TestModel model;
    private static ProtocolClient good;
    private static Messages.Plan goodPlan;
    private static Map<String, OnnxTensor> inputs;
    private static Map<String, double[]> reference;
    private static List<Segment> segments;

    @BeforeClass
    public static void start() throws Exception {
        work = Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "bad"));
        gateway = new GatewayProcess(Files.createTempDirectory(work, "gw"), "bad-gw");
        gateway.start();
        Serving.awaitServing(gateway);
        model = new TestModel("squeezenet1_1", work, 51);
        good = new ProtocolClient(gateway.uri(), "phone-good");
        goodPlan = Serving.open(good, model, 40, null);
        new Uploader(good, goodPlan.session(), goodPlan.chunkBytes(), 4).all(model);
        Messages.PlanPartition last = goodPlan.partitions().get(goodPlan.partitions().size() - 1);
        Serving.await(good, Messages.Event.PARTITION_READY, last.index(), 120_000);
        segments = Serving.segments(last);
        inputs = model.inputs(1);
        reference = model.local(inputs);
    }

    @AfterClass
    public static void stop() throws Exception {
        try {
            assertGoodClientIntact();
        } finally {
            if (good != null) {
                good.close();
            }
            if (model != null) {
                model.close();
            }
            if (gateway != null) {
                gateway.stop();
            }
        }
    }

    private static void assertGoodClientIntact() throws Exception {
        Serving.assertClose(reference, model.offload(good, goodPlan.session(), segments, inputs), "the good client");
        assertTrue(Serving.have(good, goodPlan.session()).units().stream().allMatch(Messages.UnitHolding::complete));
    }

    private static String code(ProtocolClient c, String kind, byte[] payload) throws Exception {
        byte[] reply = c.request(kind, payload, 1).get(120, TimeUnit.SECONDS);
        Messages.ErrorBody e = Json.error(reply);
        return e == null ? "ok" : e.code();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void malformedTruncatedAndOversizeMessages() throws Exception {
        try (ProtocolClient c = new ProtocolClient(gateway.uri(), "phone-malformed")) {
            assertEquals("malformed", code(c, ProtocolTopics.MANIFEST, utf8("{\"model_name\": \"x\", ")));
            assertEquals("malformed", code(c, ProtocolTopics.HAVE, utf8("{\"session\": 5}")));
            assertEquals("malformed", code(c, ProtocolTopics.HAVE, utf8("not json at all")));
            byte[] manifest = model.manifest(40, null);
            assertEquals("malformed", code(c, ProtocolTopics.MANIFEST, java.util.Arrays.copyOf(manifest, 6)));
            byte[] lying = manifest.clone();
            ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putInt(4, lying.length * 2);
            assertEquals("malformed", code(c, ProtocolTopics.MANIFEST, lying));
            assertEquals("payload_too_large", code(c, ProtocolTopics.CHUNK, new byte[17 * 1024 * 1024]));
            // a topic of no request kind: the gateway does not subscribe to it, nothing answers
            assertTrue(c.request("nonsense", utf8("{}"), 1).completeOnTimeout(null, 2, TimeUnit.SECONDS)
                    .get() == null);
        }
        assertGoodClientIntact();
    }

    @Test
    public void manifestsThatDoNotParseOrDisagree() throws Exception {
        try (ProtocolClient c = new ProtocolClient(gateway.uri(), "phone-manifest")) {
            Envelope e = Envelope.decode(model.manifest(40, null));
            byte[] header = e.header();
            assertEquals("bad_manifest", code(c, ProtocolTopics.MANIFEST, Envelope.encode(header,
                    utf8("this is no ONNX model"))));
            assertEquals("bad_manifest", code(c, ProtocolTopics.MANIFEST, Envelope.encode(header, new byte[0])));
            Messages.Manifest m = Json.read(header, Messages.Manifest.class, "manifest");
            List<Messages.ManifestUnit> fewer = m.units().subList(0, m.units().size() - 1);
            assertEquals("manifest_mismatch", code(c, ProtocolTopics.MANIFEST, Envelope.encode(Json.write(
                    new Messages.Manifest(m.modelName(), m.granularity(), m.inputShapes(), 40, null, 0, fewer)),
                    model.graphBytes)));
            List<Messages.ManifestUnit> wrongSize = new ArrayList<>(m.units());
            Messages.ManifestUnit u0 = wrongSize.get(0);
            wrongSize.set(0, new Messages.ManifestUnit(u0.name(), u0.weightBytes() + 4, u0.sha256(), u0.clientMs()));
            assertEquals("manifest_mismatch", code(c, ProtocolTopics.MANIFEST, Envelope.encode(Json.write(
                    new Messages.Manifest(m.modelName(), m.granularity(), m.inputShapes(), 40, null, 0, wrongSize)),
                    model.graphBytes)));
            assertEquals("unknown_strategy", code(c, ProtocolTopics.MANIFEST, model.manifest(40, "no-such-strategy")));
            assertEquals("bad_manifest", code(c, ProtocolTopics.MANIFEST, Envelope.encode(Json.write(
                    new Messages.Manifest(m.modelName(), m.granularity(), Map.of("no_such_input", List.of(1L)), 40,
                            null, 0, m.units())), model.graphBytes)));
        }
        assertGoodClientIntact();
    }

    @Test
    public void badChunksAreRefusedAndGoodOnesInAnyOrderComplete() throws Exception {
        try (TestModel own = new TestModel("squeezenet1_1", work, 52);
                ProtocolClient c = new ProtocolClient(gateway.uri(), "phone-chunks")) {
            Messages.Plan plan = Serving.open(c, own, 40, null);
            int unit = 0;
            for (int u = 0; u < own.units.size(); u++) {
                if (own.unitBytes.get(u).length > own.unitBytes.get(unit).length) {
                    unit = u;
                }
            }
            byte[] bytes = own.unitBytes.get(unit);
            String address = own.addresses.get(unit);
            int chunkBytes = 64 * 1024;
            int count = (bytes.length + chunkBytes - 1) / chunkBytes;
            assertTrue("a unit of several chunks", count >= 3);
            // a chunk whose bytes do not match its hash
            byte[] ok = Uploader.chunk(plan.session(), address, bytes, chunkBytes, 1);
            byte[] flipped = ok.clone();
            flipped[flipped.length - 1] ^= 1;
            assertEquals("chunk_hash_mismatch", code(c, ProtocolTopics.CHUNK, flipped));
            // out of range, wrong unit size, unknown unit, unknown session, another client's session
            Envelope e = Envelope.decode(ok);
            Messages.ChunkHeader h = Json.read(e.header(), Messages.ChunkHeader.class, "chunk");
            assertEquals("bad_chunk", code(c, ProtocolTopics.CHUNK, Envelope.encode(Json.write(new Messages.ChunkHeader(
                    h.session(), h.unit(), count + 5, h.unitSize(), h.chunkBytes(), h.sha256())), e.body())));
            assertEquals("bad_chunk", code(c, ProtocolTopics.CHUNK, Envelope.encode(Json.write(new Messages.ChunkHeader(
                    h.session(), h.unit(), 1, h.unitSize() + 1, h.chunkBytes(), h.sha256())), e.body())));
            assertEquals("unknown_unit", code(c, ProtocolTopics.CHUNK, Envelope.encode(Json.write(
                    new Messages.ChunkHeader(h.session(), "e".repeat(64), 1, h.unitSize(), h.chunkBytes(),
                            h.sha256())), e.body())));
            assertEquals("unknown_session", code(c, ProtocolTopics.CHUNK, Envelope.encode(Json.write(
                    new Messages.ChunkHeader(goodPlan.session(), h.unit(), 1, h.unitSize(), h.chunkBytes(),
                            h.sha256())), e.body())));
            // out of order (last first), then a duplicate: all accepted; the unit completes verified
            List<Integer> order = new ArrayList<>();
            for (int i = count - 1; i >= 0; i--) {
                order.add(i);
            }
            Messages.ChunkAck last = null;
            for (int i : order) {
                byte[] reply = c.call(ProtocolTopics.CHUNK, Uploader.chunk(plan.session(), address, bytes, chunkBytes, i));
                last = Json.read(reply, Messages.ChunkAck.class, "ack");
                assertFalse(last.duplicate());
            }
            assertTrue(last.unitComplete());
            Messages.ChunkAck dup = Json.read(c.call(ProtocolTopics.CHUNK, Uploader.chunk(plan.session(), address,
                    bytes, chunkBytes, 0)), Messages.ChunkAck.class, "ack");
            assertTrue("a chunk sent again is acknowledged as a duplicate", dup.duplicate());
        }
        assertGoodClientIntact();
    }

    @Test
    public void badQueriesGetTheirReasons() throws Exception {
        Segment s = segments.get(0);
        byte[] tensors = TensorCodec.encode(List.of(new TensorData("nope", 1, new long[] {1, 4},
                ByteBuffer.allocate(16))));
        try (ProtocolClient c = new ProtocolClient(gateway.uri(), "phone-query")) {
            assertEquals("unknown_session", code(c, ProtocolTopics.QUERY, Envelope.encode(Json.write(
                    new Messages.QueryHeader("1".repeat(32), s.first(), s.last())), tensors)));
        }
        // the good client's own session, with wrong tensors: names, types, shapes, sizes, segments
        String session = goodPlan.session();
        assertEquals("bad_input", code(good, ProtocolTopics.QUERY, Envelope.encode(Json.write(
                new Messages.QueryHeader(session, s.first(), s.last())), tensors)));
        org.layerlift.model.surgery.Part part = model.cut(segments).serverParts().get(0);
        String input = part.inputs().get(0);
        long[] shape = model.shapes.shape(input);
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        byte[] asInt64 = TensorCodec.encode(List.of(new TensorData(input, 7, shape, ByteBuffer.allocate(n * 8))));
        assertEquals("bad_input", code(good, ProtocolTopics.QUERY, Envelope.encode(Json.write(
                new Messages.QueryHeader(session, s.first(), s.last())), asInt64)));
        long[] wrong = shape.clone();
        wrong[wrong.length - 1] += 1;
        int m = n / (int) shape[shape.length - 1] * (int) wrong[wrong.length - 1];
        byte[] wrongShape = TensorCodec.encode(List.of(new TensorData(input, 1, wrong, ByteBuffer.allocate(m * 4))));
        assertEquals("bad_input", code(good, ProtocolTopics.QUERY, Envelope.encode(Json.write(
                new Messages.QueryHeader(session, s.first(), s.last())), wrongShape)));
        byte[] good4 = TensorCodec.encode(List.of(new TensorData(input, 1, shape, ByteBuffer.allocate(n * 4))));
        byte[] shortData = java.util.Arrays.copyOf(good4, good4.length - 4);
        assertEquals("malformed", code(good, ProtocolTopics.QUERY, Envelope.encode(Json.write(
                new Messages.QueryHeader(session, s.first(), s.last())), shortData)));
        assertEquals("bad_segment", code(good, ProtocolTopics.QUERY, Envelope.encode(Json.write(
                new Messages.QueryHeader(session, 0, model.units.size() + 3)), good4)));
        assertGoodClientIntact();
    }

    @Test
    public void aFloodOfOneBadMessageIsLoggedOnce() throws Exception {
        try (ProtocolClient c = new ProtocolClient(gateway.uri(), "phone-repeat")) {
            for (int i = 0; i < 200; i++) {
                c.request(ProtocolTopics.HAVE, utf8("{\"session\": \"bad\"}"), 0);
            }
            // while the flood is still being answered the gateway may refuse this one as overloaded: retry, bounded
            String last = "overloaded";
            for (int i = 0; i < 100 && last.equals("overloaded"); i++) {
                last = code(c, ProtocolTopics.HAVE, utf8("{\"session\": \"bad\"}"));
                if (last.equals("overloaded")) {
                    Thread.sleep(100);
                }
            }
            assertEquals("malformed", last);
        }
        Thread.sleep(1000);
        long lines = Files.readAllLines(gateway.log()).stream()
                .filter(l -> l.contains("client phone-repeat: malformed")).count();
        assertEquals("one log line for 201 bad messages of one kind from one client", 1, lines);
        assertGoodClientIntact();
    }
}
