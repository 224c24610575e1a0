package org.layerlift.client.internal.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.layerlift.client.Bandwidth;
import org.layerlift.client.LinkEmulation;

/**
 * Measures achieved against requested rate of {@link ShapedSocketFactory}, both directions: over loopback TCP (bytes
 * at the socket), and, when {@code mosquitto} is found, through a real broker with Paho publishing 1 MiB QoS 1
 * messages (payload goodput: MQTT framing not counted). Not a unit test: run it by hand, see docs/client-link.md.
 *
 * <p>Arguments (all optional): {@code seconds=1.5} per measurement, {@code rates=5,10,20,40,80,160,300} in Mbit/s,
 * {@code mosquitto=/usr/sbin/mosquitto} ({@code mosquitto=} to skip the broker).
 */
public final class LinkRateHarness {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int MIB = 1 << 20;

    private LinkRateHarness() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = 1.5;
        String rates = "5,10,20,40,80,160,300";
        String mosquitto = "/usr/sbin/mosquitto";
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "seconds" -> seconds = Double.parseDouble(kv[1]);
                case "rates" -> rates = kv[1];
                case "mosquitto" -> mosquitto = kv.length > 1 ? kv[1] : "";
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        Process broker = null;
        int brokerPort = -1;
        Path conf = null;
        if (!mosquitto.isEmpty() && Files.isExecutable(Path.of(mosquitto))) {
            try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
                brokerPort = probe.getLocalPort();
            }
            conf = Files.createTempFile("layerlift-harness-", ".conf");
            Files.writeString(conf, "listener " + brokerPort + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
            broker = new ProcessBuilder(mosquitto, "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            awaitPort(brokerPort);
        }
        try {
            System.out.printf(Locale.ROOT, "| %-9s | %-16s | %-16s | %-17s | %-17s |%n", "requested", "TCP up", "TCP down",
                    broker != null ? "MQTT up (1 MiB)" : "MQTT up", broker != null ? "MQTT down (1 MiB)" : "MQTT down");
            System.out.println("|-----------|------------------|------------------|-------------------|-------------------|");
            for (String r : rates.split(",")) {
                double mbit = Double.parseDouble(r.trim());
                Bandwidth bw = new Bandwidth(mbit);
                double up = tcpUp(bw, seconds);
                double down = tcpDown(bw, seconds);
                String mqttUp = "-";
                String mqttDown = "-";
                if (broker != null) {
                    mqttUp = cell(mbit, mqtt(brokerPort, bw, seconds, true));
                    mqttDown = cell(mbit, mqtt(brokerPort, bw, seconds, false));
                }
                System.out.printf(Locale.ROOT, "| %-9s | %-16s | %-16s | %-17s | %-17s |%n", bw, cell(mbit, up),
                        cell(mbit, down), mqttUp, mqttDown);
            }
        } finally {
            if (broker != null) {
                broker.destroy();
                broker.waitFor(5, TimeUnit.SECONDS);
                Files.deleteIfExists(conf);
            }
        }
    }

    private static String cell(double wanted, double mbit) {
        return String.format(Locale.ROOT, "%7.2f (%+5.1f%%)", mbit, (mbit / wanted - 1) * 100);
    }

