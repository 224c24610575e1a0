package org.layerlift.itest.serving;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The exported gateway (runtime/target/gateway.jar) as a separate process, the way a user runs it: its own working
 * folder (data/, deploy/), its embedded broker on a free port, configured through deploy/*.cfg. It can be stopped
 * cleanly or killed with SIGKILL and started again on the same folder.
 */
final class GatewayProcess implements AutoCloseable {

    static final String GATEWAY_USER = "layerlift-gateway";
    static final String GATEWAY_PASSWORD = "itest-secret";

    private final Path jar;
    private final Path work;
    private final int port;
    private final String gatewayId;
    private final Map<String, Map<String, String>> extraConfig = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Process process;
    private int starts;

    GatewayProcess(Path work, String gatewayId) throws IOException {
        this.jar = Path.of(required("layerlift.itest.gateway.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no exported gateway at " + jar + " (run through 'mvn verify')");
        }
        this.work = Files.createDirectories(work);
        this.port = freePort();
        this.gatewayId = gatewayId;
    }

    static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set (run through 'mvn verify')");
        }
        return v;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Adds or replaces a configuration written to deploy/&lt;pid&gt;.cfg before each start. */
    GatewayProcess config(String pid, String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        extraConfig.put(pid, m);
        return this;
    }

    GatewayProcess jvm(String option) {
        jvmOptions.add(option);
        return this;
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    String gatewayId() {
        return gatewayId;
    }

    Path work() {
        return work;
    }

    Path deploy() {
        return work.resolve("deploy");
    }

    Path log() {
        return work.resolve("gateway-" + starts + ".out");
    }

    /** Starts the gateway with its transport on its own embedded broker. */
    void start() throws IOException {
        start(uri());
    }

    /** Starts the gateway with its transport on {@code brokerUri} (its embedded broker runs on its own port anyway). */
    void start(String brokerUri) throws IOException {
        Path deploy = Files.createDirectories(deploy());
        writeCfg(deploy, "org.layerlift.broker", brokerCfg());
        writeCfg(deploy, "org.layerlift.transport.mqtt", Map.of("broker.uri", brokerUri, "client.id", gatewayId,
                "username", GATEWAY_USER, "password", GATEWAY_PASSWORD));
        for (Map.Entry<String, Map<String, String>> e : extraConfig.entrySet()) {
            writeCfg(deploy, e.getKey(), e.getValue());
        }
        starts++;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx2g");
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log().toFile()).start();
    }

    /** Writes deploy/&lt;pid&gt;.cfg into the running gateway's folder now (atomically, as an editor would). */
    void deployCfg(String pid, Map<String, String> values) throws IOException {
        writeCfg(Files.createDirectories(deploy()), pid, values);
    }

    /** The broker configuration {@link #start()} writes, as a map to change. */
    Map<String, String> brokerCfg() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("host", "127.0.0.1");
        m.put("port", Integer.toString(port));
        m.put("gateway.username", GATEWAY_USER);
        m.put("gateway.password", GATEWAY_PASSWORD);
        return m;
    }

    /** The gateway's own log file (data/log/gateway.log), whole. */
    String gatewayLog() throws IOException {
        Path f = work.resolve("data/log/gateway.log");
        return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    private static void writeCfg(Path deploy, String pid, Map<String, String> values) throws IOException {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        Path target = deploy.resolve(pid + ".cfg");
        Path tmp = deploy.resolve(pid + ".cfg.tmp");
        Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM and wait. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The gateway's console output so far (for failure messages). */
    String output() {
        try {
            String s = Files.readString(log(), StandardCharsets.UTF_8);
            return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
