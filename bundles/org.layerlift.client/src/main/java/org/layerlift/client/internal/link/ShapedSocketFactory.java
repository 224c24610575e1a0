package org.layerlift.client.internal.link;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import org.layerlift.client.LinkEmulation;

/** TEMPORARY placeholder until the link emulation lands: plain TCP_NODELAY sockets. */
public final class ShapedSocketFactory extends SocketFactory {

    private final SocketFactory inner;

    private ShapedSocketFactory(SocketFactory inner) {
        this.inner = inner;
    }

    public static ShapedSocketFactory forUri(String uri, LinkEmulation link, SSLSocketFactory tls) {
        return new ShapedSocketFactory(tls != null ? tls : SocketFactory.getDefault());
    }

    @Override
    public Socket createSocket() throws IOException {
        Socket s = inner.createSocket();
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = inner.createSocket(host, port);
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return inner.createSocket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return inner.createSocket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return inner.createSocket(address, port, localAddress, localPort);
    }
}