    /** Uplink: a shaped client writes; timed from its first write to the server's last read. Mbit/s. */
    static double tcpUp(Bandwidth bw, double seconds) throws Exception {
        ShapedSocketFactory f = new ShapedSocketFactory(new LinkEmulation(bw, null));
        long total = (long) (bw.bytesPerSecond() * seconds);
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            AtomicLong last = new AtomicLong();
            Thread sink = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[256 * 1024];
                    while (in.read(buf) > 0) {
                        last.set(System.nanoTime());
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            sink.start();
            try (Socket s = f.createSocket(LOOPBACK, server.getLocalPort()); OutputStream out = s.getOutputStream()) {
                byte[] chunk = new byte[64 * 1024];
                long t0 = System.nanoTime();
                for (long sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, total - sent));
                }
                s.shutdownOutput();
                sink.join();
                return total * 8 / ((last.get() - t0) / 1e3) ;
            }
        }
    }

    /** Downlink: the server writes as fast as it can; timed at the shaped client from its first read. Mbit/s. */
    static double tcpDown(Bandwidth bw, double seconds) throws Exception {
        ShapedSocketFactory f = new ShapedSocketFactory(new LinkEmulation(null, bw));
        long total = (long) (bw.bytesPerSecond() * seconds);
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            Thread source = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    byte[] chunk = new byte[256 * 1024];
                    for (long sent = 0; sent < total; sent += chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, total - sent));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            source.start();
            try (Socket s = f.createSocket(LOOPBACK, server.getLocalPort()); InputStream in = s.getInputStream()) {
                byte[] buf = new byte[256 * 1024];
                long first = in.read(buf);
                long t0 = System.nanoTime();
                long got = first;
                for (int n; (n = in.read(buf)) > 0; ) {
                    got += n;
                }
                double s2 = (System.nanoTime() - t0) / 1e9;
                source.join();
                return (got - first) * 8 / s2 / 1e6;
            }
        }
    }

    /**
     * Through mosquitto: 1 MiB QoS 1 messages from a publisher to a subscriber, one of them shaped (the publisher
     * for the uplink, the subscriber for the downlink). Goodput in Mbit/s of payload, from the first message received
     * to the last, over all but the first message.
     */
    static double mqtt(int port, Bandwidth bw, double seconds, boolean uplink) throws Exception {
        String uri = "tcp://127.0.0.1:" + port;
        int count = (int) Math.max(3, Math.ceil(bw.bytesPerSecond() * seconds / MIB)) + 1;
        String topic = "layerlift/harness/" + System.nanoTime();
        ShapedSocketFactory shaped = new ShapedSocketFactory(uplink ? new LinkEmulation(bw, null)
                : new LinkEmulation(null, bw));
        SocketFactory plain = new ShapedSocketFactory(LinkEmulation.none());
        MqttAsyncClient pub = client(uri, "harness-pub", uplink ? shaped.forUri(uri, null) : plain);
        MqttAsyncClient sub = client(uri, "harness-sub", uplink ? plain : shaped.forUri(uri, null));
        try {
            CountDownLatch all = new CountDownLatch(count);
            AtomicLong firstAt = new AtomicLong();
            AtomicLong lastAt = new AtomicLong();
            IMqttMessageListener listener = (t, m) -> {
                long now = System.nanoTime();
                firstAt.compareAndSet(0, now);
                lastAt.set(now);
                all.countDown();
            };
            sub.subscribe(new MqttSubscription[] {new MqttSubscription(topic, 1)}, null, null,
                    new IMqttMessageListener[] {listener}, new MqttProperties()).waitForCompletion(5000);
            Semaphore inFlight = new Semaphore(8);
            byte[] payload = new byte[MIB];
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                MqttMessage m = new MqttMessage(payload);
                m.setQos(1);
                pub.publish(topic, m, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        inFlight.release();
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        inFlight.release();
                        System.err.println("publish failed: " + e);
                    }
                });
            }
            if (!all.await((long) (count * MIB / bw.bytesPerSecond() * 3 + 30), TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (count - all.getCount()) + " of " + count + " arrived");
            }
            return (count - 1) * (double) MIB * 8 / ((lastAt.get() - firstAt.get()) / 1e3);
        } finally {
            for (MqttAsyncClient c : new MqttAsyncClient[] {pub, sub}) {
                c.disconnect().waitForCompletion(5000);
                c.close();
            }
        }
    }

    private static MqttAsyncClient client(String uri, String id, SocketFactory factory) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(uri, id + "-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setSocketFactory(factory);
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        c.connect(o).waitForCompletion(10_000);
        return c;
    }

    private static void awaitPort(int port) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(LOOPBACK, port), 500);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > until) {
                    throw new IOException("mosquitto did not listen on " + port, e);
                }
                Thread.sleep(50);
            }
        }
    }
}
