package org.layerlift.api.transport;

/** The topic layout of protocol version 1, and the check every topic level from outside goes through. */
public interface Topics {

    /** Root of every LayerLift topic (protocol version 1). */
    String ROOT = "layerlift/v1";

    /**
     * The namespace of one client: {@code layerlift/v1/c/<client id>}. Everything a client publishes or receives
     * lives below it; the broker lets a client use only its own.
     *
     * @since 1.1
     */
    static String clientNamespace(String clientId) {
        return ROOT + "/c/" + requireLevel(clientId, "client id");
    }

    /**
     * The client id of a topic in a client namespace ({@code layerlift/v1/c/<id>/...}), or null for other topics.
     *
     * @since 1.1
     */
    static String clientId(String topic) {
        String prefix = ROOT + "/c/";
        if (topic == null || !topic.startsWith(prefix)) {
            return null;
        }
        int end = topic.indexOf('/', prefix.length());
        String id = end < 0 ? topic.substring(prefix.length()) : topic.substring(prefix.length(), end);
        return id.isEmpty() ? null : id;
    }

    /** The retained status topic of one gateway. */
    static String gatewayStatus(String gatewayId) {
        return ROOT + "/gateway/" + requireLevel(gatewayId, "gateway id") + "/status";
    }

    /**
     * Checks that a value can stand as one topic level: non-empty, no '/', no wildcards, no NUL, at most 128 chars.
     *
     * @return the value itself
     */
    static String requireLevel(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (value.length() > 128) {
            throw new IllegalArgumentException(what + " is longer than 128 characters: '" + value + "'");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c == 0 || Character.isWhitespace(c)) {
                throw new IllegalArgumentException(
                        what + " '" + value + "' contains '" + (c == 0 ? "\\0" : String.valueOf(c))
                                + "', which cannot stand in an MQTT topic level");
            }
        }
        return value;
    }
}
