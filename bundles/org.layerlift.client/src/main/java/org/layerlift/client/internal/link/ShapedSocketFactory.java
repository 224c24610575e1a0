package org.layerlift.client.internal.link;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.layerlift.client.LinkEmulation;

/**
 * Plain TCP sockets on an emulated link: for Paho's {@code MqttConnectionOptions.setSocketFactory}.
 *
 * <p>One factory is one link: it owns ONE uplink {@link TokenBucket} and ONE downlink bucket, shared by every socket
 * it creates (and by the TLS factory from {@link #withTls}), so a reconnect continues the same link and two sockets
 * never get twice the rate. Every byte written to a socket passes the uplink bucket, every byte read passes the
 * downlink bucket, and both are counted on {@link #meter()} (bytes on the wire, TLS records and MQTT framing
 * included). A null rate in the {@link LinkEmulation} leaves that direction unlimited; with
 * {@link LinkEmulation#none()} the sockets are plain {@link Socket}s, not wrapped and not counted.
 *
 * <p>Every socket has TCP_NODELAY set (Paho writes a PUBLISH's header and payload separately; with Nagle on, the
 * payload waits for the peer's delayed ACK).
 *
 * <p>Typical use:
 * <pre>{@code
 * ShapedSocketFactory link = new ShapedSocketFactory(options.link());
 * connectionOptions.setSocketFactory(link.forUri(options.brokerUri(), tlsOrNull));
 * ...
 * long up = link.meter().bytesSent();
 * }</pre>
 */
public final class ShapedSocketFactory extends SocketFactory {

    private final LinkEmulation link;
    private final TokenBucket uplink;
    private final TokenBucket downlink;
    private final LinkMeter meter = new LinkMeter();

    /**
     * @param link the rates; null is taken as {@link LinkEmulation#none()}
     */
    public ShapedSocketFactory(LinkEmulation link) {
        this.link = link == null ? LinkEmulation.none() : link;
        this.uplink = this.link.uplink() == null ? null : new TokenBucket(this.link.uplink().bytesPerSecond());
        this.downlink = this.link.downlink() == null ? null : new TokenBucket(this.link.downlink().bytesPerSecond());
    }

    /**
     * The factory Paho needs for {@code brokerUri}: for {@code tcp://} this factory, for {@code ssl://} a
     * {@link ShapedSslSocketFactory} (TLS over this factory's shaped TCP) — Paho requires an {@link SSLSocketFactory}
     * instance for {@code ssl://}. The scheme is compared ignoring case.
     *
     * @param brokerUri {@code tcp://host:port} or {@code ssl://host:port}
     * @param tlsOrNull the TLS factory for {@code ssl://} (e.g. from an {@code SSLContext} with a private trust
     *                  store), or null for {@link SSLSocketFactory#getDefault()}; ignored for {@code tcp://}
     * @throws IllegalArgumentException if the URI does not parse or its scheme is neither {@code tcp} nor {@code ssl}
     */
    public SocketFactory forUri(String brokerUri, SSLSocketFactory tlsOrNull) {
        return switch (scheme(brokerUri)) {
            case "tcp" -> this;
            case "ssl" -> withTls(tlsOrNull);
            default -> throw new IllegalArgumentException("broker URI '" + brokerUri + "': link emulation supports "
                    + "tcp:// and ssl:// only");
        };
    }

    /**
     * {@code new ShapedSocketFactory(link).forUri(brokerUri, tlsOrNull)}: a factory on a new link of its own. Its
     * counters are found with {@link #meterOf(SocketFactory)}.
     */
    public static SocketFactory forUri(String brokerUri, LinkEmulation link, SSLSocketFactory tlsOrNull) {
        return new ShapedSocketFactory(link).forUri(brokerUri, tlsOrNull);
    }

    /** The meter of a factory made here ({@link ShapedSocketFactory} or {@link ShapedSslSocketFactory}), else empty. */
    public static Optional<LinkMeter> meterOf(SocketFactory factory) {
        if (factory instanceof ShapedSocketFactory f) {
            return Optional.of(f.meter());
        }
        if (factory instanceof ShapedSslSocketFactory f) {
            return Optional.of(f.meter());
        }
        return Optional.empty();
    }

    /**
     * TLS layered over this factory's shaped sockets, sharing its buckets and meter (so TLS records are what is
     * paced).
     *
     * @param tlsOrNull the TLS factory, or null for {@link SSLSocketFactory#getDefault()}
     */
    public ShapedSslSocketFactory withTls(SSLSocketFactory tlsOrNull) {
        return new ShapedSslSocketFactory(this,
                tlsOrNull == null ? (SSLSocketFactory) SSLSocketFactory.getDefault() : tlsOrNull);
    }

    /** The emulated link. */
    public LinkEmulation link() {
        return link;
    }

    /** Bytes sent and received by all sockets of this factory (and of its TLS factories). */
    public LinkMeter meter() {
        return meter;
    }

    TokenBucket uplink() {
        return uplink;
    }

    TokenBucket downlink() {
        return downlink;
    }

    /** An unconnected socket (what Paho's TCP and SSL network modules ask for, before {@code connect}). */
    @Override
    public Socket createSocket() throws IOException {
        if (!link.shaped()) {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            return s;
        }
        return new ShapedSocket(uplink, downlink, meter);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(SocketAddress remote, SocketAddress local) throws IOException {
        Socket s = createSocket();
        try {
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    static String scheme(String brokerUri) {
        Objects.requireNonNull(brokerUri, "brokerUri");
        String scheme;
        try {
            scheme = new URI(brokerUri.trim()).getScheme();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("broker URI '" + brokerUri + "' does not parse: " + e.getMessage(), e);
        }
        if (scheme == null) {
            throw new IllegalArgumentException("broker URI '" + brokerUri + "' has no scheme: write tcp://host:port "
                    + "or ssl://host:port");
        }
        return scheme.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "ShapedSocketFactory[" + link + "]";
    }
}
