package org.layerlift.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private static final String SHA = "ab".repeat(32);
    private static final String SESSION = "0123456789abcdef0123456789abcdef";

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void manifestRoundTripsWithSnakeCaseFields() throws Exception {
        Messages.Manifest m = new Messages.Manifest("resnet18", "dominator", Map.of("input", List.of(1L, 3L, 224L, 224L)),
                40, null, 0.5, List.of(new Messages.ManifestUnit("conv1", 100, SHA, 1.5)));
        String json = new String(Json.write(m), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"bandwidth_mbps\":40.0"), json);
        assertTrue(json.contains("\"weight_bytes\":100"), json);
        assertFalse(json.contains("strategy"), "absent strategy is left out: " + json);
        assertEquals(m, Json.read(utf8(json), Messages.Manifest.class, "manifest"));
    }

    @Test
    void badFieldsAreNamed() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Json.read(utf8(
                "{\"model_name\":\"m\",\"bandwidth_mbps\":-1,\"units\":[{\"name\":\"a\",\"weight_bytes\":0,"
                        + "\"client_ms\":1}]}"), Messages.Manifest.class, "manifest header"));
        assertEquals(ErrorCode.MALFORMED, e.code());
        assertTrue(e.getMessage().contains("bandwidth_mbps"), e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Json.read(utf8("{\"session\":\"x\"}"),
                Messages.HaveRequest.class, "have request"));
        assertTrue(e.getMessage().contains("session"), e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Json.read(utf8("{\"session\":"), Messages.HaveRequest.class,
                "have request"));
        assertEquals(ErrorCode.MALFORMED, e.code());
        assertFalse(e.getMessage().contains("INCLUDE_SOURCE"), "no parser internals: " + e.getMessage());
        e = assertThrows(ProtocolException.class, () -> Json.read(utf8("[1,2]"), Messages.HaveRequest.class, "x"));
        assertTrue(e.getMessage().contains("JSON object"), e.getMessage());
        assertThrows(ProtocolException.class, () -> Json.read(utf8("{\"session\":\"" + SESSION + "\",\"session\":\""
                + SESSION + "\"}"), Messages.HaveRequest.class, "duplicate keys"));
        assertThrows(ProtocolException.class, () -> Json.read(utf8("{\"session\":\"" + SESSION + "\",\"unit\":\""
                + SHA + "\",\"index\":0,\"unit_size\":10,\"chunk_bytes\":4,\"sha256\":\"AB\"}"),
                Messages.ChunkHeader.class, "chunk header"));
    }

    @Test
    void errorRepliesCarryTheirCode() throws Exception {
        byte[] reply = Json.error(ErrorCode.CHUNK_HASH_MISMATCH, "bytes differ");
        assertEquals("{\"error\":{\"code\":\"chunk_hash_mismatch\",\"message\":\"bytes differ\"}}",
                new String(reply, StandardCharsets.UTF_8));
        assertEquals("chunk_hash_mismatch", Json.error(reply).code());
        ProtocolException e = assertThrows(ProtocolException.class, () -> Json.read(reply, Messages.ChunkAck.class,
                "ack"));
        assertEquals(ErrorCode.CHUNK_HASH_MISMATCH, e.code());
        assertNull(Json.error(utf8("{\"ok\":1}")));
        assertEquals(ErrorCode.INTERNAL, ErrorCode.ofWire("from_a_newer_gateway"));
    }

    @Test
    void envelopeSplitsHeaderAndBody() throws Exception {
        byte[] wire = Envelope.encode(utf8("{\"a\":1}"), new byte[] {1, 2, 3});
        Envelope e = Envelope.decode(wire);
        assertEquals("{\"a\":1}", e.headerText());
        assertEquals(3, e.body().remaining());
        Envelope json = Envelope.decode(utf8("  {\"session\":\"x\"}"));
        assertEquals(0, json.body().remaining());
        assertThrows(ProtocolException.class, () -> Envelope.decode(new byte[] {'L', 'L', 'P', '1', 100, 0, 0, 0}));
        assertThrows(ProtocolException.class, () -> Envelope.decode(utf8("hello")));
        assertThrows(ProtocolException.class, () -> Envelope.decode(new byte[3]));
    }

    @Test
    void topicsStayInTheClientsNamespace() {
        assertEquals("layerlift/v1/c/phone-1/manifest", ProtocolTopics.request("phone-1", "manifest"));
        assertEquals("layerlift/v1/c/+/chunk", ProtocolTopics.requestFilter("chunk"));
        assertEquals("chunk", ProtocolTopics.kind("layerlift/v1/c/phone-1/chunk"));
        assertNull(ProtocolTopics.kind("layerlift/v1/c/phone-1/chunk/x"));
        assertNull(ProtocolTopics.kind("layerlift/v1/gateway/g/status"));
        assertTrue(ProtocolTopics.isOwnTopic("phone-1", "layerlift/v1/c/phone-1/reply/abc"));
        assertFalse(ProtocolTopics.isOwnTopic("phone-1", "layerlift/v1/c/phone-2/reply/abc"));
        assertFalse(ProtocolTopics.isOwnTopic("phone-1", "layerlift/v1/c/phone-10/reply"));
        assertFalse(ProtocolTopics.isOwnTopic("phone-1", "layerlift/v1/c/phone-1/#"));
        assertThrows(IllegalArgumentException.class, () -> ProtocolTopics.request("a/b", "chunk"));
        assertThrows(IllegalArgumentException.class, () -> ProtocolTopics.request("a+", "chunk"));
    }
}
