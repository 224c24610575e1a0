package org.layerlift.cli.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.cli.Main;

class LoadtestCommandTest {

    static final Path ROOT = Path.of(System.getProperty("layerlift.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path squeezenet() throws Exception {
        Path copy = dir.resolve("squeezenet1_1.onnx");
        if (!Files.exists(copy)) {
            Files.copy(ROOT.resolve("testdata/models/squeezenet1_1.onnx"), copy);
        }
        return copy;
    }

    private Result with(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("loadtest", "--gateway", "tcp://127.0.0.1:1", "--model",
                squeezenet().toString(), "--bandwidth", "40mbit"));
        args.addAll(List.of(extra));
        if (!args.contains("--clients")) {
            args.addAll(List.of("--clients", "2"));
        }
        return run(args.toArray(String[]::new));
    }

    private static void oneLine(Result r, String... fragments) {
        assertEquals(2, r.exit(), r.out() + r.err());
        assertEquals(1, r.err().lines().filter(l -> !l.isBlank()).count(), r.err());
        assertTrue(r.err().startsWith("layerlift loadtest: error:"), r.err());
        assertTrue(!r.err().contains("\tat ") && !r.err().contains("Exception"), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' not in: " + r.err());
        }
    }

    @Test
    void badOptionsGetOneLineEach() throws Exception {
        oneLine(with("--clients", "0"), "--clients must be 1 to 256, got 0");
        oneLine(with("--clients", "257"), "--clients must be 1 to 256");
        oneLine(with("--duration", "5", "--queries-after-upload", "3"), "--duration or --queries-after-upload");
        oneLine(with("--duration", "-1"), "--duration must be more than 0");
        oneLine(with("--duration", "400"), "longer than --upload-timeout");
        oneLine(with("--slowdown", "0.5"), "--slowdown must be between 1 and 10000");
        oneLine(with("--stagger", "-3"), "--stagger must be 0 to 60000");
        oneLine(with("--query-timeout", "0"), "--query-timeout must be more than 0");
        oneLine(with("--client-prefix", "bad prefix"), "--client-prefix 'bad prefix'");
        oneLine(with("--client-prefix", "x".repeat(51)), "1 to 50");
        oneLine(with("--json", dir.resolve("no/such/out.json").toString()), "--json", "no such directory");
        oneLine(with("--queries", "fast"), "is not a query rate");
        oneLine(with("--start-gateway"), "--gateway or --start-gateway, not both");
        oneLine(with("--gateway-jar", "g.jar"), "--gateway-jar needs --start-gateway");
        oneLine(with("--gateway-pid", "0"), "--gateway-pid must be a process id");
    }

    @Test
    void requiredOptions() throws Exception {
        oneLine(run("loadtest", "--clients", "2", "--model", squeezenet().toString(), "--bandwidth", "40mbit"),
                "--gateway", "--start-gateway");
        oneLine(run("loadtest", "--gateway", "tcp://127.0.0.1:1883", "--model", squeezenet().toString(),
                "--bandwidth", "40mbit"), "--clients");
        oneLine(run("loadtest", "--gateway", "tcp://127.0.0.1:1883", "--clients", "2", "--model",
                squeezenet().toString(), "--bandwidth", "fast"), "does not parse");
        oneLine(run("loadtest", "--gateway", "localhost:1883", "--clients", "2", "--model", squeezenet().toString(),
                "--bandwidth", "40mbit"), "is not a broker address");
        oneLine(run("loadtest", "--gateway", "tcp://127.0.0.1:1883", "--clients", "2", "--model",
                dir.resolve("none.onnx").toString(), "--bandwidth", "40mbit"), "no such file");
    }

    @Test
    void unreachableGatewayIsAnErrorPerClientAndExitOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path json = dir.resolve("out.json");
        Result r = run("loadtest", "--gateway", "tcp://127.0.0.1:" + port, "--clients", "2", "--model",
                squeezenet().toString(), "--materialize", "--bandwidth", "40mbit", "--connect-timeout", "2",
                "--client-prefix", "t", "--json", json.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("error: t-0: open:"), r.out());
        assertTrue(r.out().contains("(unreachable)"), r.out());
        assertTrue(r.out().contains("errors 2"), r.out());
        String written = Files.readString(json);
        assertTrue(written.contains("\"errors\" : 2"), written);
    }
}
