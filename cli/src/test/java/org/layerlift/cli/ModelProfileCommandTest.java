package org.layerlift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.model.onnx.GraphShapes;
import org.layerlift.model.onnx.InputShapes;
import org.layerlift.model.onnx.OnnxGraph;
import org.layerlift.model.profile.ProfileDocument;
import org.layerlift.model.profile.ProfileJson;
import org.layerlift.model.profile.Profiles;
import org.layerlift.model.units.GraphUnit;
import org.layerlift.model.units.UnitGrouping;
import org.layerlift.model.units.UnitTimes;

class ModelProfileCommandTest {

    static final Path SQUEEZENET = ModelVerifyCommandTest.SQUEEZENET;
    static final Path RESNET18 = ModelVerifyCommandTest.RESNET18;

    @TempDir
    Path dir;

    private Path alone(Path model) throws IOException {
        Path copy = dir.resolve(model.getFileName());
        Files.copy(model, copy);
        return copy;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    /** A profile of {@code model} written without measuring: server_ms = 100 + u, load_ms = 200 + u, client_ms 7. */
    private Path madeUp(Path model, String granularity, String name) {
        OnnxGraph graph = OnnxGraph.load(model);
        GraphShapes shapes = GraphShapes.infer(graph, InputShapes.none());
        List<GraphUnit> units = UnitGrouping.group(graph, shapes, granularity);
        List<UnitTimes> times = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            times.add(new UnitTimes(7, 100 + u, 200 + u));
        }
        Path file = dir.resolve(name);
        ProfileJson.write(UnitGrouping.toDocument(shapes, granularity, units, times, 0), file);
        return file;
    }

    @Test
    void resnet18ProfileLoadsAndSimulates() throws IOException {
        Path model = alone(RESNET18);
        Path out = dir.resolve("resnet18.json");
        Cli.Result r = Cli.run("model", "profile", model.toString(), "-o", out.toString(), "--warmup", "1",
                "--runs", "2");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("model resnet18.onnx: 13 dominator units, input input [1,3,224,224]\n"
                + "weights: seeded random (seed 1, 44.6 MiB) in a temporary copy, since external data file "),
                r.out());
        assertTrue(r.out().contains("sides: client_ms and server_ms are both this machine's measurement (--side "
                + "both)"), r.out());
        assertTrue(r.out().endsWith("Wrote " + out + System.lineSeparator()), r.out());
        // nothing written next to the model but the profile
        assertEquals(List.of(out, model), files());

        CostProfile profile = Profiles.read(out);
        ProfileDocument doc = ProfileJson.read(out);
        assertEquals("resnet18.onnx", profile.model());
        assertEquals("dominator", doc.granularity());
        assertEquals(List.of(1L, 3L, 224L, 224L), doc.inputShape().get("input"));
        assertEquals(13, profile.units().size());
        assertEquals("/relu/Relu", profile.units().get(0).name());
        assertEquals("/fc/Gemm", profile.units().get(12).name());
        assertEquals(236_830_720L, doc.units().get(0).flops());
        double total = 0;
        for (UnitCost u : profile.units()) {
            assertEquals(u.clientMs(), u.serverMs(), u.name());
            assertTrue(u.loadMs() > 0, u.name());
            total += u.clientMs();
        }
        // every residual block does hundreds of MFLOPs: each takes measurable time, and they dominate
        for (int u = 2; u <= 9; u++) {
            assertTrue(profile.units().get(u).clientMs() > 0.05, profile.units().get(u).toString());
        }
        assertTrue(total > 1, "total " + total);

