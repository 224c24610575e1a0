package org.layerlift.transport.mqtt.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.layerlift.api.transport.Topics;

/**
 * The transport's whole configuration, validated: every problem is named as {@code key=value (why)}, all at once,
 * so a refused configuration can be reported in one line. URI schemes are case-insensitive (RFC 3986):
 * {@link #brokerUri()} has its scheme in lower case, so {@code SSL://host:8883} is TLS like {@code ssl://host:8883}
 * for everything that reads it. Two settings are equal when they would make the same connection, so an unchanged
 * configuration keeps the connection as it is.
 */
record TransportSettings(String brokerUri, String clientId, String username, String password, Path truststore,
        String truststorePassword, int keepAliveSeconds, int connectTimeoutSeconds, int maxReconnectDelaySeconds,
        int receiveMaximum, int outboundQueue, InboundDispatcher.Limits limits) {

    static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");
    private static final String INVALID = "invalid MQTT transport configuration: ";

    boolean tls() {
        String scheme = URI.create(brokerUri).getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("ssl") || scheme.equals("wss");
    }

    /**
     * @throws IllegalArgumentException {@code invalid MQTT transport configuration: } and every bad key with its
     *         value and range, separated by "; " (passwords are never repeated)
     */
    static TransportSettings from(TransportConfig c) {
        List<String> problems = new ArrayList<>();
        String uri = lowerCaseScheme(c.broker_uri() == null ? "" : c.broker_uri().trim());
        checkUri(uri, problems);
        String id = c.client_id() == null || c.client_id().isBlank() ? defaultClientId() : c.client_id().trim();
        try {
            Topics.requireLevel(id, "client.id");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        String user = c.username() == null ? "" : c.username();
        String pass = c.password() == null ? "" : c.password();
        if (user.isEmpty() && !pass.isEmpty()) {
            problems.add("password is set but username is empty");
        }
        Path store = null;
        String truststore = c.tls_truststore();
        if (truststore != null && !truststore.isBlank()) {
            store = Path.of(truststore.trim());
            if (!Files.isReadable(store)) {
                problems.add("tls.truststore=" + truststore + " (not a readable file)");
            }
        }
        range("keepalive.s", c.keepalive_s(), 1, 65535, problems);
        range("connect.timeout.s", c.connect_timeout_s(), 1, 600, problems);
        range("max.reconnect.delay.s", c.max_reconnect_delay_s(), 1, 3600, problems);
        range("workers", c.workers(), 1, 256, problems);
        range("queue", c.queue(), 1, 65536, problems);
        range("per.client.inflight", c.per_client_inflight(), 1, 65535, problems);
        range("max.payload.bytes", c.max_payload_bytes(), 1024, 268435455, problems);
        range("receive.maximum", c.receive_maximum(), 1, 65535, problems);
        range("outbound.queue", c.outbound_queue(), 1, 1_000_000, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(INVALID + String.join("; ", problems));
        }
        String storePassword = c.tls_truststore_password() == null ? "" : c.tls_truststore_password();
        return new TransportSettings(uri, id, user, pass, store, storePassword, c.keepalive_s(),
                c.connect_timeout_s(), c.max_reconnect_delay_s(), c.receive_maximum(), c.outbound_queue(),
                new InboundDispatcher.Limits(c.workers(), c.queue(), c.per_client_inflight(), c.max_payload_bytes()));
    }

    /** What a refused configuration says: {@code key=value (why); ...} without the "invalid ..." prefix. */
    static String problems(IllegalArgumentException e) {
        String m = String.valueOf(e.getMessage());
        return m.startsWith(INVALID) ? m.substring(INVALID.length()) : m;
    }

    private static void range(String key, int value, int min, int max, List<String> problems) {
        if (value < min || value > max) {
            problems.add(key + "=" + value + " (must be " + min + ".." + max + ")");
        }
    }

    private static void checkUri(String uri, List<String> problems) {
        if (uri.isEmpty()) {
            problems.add("broker.uri= (must not be empty)");
            return;
        }
        String bad = "broker.uri=" + uri + " (";
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            problems.add(bad + "not a URI: " + e.getReason() + ")");
            return;
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            problems.add(bad + (scheme.isEmpty() ? "no scheme" : "unknown scheme '" + scheme + "'")
                    + "; use tcp://, ssl://, ws:// or wss://)");
            return;
        }
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            problems.add(bad + "names no host)");
        }
        int port = parsed.getPort();
        if (port != -1 && (port < 1 || port > 65535)) {
            problems.add(bad + "port " + port + " outside 1..65535)");
        }
        if (!scheme.startsWith("ws") && parsed.getPath() != null && !parsed.getPath().isEmpty()) {
            problems.add(bad + "has a path, which only ws:// and wss:// take)");
        }
    }

    /** The URI with its scheme (the part before the first ':', when it is a valid scheme) in lower case. */
    private static String lowerCaseScheme(String uri) {
        int colon = uri.indexOf(':');
        if (colon <= 0 || !uri.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return uri;
        }
        return uri.substring(0, colon).toLowerCase(Locale.ROOT) + uri.substring(colon);
    }

    private static String defaultClientId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "gateway";
        }
        String cleaned = host.replaceAll("[^A-Za-z0-9_.-]", "-");
        return "layerlift-" + (cleaned.isEmpty() ? "gateway" : cleaned);
    }

    /** Where it connects, as whom: for log lines and the health check (never the password). */
    @Override
    public String toString() {
        return brokerUri + " as '" + clientId + "'" + (username.isEmpty() ? "" : " (user " + username + ")");
    }
}
