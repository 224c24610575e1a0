package org.layerlift.itest.serving;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Mosquitto 2.0 (Debian's package) on the configuration and ACL the runtime ships in runtime/mosquitto,
 * read in place: only the listener port and the file locations change, and the gateway's login goes into a password
 * file made with mosquitto_passwd.
 */
final class ShippedMosquitto implements AutoCloseable {

    final int port;
    private final Process process;

    ShippedMosquitto(Path dir) throws Exception {
        this(dir, GatewayProcess.freePort());
    }

    /** On a given port (a restart on the port of one that was closed). */
    ShippedMosquitto(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        this.port = port;
        Path shipped = Path.of(GatewayProcess.required("layerlift.itest.mosquitto.dir"));
        Path passwd = dir.resolve("layerlift.passwd");
        Process pw = new ProcessBuilder(tool("mosquitto_passwd"), "-b", "-c", passwd.toString(),
                GatewayProcess.GATEWAY_USER, GatewayProcess.GATEWAY_PASSWORD).redirectErrorStream(true).start();
        if (pw.waitFor() != 0) {
            throw new IllegalStateException("mosquitto_passwd failed: " + new String(pw.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
        }
        List<String> conf = new ArrayList<>();
        for (String line : Files.readAllLines(shipped.resolve("layerlift.conf"), StandardCharsets.UTF_8)) {
            if (line.startsWith("listener ")) {
                line = "listener " + port + " 127.0.0.1";
            } else if (line.startsWith("password_file ")) {
                line = "password_file " + passwd;
            } else if (line.startsWith("acl_file ")) {
                line = "acl_file " + shipped.resolve("layerlift.acl");
            }
            conf.add(line);
        }
        conf.add("user " + System.getProperty("user.name"));
        Path confFile = Files.write(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8);
        process = new ProcessBuilder(tool("mosquitto"), "-c", confFile.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    process.destroy();
                    throw new IllegalStateException("mosquitto did not listen on " + port + ": "
                            + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(100);
            }
        }
    }

    String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    static String tool(String name) {
        for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new IllegalStateException(name + " is not installed (apt-get install -y mosquitto mosquitto-clients; "
                + ".ci/run does this)");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
