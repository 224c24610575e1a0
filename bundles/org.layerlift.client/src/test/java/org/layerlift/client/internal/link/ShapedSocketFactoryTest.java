package org.layerlift.client.internal.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.client.Bandwidth;
import org.layerlift.client.LinkEmulation;

/** Rates are checked within ±25 % over about a second, so a loaded machine does not make them flaky. */
class ShapedSocketFactoryTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void noEmulationGivesPlainNoDelaySockets() throws Exception {
        ShapedSocketFactory f = new ShapedSocketFactory(LinkEmulation.none());
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
                Socket unconnected = f.createSocket();
                Socket connected = f.createSocket(LOOPBACK, server.getLocalPort())) {
            assertSame(Socket.class, unconnected.getClass());
            assertSame(Socket.class, connected.getClass());
            assertTrue(connected.getTcpNoDelay());
            unconnected.connect(server.getLocalSocketAddress());
            assertTrue(unconnected.getTcpNoDelay());
        }
    }

    @Test
    void shapedSocketsHaveNoDelay() throws Exception {
        ShapedSocketFactory f = new ShapedSocketFactory(new LinkEmulation(Bandwidth.parse("10mbit"), null));
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
                Socket a = f.createSocket(LOOPBACK, server.getLocalPort());
                Socket b = f.createSocket()) {
            b.connect(server.getLocalSocketAddress(), 2000);
            assertTrue(a instanceof ShapedSocket);
            assertTrue(a.getTcpNoDelay());
            assertTrue(b.getTcpNoDelay());
            assertSame(a.getOutputStream(), a.getOutputStream());
            assertTrue(f.downlink() == null && f.uplink() != null);
        }
    }

    @Test
    void factoryForUriFollowsTheScheme() {
        ShapedSocketFactory f = new ShapedSocketFactory(LinkEmulation.symmetric(Bandwidth.parse("5mbit")));
        assertSame(f, f.forUri("TCP://gw:1883", null));
        SocketFactory tls = f.forUri("Ssl://gw:8883", null);
        assertTrue(tls instanceof ShapedSslSocketFactory);
        assertSame(f, ((ShapedSslSocketFactory) tls).tcp());
        assertSame(f.meter(), ShapedSocketFactory.meterOf(tls).orElseThrow());
        assertTrue(ShapedSocketFactory.meterOf(SocketFactory.getDefault()).isEmpty());
        assertTrue(ShapedSocketFactory.forUri("tcp://h:1", LinkEmulation.none(), null) instanceof ShapedSocketFactory);
        assertThrows(IllegalArgumentException.class, () -> f.forUri("ws://gw:80", null));
        assertThrows(IllegalArgumentException.class, () -> f.forUri("gw:1883x", null));
        assertThrows(IllegalArgumentException.class, () -> f.forUri("no scheme", null));
    }

    /** Two sockets of one factory upload at once: together they get the one uplink rate, not twice it. */
    @Test
    void uplinkRateIsSharedByTheFactorysSockets() throws Exception {
        double bps = Bandwidth.parse("20mbit").bytesPerSecond(); // 2.5 MB/s
        ShapedSocketFactory f = new ShapedSocketFactory(new LinkEmulation(Bandwidth.parse("20mbit"), null));
        int each = (int) (bps * 0.6);
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            List<Future<Long>> sinks = List.of(pool.submit(() -> drain(server.accept())),
                    pool.submit(() -> drain(server.accept())));
            long t0 = System.nanoTime();
            List<Future<Void>> sources = List.of(pool.submit(() -> send(f, server, each)),
                    pool.submit(() -> send(f, server, each)));
            for (Future<Void> s : sources) {
                s.get(20, TimeUnit.SECONDS);
            }
            long end = Math.max(sinks.get(0).get(20, TimeUnit.SECONDS), sinks.get(1).get(20, TimeUnit.SECONDS));
            double achieved = 2.0 * each / ((end - t0) / 1e9);
            assertWithin(bps, achieved, "uplink");
            assertEquals(2L * each, f.meter().bytesSent());
        }
    }

    @Test
    void downlinkRateIsPaced() throws Exception {
        double bps = Bandwidth.parse("20mbit").bytesPerSecond();
        ShapedSocketFactory f = new ShapedSocketFactory(new LinkEmulation(null, Bandwidth.parse("20mbit")));
        int total = (int) (bps * 1.2);
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            pool.submit(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < total; sent += chunk.length) {
                        out.write(chunk, 0, Math.min(chunk.length, total - sent));
                    }
                }
                return null;
            });
            try (Socket s = f.createSocket(LOOPBACK, server.getLocalPort()); InputStream in = s.getInputStream()) {
                byte[] buf = new byte[256 * 1024];
                long got = in.read(buf); // the first bytes: the clock starts here
                long t0 = System.nanoTime();
                int first = (int) got;
                for (int n; (n = in.read(buf)) > 0; ) {
                    got += n;
                }
                double achieved = (got - first) / ((System.nanoTime() - t0) / 1e9);
                assertEquals(total, got);
                assertWithin(bps, achieved, "downlink");
                assertEquals(total, f.meter().bytesReceived());
                assertEquals(0, f.meter().bytesSent());
            }
        }
    }

    /** TLS over the shaped socket, both ways Paho and others make one; the payload is checked, the rate bounded. */
    @Test
    void tlsIsLayeredOverTheShapedSocket(@TempDir Path dir) throws Exception {
        SSLContext[] contexts = selfSigned(dir);
        SSLContext serverCtx = contexts[0];
        SSLContext clientCtx = contexts[1];
        double bps = Bandwidth.parse("20mbit").bytesPerSecond();
        ShapedSocketFactory f = new ShapedSocketFactory(LinkEmulation.symmetric(Bandwidth.parse("20mbit")));
        ShapedSslSocketFactory tls = f.withTls(clientCtx.getSocketFactory());
        int size = 256 * 1024;
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++) {
            payload[i] = (byte) (i * 31 + 7);
        }
        InetAddress localhost = InetAddress.getByAddress("localhost", LOOPBACK.getAddress());
        try (SSLServerSocket server = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 50,
                LOOPBACK)) {
            pool.submit(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket s = server.accept()) {
                        byte[] got = s.getInputStream().readNBytes(size);
                        s.getOutputStream().write(got); // echo
                        s.getOutputStream().flush();
                        s.getInputStream().read(); // until the client closes
                    }
                }
                return null;
            });
            long t0 = System.nanoTime();
            // as Paho's SSLNetworkModule: unconnected, connect, parameters, handshake
            try (SSLSocket s = (SSLSocket) tls.createSocket()) {
                s.connect(new InetSocketAddress(localhost, server.getLocalPort()), 5000);
                s.setSoTimeout(10_000);
                SSLParameters p = new SSLParameters();
                p.setServerNames(List.of(new SNIHostName("localhost")));
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.startHandshake();
                assertTrue(s.getSession().isValid());
                assertTrue(s.getTcpNoDelay());
                echo(s, payload);
            }
            // connected at once
            try (Socket s = tls.createSocket("localhost".equals(localhost.getHostName()) ? localhost
                    : LOOPBACK, server.getLocalPort())) {
                assertTrue(s instanceof SSLSocket);
                s.setSoTimeout(10_000);
                echo(s, payload);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(f.meter().bytesSent() > 2L * size, "TLS records counted: " + f.meter());
            assertTrue(f.meter().bytesReceived() > 2L * size, "TLS records counted: " + f.meter());
            double fastest = 2.0 * size / bps; // each direction carries 2 * size at most at the rate
            assertTrue(seconds >= 0.75 * fastest, "TLS took " + seconds + " s, at 20 Mbit/s at least " + fastest);
        }
    }

    private static void echo(Socket s, byte[] payload) throws IOException {
        s.getOutputStream().write(payload);
        s.getOutputStream().flush();
        assertArrayEquals(payload, s.getInputStream().readNBytes(payload.length));
    }

    /** Server and client contexts for a key pair made by keytool now (the test is skipped without keytool). */
    private static SSLContext[] selfSigned(Path dir) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Assumptions.assumeTrue(Files.isExecutable(keytool), "no keytool in " + keytool);
        Path store = dir.resolve("broker.p12");
        char[] pass = "changeit".toCharArray();
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "broker", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost", "-ext",
                "SAN=dns:localhost,ip:127.0.0.1", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + out);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, pass);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, pass);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("broker", keys.getCertificate("broker"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        return new SSLContext[] {server, client};
    }

    private static Void send(SocketFactory f, ServerSocket server, int bytes) throws IOException {
        try (Socket s = f.createSocket(LOOPBACK, server.getLocalPort()); OutputStream out = s.getOutputStream()) {
            byte[] chunk = new byte[32 * 1024];
            for (int sent = 0; sent < bytes; sent += chunk.length) {
                out.write(chunk, 0, Math.min(chunk.length, bytes - sent));
            }
        }
        return null;
    }

    /** Reads to the end; returns the nanoTime of the last byte. */
    private static long drain(Socket s) throws IOException {
        try (s; InputStream in = s.getInputStream()) {
            byte[] buf = new byte[64 * 1024];
            long last = System.nanoTime();
            while (in.read(buf) > 0) {
                last = System.nanoTime();
            }
            return last;
        }
    }

    private static void assertWithin(double wanted, double achieved, String what) {
        assertTrue(achieved >= 0.75 * wanted && achieved <= 1.25 * wanted,
                String.format("%s: %.2f Mbit/s achieved, %.2f wanted", what, achieved / 125_000, wanted / 125_000));
    }
}
