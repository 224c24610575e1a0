package org.layerlift.protocol;

import java.util.Locale;

/** The reason codes of error replies (docs/protocol.md, "Errors"). The wire form is the lowercase name. */
public enum ErrorCode {
    /** The payload is not a valid message of its topic (JSON, envelope or tensor format). */
    MALFORMED,
    /** The payload is larger than the gateway accepts. */
    PAYLOAD_TOO_LARGE,
    /** Too many of this client's messages are in progress, or the gateway is saturated: retry later. */
    OVERLOADED,
    /** No such session for this client (never opened, closed, or expired): send the manifest again. */
    UNKNOWN_SESSION,
    /** The manifest's graph does not parse as an ONNX model the gateway can cut. */
    BAD_MANIFEST,
    /** The manifest's units, sizes or addresses disagree with what the gateway computes from the graph. */
    MANIFEST_MISMATCH,
    /** The strategy the client asks for is not installed (the message lists the installed ones). */
    UNKNOWN_STRATEGY,
    /** No strategy could plan the session. */
    PLANNING_FAILED,
    /** The chunk's bytes do not have the SHA-256 its header gives; nothing was stored. */
    CHUNK_HASH_MISMATCH,
    /** A unit's chunks are all there but the unit's SHA-256 is not its address; the unit's upload was discarded. */
    UNIT_HASH_MISMATCH,
    /** Chunk index, size or length out of range or inconsistent with the unit. */
    BAD_CHUNK,
    /** The chunk names a unit that is not in the session's model. */
    UNKNOWN_UNIT,
    /** The client's store quota is used up. */
    QUOTA_EXCEEDED,
    /** The gateway's store has no room (disk budget or free disk). */
    NO_SPACE,
    /** The store failed to read or write. */
    STORE_ERROR,
    /** The query names a segment whose units are not all uploaded (or not yet loaded). */
    SEGMENT_NOT_READY,
    /** The query names a segment outside the model's units. */
    BAD_SEGMENT,
    /** The query's tensors do not match the segment's inputs (names, element types, shapes, sizes). */
    BAD_INPUT,
    /** The segment did not finish within the gateway's per-query timeout. */
    TIMEOUT,
    /** ONNX Runtime failed to build or run the segment. */
    EXECUTION_FAILED,
    /** The session limit (per client or overall) is reached. */
    TOO_MANY_SESSIONS,
    /** Anything else: a gateway bug; the message says what. */
    INTERNAL;

    /** The wire form: {@code chunk_hash_mismatch}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The code of a wire form; {@link #INTERNAL} for unknown ones (a newer gateway). */
    public static ErrorCode ofWire(String wire) {
        if (wire == null) {
            return INTERNAL;
        }
        try {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return INTERNAL;
        }
    }
}
