package org.layerlift.client.internal.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An unconnected {@link SSLSocket} that, on {@link #connect(SocketAddress, int)}, connects its shaped TCP socket and
 * layers the real TLS socket over it ({@link SSLSocketFactory#createSocket(Socket, String, int, boolean)}, closing the
 * TCP socket with it); from then on every call goes to that TLS socket. This is how Paho's {@code ssl://} module,
 * which asks its factory for an unconnected socket, gets TLS over a paced socket.
 *
 * <p>TLS settings made before connecting are kept on an unconnected template socket of the same TLS factory and
 * copied onto the real one when it is made; socket options made before connecting go to the TCP socket.
 */
final class LayeredSslSocket extends SSLSocket {

    private final Socket tcp;
    private final SSLSocketFactory tls;
    private final SSLSocket template;
    private final List<HandshakeCompletedListener> listeners = new CopyOnWriteArrayList<>();
    private boolean configured;
    private volatile SSLSocket ssl;
    private volatile boolean closed;

    LayeredSslSocket(Socket tcp, SSLSocketFactory tls) throws IOException {
        this.tcp = tcp;
        this.tls = tls;
        try {
            this.template = (SSLSocket) tls.createSocket();
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
        template.setUseClientMode(true);
    }

    private Socket current() {
        SSLSocket s = ssl;
        return s != null ? s : tcp;
    }

    /** The TLS socket once connected, else the template (and then the setting is kept for later). */
    private synchronized SSLSocket config(boolean setting) {
        SSLSocket s = ssl;
        if (s != null) {
            return s;
        }
        configured |= setting;
        return template;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public synchronized void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (ssl != null) {
            throw new SocketException("already connected");
        }
        if (!(endpoint instanceof InetSocketAddress address)) {
            throw new IllegalArgumentException("unsupported address type " + endpoint);
        }
        tcp.connect(endpoint, timeout);
        try {
            SSLSocket s = (SSLSocket) tls.createSocket(tcp, address.getHostString(), address.getPort(), true);
            s.setUseClientMode(template.getUseClientMode());
            if (configured) {
                SSLParameters p = template.getSSLParameters();
                if (p.getServerNames() != null && p.getServerNames().isEmpty()) {
                    p.setServerNames(null); // keep the SNI the TLS socket derived from the host name
                }
                s.setSSLParameters(p);
                s.setEnableSessionCreation(template.getEnableSessionCreation());
            }
            for (HandshakeCompletedListener l : listeners) {
                s.addHandshakeCompletedListener(l);
            }
            ssl = s;
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        } finally {
            template.close();
        }
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        tcp.bind(bindpoint);
    }

    @Override
    public InputStream getInputStream() throws IOException {
        SSLSocket s = ssl;
        if (s == null) {
            throw new SocketException(closed ? "Socket is closed" : "Socket is not connected");
        }
        return s.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        SSLSocket s = ssl;
        if (s == null) {
            throw new SocketException(closed ? "Socket is closed" : "Socket is not connected");
        }
        return s.getOutputStream();
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        try {
            template.close();
        } finally {
            current().close();
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        current().shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        current().shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return current().isConnected();
    }

    @Override
    public boolean isBound() {
        return current().isBound();
    }

    @Override
    public boolean isClosed() {
        return closed || current().isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return current().isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return current().isOutputShutdown();
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public InetAddress getInetAddress() {
        return current().getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return current().getLocalAddress();
    }

    @Override
    public int getPort() {
        return current().getPort();
    }

    @Override
    public int getLocalPort() {
        return current().getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return current().getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return current().getLocalSocketAddress();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        current().setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return current().getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        current().setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return current().getSoLinger();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        current().setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return current().getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        current().setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return current().getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        current().setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return current().getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        current().setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return current().getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        current().setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return current().getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        current().setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return current().getReuseAddress();
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        current().setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return current().getOOBInline();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        current().sendUrgentData(data);
    }

    // ---- TLS ----

    @Override
    public String[] getSupportedCipherSuites() {
        return config(false).getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return config(false).getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        config(true).setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return config(false).getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return config(false).getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        config(true).setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return config(false).getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return config(false).getHandshakeSession();
    }

    @Override
    public synchronized void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        SSLSocket s = ssl;
        if (s != null) {
            s.addHandshakeCompletedListener(listener);
        } else {
            if (listener == null) {
                throw new IllegalArgumentException("listener is null");
            }
            listeners.add(listener);
        }
    }

    @Override
    public synchronized void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        SSLSocket s = ssl;
        if (s != null) {
            s.removeHandshakeCompletedListener(listener);
        } else if (!listeners.remove(listener)) {
            throw new IllegalArgumentException("listener not registered");
        }
    }

    @Override
    public void startHandshake() throws IOException {
        SSLSocket s = ssl;
        if (s == null) {
            throw new SocketException(closed ? "Socket is closed" : "Socket is not connected");
        }
        s.startHandshake();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        config(true).setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return config(false).getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        config(true).setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return config(false).getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        config(true).setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return config(false).getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        config(true).setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return config(false).getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return config(false).getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        config(true).setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return config(false).getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return config(false).getHandshakeApplicationProtocol();
    }

    @Override
    public String toString() {
        SSLSocket s = ssl;
        return "LayeredSslSocket[" + (s != null ? s : "unconnected, over " + tcp) + "]";
    }
}
