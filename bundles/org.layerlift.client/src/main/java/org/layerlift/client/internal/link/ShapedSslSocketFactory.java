package org.layerlift.client.internal.link;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS over the shaped TCP sockets of a {@link ShapedSocketFactory}: each socket is connected by that factory (so it is
 * paced by its buckets and has TCP_NODELAY) and TLS is layered over it with
 * {@link SSLSocketFactory#createSocket(Socket, String, int, boolean)} of the given TLS factory. What is paced is
 * therefore the TLS records, as on a real link. Made by {@link ShapedSocketFactory#withTls}.
 *
 * <p>Paho's {@code ssl://} module asks for an unconnected socket ({@link #createSocket()}), connects it, then
 * configures and hand-shakes it as an {@code SSLSocket}: that socket is a {@link LayeredSslSocket} which layers TLS
 * when it is connected.
 *
 * <p>{@link #createSocket(Socket, String, int, boolean)} layers over a socket the caller already has, which this
 * factory did not create: it is handed to the TLS factory as it is, not shaped.
 */
public final class ShapedSslSocketFactory extends SSLSocketFactory {

    private final ShapedSocketFactory tcp;
    private final SSLSocketFactory tls;

    ShapedSslSocketFactory(ShapedSocketFactory tcp, SSLSocketFactory tls) {
        this.tcp = tcp;
        this.tls = tls;
    }

    /** The TCP factory underneath: the link's buckets and meter. */
    public ShapedSocketFactory tcp() {
        return tcp;
    }

    /** Bytes on the wire (TLS records) of all sockets of the link. */
    public LinkMeter meter() {
        return tcp.meter();
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }

    /** An unconnected TLS socket: TLS is layered over a shaped TCP socket when it is connected. */
    @Override
    public Socket createSocket() throws IOException {
        return new LayeredSslSocket(tcp.createSocket(), tls);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return layer(tcp.createSocket(host, port), host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return layer(tcp.createSocket(host, port, localHost, localPort), host, port);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return layer(tcp.createSocket(host, port), hostString(host), port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return layer(tcp.createSocket(address, port, localAddress, localPort), hostString(address), port);
    }

    /** Not shaped: see the class comment. */
    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        return tls.createSocket(s, host, port, autoClose);
    }

    private Socket layer(Socket shaped, String host, int port) throws IOException {
        try {
            return tls.createSocket(shaped, host, port, true);
        } catch (IOException | RuntimeException e) {
            shaped.close();
            throw e;
        }
    }

    /** The host name the address was made with, else its literal, never a reverse lookup. */
    static String hostString(InetAddress address) {
        return new InetSocketAddress(address, 0).getHostString();
    }

    @Override
    public String toString() {
        return "ShapedSslSocketFactory[" + tcp.link() + "]";
    }
}
