package org.layerlift.cli.offload;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.layerlift.cli.CliException;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;

/**
 * The exported gateway (runtime/target/gateway.jar) as a child process for {@code demo}: a temporary working folder
 * of its own (data/, deploy/ with the embedded broker on a free port of 127.0.0.1), its output in
 * {@code gateway.log} there. It serves once a {@code have} request is answered ({@code unknown_session}). Closing it
 * stops the process (SIGTERM, SIGKILL after 10 s) and deletes the folder; a shutdown hook does the same on Ctrl-C.
 */
public final class DemoGateway implements AutoCloseable {

    static final String GATEWAY_USER = "layerlift-gateway";

    private final Path work;
    private final int port;
    private final Process process;
    private final Thread hook;
    private volatile boolean closed;

    private DemoGateway(Path work, int port, Process process) {
        this.work = work;
        this.port = port;
        this.process = process;
        this.hook = new Thread(this::stopQuietly, "layerlift-demo-gateway-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts it; does not wait until it serves. */
    public static DemoGateway start(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new CliException("no exported gateway at " + jar + ": build it with 'mvn -o -DskipTests install "
                    + "-pl runtime -am' (./layerlift demo does), or give --gateway-jar");
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("layerlift-demo-");
            int port = freePort();
            Path deploy = Files.createDirectories(work.resolve("deploy"));
            // a .cfg replaces the shipped configuration of its pid: the gateway's own login goes into both
            String secret = Long.toHexString(new java.security.SecureRandom().nextLong());
            Files.writeString(deploy.resolve("org.layerlift.broker.cfg"), "host=127.0.0.1\nport=" + port
                    + "\ngateway.username=" + GATEWAY_USER + "\ngateway.password=" + secret + "\n",
                    StandardCharsets.UTF_8);
            Files.writeString(deploy.resolve("org.layerlift.transport.mqtt.cfg"), "broker.uri=tcp://127.0.0.1:"
                    + port + "\nusername=" + GATEWAY_USER + "\npassword=" + secret + "\n", StandardCharsets.UTF_8);
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g", "-jar", jar.toAbsolutePath().toString());
            Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("gateway.log").toFile()).start();
            return new DemoGateway(work, port, process);
        } catch (IOException e) {
            delete(work);
            throw new CliException("cannot start the gateway " + jar + ": " + e.getMessage(), e);
        }
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** The gateway process's id (to measure its CPU time). */
    public long pid() {
        return process.pid();
    }

    public Path work() {
        return work;
    }

    public Path log() {
        return work.resolve("gateway.log");
    }

    /** Waits until the gateway serves: a {@code have} request answered. */
    public void awaitServing(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        String last = "no answer";
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new CliException("the gateway exited with code " + process.exitValue() + " before serving: "
                        + tail());
            }
            try {
                String code = probe(uri());
                if ("unknown_session".equals(code)) {
                    return;
                }
                last = "answered " + code;
            } catch (Exception e) {
                last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException("interrupted while waiting for the gateway");
            }
        }
        throw new CliException("the gateway did not serve within " + timeoutMs / 1000 + " s (" + last + "); its log: "
                + log());
    }

    /** One {@code have} request for a session nobody has: the error code of the answer. */
    static String probe(String uri) throws MqttException, InterruptedException, java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
        String id = "layerlift-demo-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 32);
        String replyTopic = ProtocolTopics.reply(id, "probe");
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        MqttClient mqtt = new MqttClient(uri, id, new MemoryPersistence());
        try {
            mqtt.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse r) {
                    answer.completeExceptionally(new IllegalStateException("disconnected"));
                }

                @Override
                public void mqttErrorOccurred(MqttException e) {
                }

                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    if (topic.equals(replyTopic)) {
                        answer.complete(m.getPayload());
                    }
                }

                @Override
                public void deliveryComplete(IMqttToken t) {
                }

                @Override
                public void connectComplete(boolean reconnect, String serverUri) {
                }

                @Override
                public void authPacketArrived(int code, MqttProperties p) {
                }
            });
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setConnectionTimeout(3);
            mqtt.connect(o);
            mqtt.subscribe(replyTopic, 1);
            MqttProperties p = new MqttProperties();
            p.setResponseTopic(replyTopic);
            p.setCorrelationData("probe".getBytes(StandardCharsets.UTF_8));
            MqttMessage m = new MqttMessage(Json.write(new Messages.HaveRequest("0".repeat(32))), 1, false, p);
            mqtt.publish(ProtocolTopics.request(id, ProtocolTopics.HAVE), m);
            byte[] reply = answer.get(3, TimeUnit.SECONDS);
            Messages.ErrorBody error = Json.error(reply);
            return error == null ? "no error" : error.code();
        } finally {
            try {
                if (mqtt.isConnected()) {
                    mqtt.disconnect(1000);
                }
                mqtt.close();
            } catch (MqttException e) {
                // a probe that cannot close cleanly is harmless
            }
        }
    }

    /** The last lines of the gateway's log, on one line. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void stopQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            delete(work);
        }
    }

    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook runs (and finds it closed)
        }
    }

    static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing for
        }
    }
}
