package org.layerlift.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** The JSON codec of the protocol's headers and JSON messages. Thread-safe. */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // newer clients may add fields
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .build();

    private Json() {}

    public static byte[] write(Object message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /**
     * Decodes a message.
     *
     * @param what how errors name the message ("manifest header")
     * @throws ProtocolException MALFORMED with one line saying what is wrong (no parser internals)
     */
    public static <T> T read(byte[] json, Class<T> type, String what) throws ProtocolException {
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || !tree.isObject()) {
                throw new ProtocolException(ErrorCode.MALFORMED, what + ": expected a JSON object");
            }
            if (tree.has("error") && type != Messages.ErrorReply.class) {
                Messages.ErrorReply e = MAPPER.treeToValue(tree, Messages.ErrorReply.class);
                throw new ProtocolException(ErrorCode.ofWire(e.error() == null ? null : e.error().code()),
                        e.error() == null ? "error" : e.error().message());
            }
            T value = MAPPER.treeToValue(tree, type);
            if (value == null) {
                throw new ProtocolException(ErrorCode.MALFORMED, what + ": empty");
            }
            return value;
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ProtocolException(ErrorCode.MALFORMED, what + ": " + cause.getMessage(), e);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            String field = e.getPath().isEmpty() ? "a field" : "field '" + e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b).orElse("?") + "'";
            throw new ProtocolException(ErrorCode.MALFORMED, what + ": " + field
                    + " is missing or has the wrong type", e);
        } catch (JsonProcessingException e) {
            String detail = e.getOriginalMessage();
            int cut = detail.indexOf(" (");
            throw new ProtocolException(ErrorCode.MALFORMED, what + ": not valid JSON ("
                    + (cut > 0 ? detail.substring(0, cut) : detail) + ")", e);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.MALFORMED, what + ": " + e.getMessage(), e);
        }
    }

    /** The error of a reply, or null when the reply is no error. */
    public static Messages.ErrorBody error(byte[] reply) {
        try {
            JsonNode tree = MAPPER.readTree(reply);
            if (tree != null && tree.isObject() && tree.has("error")) {
                return MAPPER.treeToValue(tree, Messages.ErrorReply.class).error();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** An error reply's payload. */
    public static byte[] error(ErrorCode code, String message) {
        return write(Messages.ErrorReply.of(code, message));
    }
}