        Cli.Result sim = Cli.run("simulate", "-p", out.toString(), "-b", "10,100", "-s", "ionn,frontier");
        assertEquals(0, sim.exitCode(), sim.err());
        assertTrue(sim.out().lines().anyMatch(l -> l.startsWith("resnet18.onnx    10  ionn")), sim.out());
    }

    @Test
    void clientSideMergesTheServerColumnsOfAnotherMeasurement() throws IOException {
        Path model = alone(SQUEEZENET);
        Path server = madeUp(SQUEEZENET, "dominator", "server.json");
        Path out = dir.resolve("merged.json");
        Cli.Result r = Cli.run("model", "profile", model.toString(), "-o", out.toString(), "--runs", "1",
                "--warmup", "1", "--side", "client", "--merge", server.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("sides: client_ms measured here; server_ms and load_ms from " + server), r.out());
        List<UnitCost> units = Profiles.read(out).units();
        assertEquals(23, units.size());
        double client = 0;
        for (int u = 0; u < units.size(); u++) {
            assertEquals(100 + u, units.get(u).serverMs(), 0);
            assertEquals(200 + u, units.get(u).loadMs(), 0);
            client += units.get(u).clientMs();
        }
        assertTrue(client > 0 && client != 7 * 23, "client " + client);

        Path client7 = madeUp(SQUEEZENET, "dominator", "client.json");
        Path out2 = dir.resolve("server-merged.json");
        Cli.Result s = Cli.run("model", "profile", model.toString(), "-o", out2.toString(), "--runs", "1",
                "--side", "server", "--merge", client7.toString());
        assertEquals(0, s.exitCode(), s.out() + s.err());
        for (UnitCost u : Profiles.read(out2).units()) {
            assertEquals(7, u.clientMs(), 0);
            assertTrue(u.loadMs() > 0 && u.loadMs() < 200, u.toString());
        }
    }

    @Test
    void aMergeFileOfOtherUnitsIsRefused() throws IOException {
        Path model = alone(SQUEEZENET);
        Path out = dir.resolve("out.json");
        String[][] cases = {
            {madeUp(RESNET18, "dominator", "resnet.json").toString(),
                "--merge resnet.json: has 13 units, model squeezenet1_1.onnx has 23 dominator units: not the same model"},
            {madeUp(SQUEEZENET, "node", "node.json").toString(),
                "--merge node.json: its units are 'node' units, this profile's are 'dominator' units (give --granularity node)"},
            {Cli.ALEXNET, "'format' must be \"layerlift-profile\""}};
        for (String[] c : cases) {
            Cli.Result r = Cli.run("model", "profile", model.toString(), "-o", out.toString(), "--side", "client",
                    "--merge", c[0]);
            assertEquals(1, r.exitCode(), r.out() + r.err());
            assertTrue(r.err().startsWith("layerlift model profile: error: ") && r.err().contains(c[1]), r.err());
            assertTrue(r.noStackTrace(), r.err());
        }
        assertTrue(Files.notExists(out));
    }

    @Test
    void commandLineErrors() throws IOException {
        Path model = alone(SQUEEZENET);
        String out = dir.resolve("p.json").toString();
        String[][] cases = {
            {"-o", out, "--runs", "0"}, {"-o", out, "--warmup", "-1"}, {"-o", out, "--side", "gateway"},
            {"-o", out, "--side", "client"}, {"-o", out, "--merge", out}, {"-o", out, "--side", "server", "--merge",
                dir.resolve("absent.json").toString()}, {"-o", dir.resolve("no/such/dir/p.json").toString()},
            {"-o", dir.toString()}, {}};
        String[] messages = {"'0' must be at least 1", "'-1' must be at least 0", "expected one of [client, server, both]",
            "--side client measures only the client column: give --merge <profile.json> measured on the server",
            "--merge fills the other side's column: give --side client or --side server with it",
            "--merge " + dir.resolve("absent.json") + ": no such file", "its folder does not exist", "is a directory",
            "Missing required option: '--output=<profile.json>'"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = Stream.concat(Stream.of("model", "profile", model.toString()), Stream.of(cases[i]))
                    .toArray(String[]::new);
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.exitCode(), String.join(" ", cases[i]) + ": " + r.err());
            assertTrue(r.err().contains(messages[i]), r.err());
            assertTrue(r.isShortUsageError("model profile"), r.err());
            assertTrue(r.noStackTrace(), r.err());
        }
        assertEquals(List.of(model), files());
    }
}
