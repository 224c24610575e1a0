package org.layerlift.protocol;

import org.layerlift.api.transport.Topics;

/**
 * Topic layout of protocol version 1. Everything a client publishes or receives lives in its namespace
 * {@code layerlift/v1/c/<client id>/}; the broker lets a client use only its own. The gateway subscribes to the
 * request topics of every namespace with a single-level wildcard in place of the client id.
 */
public final class ProtocolTopics {

    /** Client → gateway requests (MQTT 5 request/response); the last topic level. */
    public static final String MANIFEST = "manifest";
    public static final String CHUNK = "chunk";
    public static final String HAVE = "have";
    public static final String QUERY = "query";
    public static final String BANDWIDTH = "bandwidth";
    public static final String CLOSE = "close";
    /** Gateway → client notices (partition ready, re-plan, session expired). */
    public static final String EVENTS = "events";
    /** The level below which a client's response topics live: {@code layerlift/v1/c/<id>/reply/...}. */
    public static final String REPLY = "reply";

    /** The request kinds, in the order of the data path. */
    public static final java.util.List<String> REQUESTS = java.util.List.of(MANIFEST, CHUNK, HAVE, QUERY, BANDWIDTH,
            CLOSE);

    private ProtocolTopics() {}

    /** {@code layerlift/v1/c/<client>/<kind>}. */
    public static String request(String clientId, String kind) {
        return Topics.clientNamespace(clientId) + "/" + kind;
    }

    /** The gateway's subscription for one request kind: {@code layerlift/v1/c/+/<kind>}. */
    public static String requestFilter(String kind) {
        return Topics.ROOT + "/c/+/" + kind;
    }

    /** {@code layerlift/v1/c/<client>/events}. */
    public static String events(String clientId) {
        return Topics.clientNamespace(clientId) + "/" + EVENTS;
    }

    /** A response topic for a client: {@code layerlift/v1/c/<client>/reply/<tag>}. */
    public static String reply(String clientId, String tag) {
        return Topics.clientNamespace(clientId) + "/" + REPLY + "/" + Topics.requireLevel(tag, "reply tag");
    }

    /**
     * The request kind of a topic in a client namespace ({@code layerlift/v1/c/<id>/<kind>}), or null when the topic
     * has another shape.
     */
    public static String kind(String topic) {
        String client = Topics.clientId(topic);
        if (client == null) {
            return null;
        }
        String rest = topic.substring(Topics.clientNamespace(client).length());
        if (rest.length() < 2 || rest.charAt(0) != '/' || rest.indexOf('/', 1) >= 0) {
            return null;
        }
        return rest.substring(1);
    }

    /**
     * Whether a response topic given by {@code clientId} lies in its own namespace. The gateway answers only there,
     * so that no client can make the gateway publish into another client's namespace.
     */
    public static boolean isOwnTopic(String clientId, String topic) {
        if (topic == null || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return false;
        }
        return topic.startsWith(Topics.clientNamespace(clientId) + "/");
    }
}
