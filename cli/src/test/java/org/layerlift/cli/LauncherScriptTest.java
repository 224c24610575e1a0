package org.layerlift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ./layerlift launcher at the repository root. */
class LauncherScriptTest {

    private static final Path SCRIPT = Cli.ROOT.resolve("layerlift");

    @Test
    void isAnExecutableBashScript() throws IOException {
        assertTrue(Files.isRegularFile(SCRIPT), SCRIPT + " missing");
        assertTrue(Files.isExecutable(SCRIPT), SCRIPT + " is not executable (git update-index --chmod=+x layerlift)");
        assertTrue(Files.readString(SCRIPT).startsWith("#!/usr/bin/env bash\n"));
    }

    @Test
    void shellParses() throws IOException, InterruptedException {
        Process bash = new ProcessBuilder("bash", "-n", SCRIPT.toString()).redirectErrorStream(true).start();
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS), "bash -n hung");
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.exitValue(), output);
        assertEquals("", output);
    }

    @Test
    void runsTheMainClassOnTheBuiltClassPath() throws IOException {
        String script = Files.readString(SCRIPT);
        assertTrue(script.contains(Main.class.getName()), "the launcher must start " + Main.class.getName());
        assertTrue(script.contains("cli/target/org.layerlift.cli.jar") && script.contains("cli/target/lib"), script);
    }
}
