package org.layerlift.cli.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffloadCommandTest {

    @TempDir
    Path dir;

    private static void oneLine(Run.Result r, int code, String... fragments) {
        assertEquals(code, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.noStackTrace(), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' not in: " + r.err());
        }
    }

    private Path squeezenet() throws Exception {
        Path copy = dir.resolve("squeezenet1_1.onnx");
        Files.copy(Run.ROOT.resolve("testdata/models/squeezenet1_1.onnx"), copy);
        return copy;
    }

    @Test
    void missingModelFile() {
        Run.Result r = Run.of("offload", "--model", dir.resolve("none.onnx").toString(), "--bandwidth", "40mbit");
        oneLine(r, 2, "layerlift offload: error:", "no such file", "--help");
    }

    @Test
    void notAnOnnxModel() throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.onnx"), "this is not a model");
        Run.Result r = Run.of("offload", "--model", junk.toString(), "--bandwidth", "40mbit");
        oneLine(r, 1, "layerlift offload: error:", "junk.onnx");
    }

    @Test
    void bandwidthThatDoesNotParse() throws Exception {
        Path model = squeezenet();
        for (String bad : new String[] {"40mbps", "fast"}) {
            Run.Result r = Run.of("offload", "--model", model.toString(), "--bandwidth", bad);
            oneLine(r, 2, "does not parse", "40mbit", "--help");
        }
    }

    @Test
    void missingBandwidth() throws Exception {
        Run.Result r = Run.of("offload", "--model", squeezenet().toString());
        oneLine(r, 2, "--bandwidth");
    }

    @Test
    void slowdownAndClientProfileExclude() throws Exception {
        Run.Result r = Run.of("offload", "--model", squeezenet().toString(), "--bandwidth", "40mbit", "--slowdown",
                "4", "--client-profile", Run.ROOT.resolve("profiles/alexnet.json").toString());
        oneLine(r, 2, "--slowdown or --client-profile");
    }

    @Test
    void durationAndQueriesAfterUploadExclude() throws Exception {
        Run.Result r = Run.of("offload", "--model", squeezenet().toString(), "--bandwidth", "40mbit", "--duration",
                "5", "--queries-after-upload", "3");
        oneLine(r, 2, "--duration or --queries-after-upload");
    }

    @Test
    void badQueryRateAndGateway() throws Exception {
        oneLine(Run.of("offload", "--model", squeezenet().toString(), "--bandwidth", "40mbit", "--queries", "fast"),
                2, "back-to-back");
        oneLine(Run.of("offload", "--model", dir.resolve("squeezenet1_1.onnx").toString(), "--bandwidth", "40mbit",
                "--gateway", "http://x"), 2, "tcp://");
    }

    @Test
    void missingWeightsSuggestMaterialize() throws Exception {
        Run.Result r = Run.of("offload", "--model", squeezenet().toString(), "--bandwidth", "40mbit");
        oneLine(r, 1, "does not exist", "--materialize");
    }

    @Test
    void unreachableGatewayFailsWithinTheConnectTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        Run.Result r = Run.of("offload", "--gateway", "tcp://127.0.0.1:" + port, "--model", squeezenet().toString(),
                "--materialize", "--bandwidth", "40mbit", "--connect-timeout", "3", "--plain");
        double s = (System.nanoTime() - t0) / 1e9;
        oneLine(r, 1, "layerlift offload: error:", "(unreachable)");
        assertTrue(s < 20, "took " + s + " s");
    }

    @Test
    void helpListsTheOptions() {
        Run.Result r = Run.of("offload", "--help");
        assertEquals(0, r.exitCode());
        for (String o : new String[] {"--gateway", "--model", "--bandwidth", "--client-id", "--queries", "--duration",
            "--queries-after-upload", "--verify", "--strategy", "--slowdown", "--client-profile", "--input", "--json",
            "--csv", "--plot"}) {
            assertTrue(r.out().contains(o), o);
        }
        assertEquals(0, Run.of("demo", "--help").exitCode());
    }

    @Test
    void demoWithoutGatewayJar() {
        Run.Result r = Run.of("demo", "--gateway-jar", dir.resolve("none.jar").toString(), "--plot",
                dir.resolve("p.png").toString(), "--plain");
        oneLine(r, 1, "layerlift demo: error:", "no exported gateway", "mvn");
    }
}
