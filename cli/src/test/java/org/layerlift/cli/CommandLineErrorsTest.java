package org.layerlift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command's command-line errors are one line naming the problem and the command's {@code --help}, exit code
 * 2, never the usage; profiles that cannot be read say why in the user's terms.
 */
class CommandLineErrorsTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandPrintsOneLineAndExitsTwo() {
        String model = Cli.ROOT.resolve("testdata/models/squeezenet1_1.onnx").toString();
        record Case(String command, List<String> args) {
        }
        List<Case> cases = List.of(
                new Case("", List.of("--nope")),
                new Case("", List.of()),
                new Case("simulate", List.of("simulate", "-b", "10")),
                new Case("simulate", List.of("simulate", "-p", Cli.ALEXNET, "-b", "10", "--bogus")),
                new Case("simulate", List.of("simulate", "-p", Cli.ALEXNET, "-b", "10", "-s", "nope")),
                new Case("model", List.of("model")),
                new Case("model inspect", List.of("model", "inspect")),
                new Case("model inspect", List.of("model", "inspect", model, "--granularity", "layer")),
                new Case("model profile", List.of("model", "profile", model)),
                new Case("model verify", List.of("model", "verify", model, "--plans", "0")),
                new Case("offload", List.of("offload", "--model", dir.resolve("x.onnx").toString())),
                new Case("demo", List.of("demo", "--startup-timeout", "soon")));
        for (Case c : cases) {
            Cli.Result r = Cli.run(c.args().toArray(String[]::new));
            assertTrue(r.isShortUsageError(c.command()), c + ": exit " + r.exitCode() + ", err:\n" + r.err());
        }
    }

    @Test
    void aMistypedOptionSuggestsTheRightOne() {
        Cli.Result r = Cli.run("simulate", "-p", Cli.ALEXNET, "-b", "10", "--shared-lnk");
        assertTrue(r.isShortUsageError("simulate"), r.err());
        assertTrue(r.err().contains("did you mean --shared-link"), r.err());
    }

    @Test
    void aTruncatedProfileSaysWhereItEnds() throws IOException {
        Path file = dir.resolve("cut.json");
        Files.writeString(file, "{\n  \"model\": \"m\",\n  \"layers\": [ {\"na");
        Cli.Result r = Cli.run("simulate", "-p", file.toString(), "-b", "10");
        assertEquals(ExitCodes.INPUT, r.exitCode(), r.err());
        assertTrue(r.err().contains("profile 'cut.json': not valid JSON: it ends in the middle (line 3, column"),
                r.err());
        assertFalse(r.err().contains("StreamReadFeature"), r.err());
        assertFalse(r.err().contains("Source:"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        Files.writeString(file, "{\"model\": \"m\", \"layers\": [}]}");
        Cli.Result bad = Cli.run("simulate", "-p", file.toString(), "-b", "10");
        assertTrue(bad.err().contains("not valid JSON: ") && bad.err().contains("(line 1, column"), bad.err());
        assertFalse(bad.err().contains("Source:") || bad.err().contains("StreamReadFeature"), bad.err());
    }

    @Test
    void anOnnxModelGivenAsAProfileSaysHowToProfileIt() throws IOException {
        Path onnx = Cli.ROOT.resolve("testdata/models/squeezenet1_1.onnx");
        Path renamed = Files.copy(onnx, dir.resolve("squeezenet.bin"));
        for (Path model : List.of(onnx, renamed)) {
            Cli.Result r = Cli.run("simulate", "-p", model.toString(), "-b", "10");
            assertEquals(ExitCodes.INPUT, r.exitCode(), r.err());
            assertTrue(r.err().contains("is an ONNX model, not a profile"), r.err());
            assertTrue(r.err().contains("'layerlift model profile " + model + " -o p.json'"), r.err());
            assertFalse(r.err().contains("Illegal character"), r.err());
        }
    }
}
