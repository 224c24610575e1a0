package org.layerlift.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The framing of every message: a JSON header and an optional binary body.
 *
 * <pre>
 * bytes 0..3    magic "LLP1"
 * bytes 4..7    header length H, unsigned 32-bit little-endian
 * bytes 8..8+H  header: one UTF-8 JSON object
 * the rest      body (an ONNX graph, a chunk's bytes, a tensor block), opaque to the envelope
 * </pre>
 *
 * A payload that starts with '{' (after optional whitespace) is a header alone with an empty body, so JSON-only
 * requests can be sent from a shell ({@code mosquitto_rr -m '{...}'}).
 *
 * @param header the header's UTF-8 JSON bytes
 * @param body   the body (read-only view into the payload; empty when there is none)
 */
public record Envelope(byte[] header, ByteBuffer body) {

    /** "LLP1" */
    public static final int MAGIC = 0x3150_4C4C;
    /** The largest header accepted: headers are small JSON objects. */
    public static final int MAX_HEADER_BYTES = 64 * 1024;

    public static Envelope json(byte[] header) {
        return new Envelope(header, ByteBuffer.allocate(0));
    }

    /** Encodes a header and a body into one payload. */
    public static byte[] encode(byte[] header, ByteBuffer body) {
        ByteBuffer b = body.duplicate();
        byte[] out = new byte[8 + header.length + b.remaining()];
        ByteBuffer o = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        o.putInt(MAGIC).putInt(header.length).put(header).put(b);
        return out;
    }

    /** A header and a tensor block as one payload, written in one pass (no intermediate copy of the tensors). */
    public static byte[] encodeTensors(byte[] header, java.util.List<org.layerlift.api.inference.TensorData> tensors) {
        byte[] out = new byte[8 + header.length + TensorCodec.size(tensors)];
        ByteBuffer o = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        o.putInt(MAGIC).putInt(header.length).put(header);
        TensorCodec.write(tensors, o);
        return out;
    }

    public static byte[] encode(byte[] header, byte[] body) {
        return encode(header, ByteBuffer.wrap(body));
    }

    /**
     * Splits a payload into header and body.
     *
     * @throws ProtocolException MALFORMED when the payload is neither an envelope nor a JSON object
     */
    public static Envelope decode(byte[] payload) throws ProtocolException {
        int i = 0;
        while (i < payload.length && (payload[i] == ' ' || payload[i] == '\n' || payload[i] == '\r'
                || payload[i] == '\t')) {
            i++;
        }
        if (i < payload.length && payload[i] == '{') {
            if (payload.length > MAX_HEADER_BYTES) {
                throw new ProtocolException(ErrorCode.MALFORMED, "a JSON-only message is limited to "
                        + MAX_HEADER_BYTES + " bytes, this one has " + payload.length);
            }
            return json(payload);
        }
        if (payload.length < 8) {
            throw new ProtocolException(ErrorCode.MALFORMED, "not a LayerLift message: " + payload.length
                    + " bytes, neither a JSON object nor an LLP1 envelope");
        }
        ByteBuffer p = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        if (p.getInt() != MAGIC) {
            throw new ProtocolException(ErrorCode.MALFORMED,
                    "not a LayerLift message: it starts neither with '{' nor with the LLP1 magic");
        }
        long headerLength = Integer.toUnsignedLong(p.getInt());
        if (headerLength > MAX_HEADER_BYTES || headerLength > payload.length - 8) {
            throw new ProtocolException(ErrorCode.MALFORMED, "envelope header length " + headerLength
                    + " exceeds the payload (" + payload.length + " bytes) or the " + MAX_HEADER_BYTES
                    + "-byte limit");
        }
        byte[] header = new byte[(int) headerLength];
        p.get(header);
        ByteBuffer body = p.slice().asReadOnlyBuffer();
        return new Envelope(header, body);
    }

    /** The header as text, for logs. */
    public String headerText() {
        return new String(header, StandardCharsets.UTF_8);
    }
}
