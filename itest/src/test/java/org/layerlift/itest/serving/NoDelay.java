package org.layerlift.itest.serving;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/** Plain sockets with TCP_NODELAY, as a phone's MQTT client should use them (Paho does not set it). */
final class NoDelay extends SocketFactory {

    private final SocketFactory d = SocketFactory.getDefault();

    private static Socket on(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket() throws IOException {
        return on(d.createSocket());
    }

    @Override
    public Socket createSocket(String h, int p) throws IOException {
        return on(d.createSocket(h, p));
    }

    @Override
    public Socket createSocket(String h, int p, InetAddress l, int lp) throws IOException {
        return on(d.createSocket(h, p, l, lp));
    }

    @Override
    public Socket createSocket(InetAddress h, int p) throws IOException {
        return on(d.createSocket(h, p));
    }

    @Override
    public Socket createSocket(InetAddress h, int p, InetAddress l, int lp) throws IOException {
        return on(d.createSocket(h, p, l, lp));
    }
}
