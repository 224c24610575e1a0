package org.layerlift.itest;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Starts a real Mosquitto (Debian's package; .ci/run installs it) as the external broker. */
final class Mosquitto {

    private Mosquitto() {
    }

    static Process start(int port) throws IOException, InterruptedException {
        String binary = find();
        Process p = new ProcessBuilder(binary, "-p", Integer.toString(port)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("mosquitto exited with " + p.exitValue() + " on port " + port);
                }
                Thread.sleep(100);
            }
        }
        p.destroy();
        throw new IllegalStateException("mosquitto did not listen on port " + port + " within 15 s");
    }

    private static String find() {
        for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
            File f = new File(dir, "mosquitto");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new IllegalStateException("mosquitto is not installed (apt-get install -y mosquitto; .ci/run does this)");
    }
}
