package org.layerlift.itest.serving;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP forwarder on loopback, between a client and its broker, that can cut the network: {@link #blackhole}
 * stops forwarding in both directions without closing anything (bytes wait, as on a dead link: TCP neither fails nor
 * delivers), {@link #dropAll} closes every connection, {@link #refuse} closes new connections at once, {@link #delayDown}
 * holds what comes from the broker for a while before passing it on (a slow link: every round trip grows by that).
 * Each connection has two pump threads; everything is closed by {@link #close}.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean blackholed;
    private volatile boolean refusing;
    private volatile long delayDownMs;
    private volatile boolean closed;

    TcpProxy(String targetHost, int targetPort) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-accept-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String uri() {
        return "tcp://127.0.0.1:" + port();
    }

    /** Connections accepted so far (a reconnect shows as one more). */
    int accepted() {
        return accepted.get();
    }

    /** Stops (true) or resumes (false) forwarding on every connection, without closing any. */
    void blackhole(boolean on) {
        synchronized (gate) {
            blackholed = on;
            gate.notifyAll();
        }
    }

    /** From now, each read from the broker is held {@code ms} before it is passed on to the client (0: none). */
    void delayDown(long ms) {
        delayDownMs = ms;
    }

    /** While on, new connections are closed as soon as they are accepted. */
    void refuse(boolean on) {
        refusing = on;
    }

    /** Closes every connection now (both sides see the socket closed). */
    void dropAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (refusing) {
                closeQuietly(in);
                continue;
            }
            Socket out = new Socket();
            try {
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                out.connect(target, 5000);
            } catch (IOException e) {
                closeQuietly(in);
                closeQuietly(out);
                continue;
            }
            sockets.add(in);
            sockets.add(out);
            pump(in, out, "up");
            pump(out, in, "down");
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        boolean down = direction.equals("down");
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream is = from.getInputStream(); OutputStream os = to.getOutputStream()) {
                while (true) {
                    awaitOpen();
                    int n = is.read(buf);
                    if (n < 0) {
                        break;
                    }
                    long delay = down ? delayDownMs : 0;
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    // what was read while the link went dark waits for it to come back
                    awaitOpen();
                    os.write(buf, 0, n);
                    os.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed, or the proxy did
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-" + direction + "-" + port());
        t.setDaemon(true);
        t.start();
    }

    private void awaitOpen() throws InterruptedException, SocketException {
        synchronized (gate) {
            while (blackholed && !closed) {
                gate.wait(100);
            }
        }
        if (closed) {
            throw new SocketException("proxy closed");
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        blackhole(false);
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        dropAll();
    }
}
