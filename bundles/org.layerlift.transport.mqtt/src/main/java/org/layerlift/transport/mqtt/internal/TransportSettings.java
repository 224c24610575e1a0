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
 * The transport's configuration, validated: every problem is named, all at once. URI schemes are case-insensitive
 * (RFC 3986): {@link #brokerUri()} has its scheme in lower case, so {@code SSL://host:8883} is TLS like
 * {@code ssl://host:8883} for everything that reads it.
 */
record TransportSettings(String brokerUri, String clientId, String username, String password, Path truststore,
        String truststorePassword, int keepAliveSeconds, int connectTimeoutSeconds, int maxReconnectDelaySeconds) {

    static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");

    boolean tls() {
        String scheme = URI.create(brokerUri).getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("ssl") || scheme.equals("wss");
    }

    static TransportSettings from(TransportConfig c) {
        return of(c.broker_uri(), c.client_id(), c.username(), c.password(), c.tls_truststore(),
                c.tls_truststore_password(), c.keepalive_s(), c.connect_timeout_s(), c.max_reconnect_delay_s());
    }

    static TransportSettings of(String brokerUri, String clientId, String username, String password,
            String truststore, String truststorePassword, int keepAlive, int connectTimeout, int maxReconnectDelay) {
        List<String> problems = new ArrayList<>();
        String uri = lowerCaseScheme(brokerUri == null ? "" : brokerUri.trim());
        checkUri(uri, problems);
        String id = clientId == null || clientId.isBlank() ? defaultClientId() : clientId.trim();
        try {
            Topics.requireLevel(id, "client.id");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        String user = username == null ? "" : username;
        String pass = password == null ? "" : password;
        if (user.isEmpty() && !pass.isEmpty()) {
            problems.add("password is set but username is empty");
        }
        Path store = null;
        if (truststore != null && !truststore.isBlank()) {
            store = Path.of(truststore.trim());
            if (!Files.isReadable(store)) {
                problems.add("tls.truststore '" + truststore + "' is not a readable file");
            }
        }
        if (keepAlive < 1 || keepAlive > 65535) {
            problems.add("keepalive.s " + keepAlive + " is outside 1..65535");
        }
        if (connectTimeout < 1 || connectTimeout > 600) {
            problems.add("connect.timeout.s " + connectTimeout + " is outside 1..600");
        }
        if (maxReconnectDelay < 1 || maxReconnectDelay > 3600) {
            problems.add("max.reconnect.delay.s " + maxReconnectDelay + " is outside 1..3600");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid MQTT transport configuration: " + String.join("; ", problems));
        }
        return new TransportSettings(uri, id, user, pass, store,
                truststorePassword == null ? "" : truststorePassword, keepAlive, connectTimeout, maxReconnectDelay);
    }

    private static void checkUri(String uri, List<String> problems) {
        if (uri.isEmpty()) {
            problems.add("broker.uri must not be empty");
            return;
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            problems.add("broker.uri '" + uri + "' is not a URI: " + e.getReason());
            return;
        }
        String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            problems.add("broker.uri '" + uri + "' has " + (scheme.isEmpty() ? "no scheme" : "unknown scheme '" + scheme + "'")
                    + " (use tcp://, ssl://, ws:// or wss://)");
            return;
        }
        if (parsed.getHost() == null || parsed.getHost().isEmpty()) {
            problems.add("broker.uri '" + uri + "' names no host");
        }
        int port = parsed.getPort();
        if (port != -1 && (port < 1 || port > 65535)) {
            problems.add("broker.uri '" + uri + "' has port " + port + " outside 1..65535");
        }
        if (!scheme.startsWith("ws") && parsed.getPath() != null && !parsed.getPath().isEmpty()) {
            problems.add("broker.uri '" + uri + "' has a path, which only ws:// and wss:// take");
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

    @Override
    public String toString() {
        return brokerUri + " as '" + clientId + "'" + (username.isEmpty() ? "" : " (user " + username + ")");
    }
}
