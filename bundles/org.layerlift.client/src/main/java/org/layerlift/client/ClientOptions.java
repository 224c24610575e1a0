package org.layerlift.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the gateway's broker.
 *
 * @param brokerUri          {@code tcp://host:port} or {@code ssl://host:port} (scheme in any case)
 * @param clientId           the MQTT client id: the client's namespace {@code layerlift/v1/c/<id>/} (letters,
 *                           digits, {@code - _ .}, 1–64 characters)
 * @param username           login, or null for anonymous
 * @param password           password, or null
 * @param trustStore         a PKCS#12 or JKS trust store for TLS with a private CA, or null for the JVM's
 * @param trustStorePassword its password, or null
 * @param link               link emulation on the client's socket
 * @param connectTimeout     how long {@code connect} waits for the first connection
 * @param requestTimeout     how long a request (manifest, chunk, have) waits for its answer before it is retried
 */
public record ClientOptions(String brokerUri, String clientId, String username, String password, Path trustStore,
        String trustStorePassword, LinkEmulation link, Duration connectTimeout, Duration requestTimeout) {

    public ClientOptions {
        Objects.requireNonNull(brokerUri, "brokerUri");
        Objects.requireNonNull(clientId, "clientId");
        if (!clientId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("client id '" + clientId + "' must be 1 to 64 letters, digits, '-', '_' "
                    + "or '.'");
        }
        link = link == null ? LinkEmulation.none() : link;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
        requestTimeout = requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout;
    }

    /** Anonymous, no TLS trust store, no link emulation, default timeouts. */
    public static ClientOptions of(String brokerUri, String clientId) {
        return new ClientOptions(brokerUri, clientId, null, null, null, null, null, null, null);
    }

    public ClientOptions withLogin(String user, String secret) {
        return new ClientOptions(brokerUri, clientId, user, secret, trustStore, trustStorePassword, link,
                connectTimeout, requestTimeout);
    }

    public ClientOptions withTrustStore(Path store, String storePassword) {
        return new ClientOptions(brokerUri, clientId, username, password, store, storePassword, link, connectTimeout,
                requestTimeout);
    }

    public ClientOptions withLink(LinkEmulation emulation) {
        return new ClientOptions(brokerUri, clientId, username, password, trustStore, trustStorePassword, emulation,
                connectTimeout, requestTimeout);
    }

    public ClientOptions withTimeouts(Duration connect, Duration request) {
        return new ClientOptions(brokerUri, clientId, username, password, trustStore, trustStorePassword, link, connect,
                request);
    }

    @Override
    public String toString() {
        // never the passwords
        return "ClientOptions[" + brokerUri + ", " + clientId + (username == null ? "" : ", user " + username) + ", "
                + link + "]";
    }
}
