package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.Test;

/**
 * A clean start of the exported gateway says what matters and nothing else: no "[DEBUG]" lines (the Configurator
 * prints them to System.out while no OSGi LogService runs, i.e. when Pax Logging starts after it) and no stack
 * traces.
 */
public class QuietStartIT {

    @Test
    public void aCleanStartPrintsNoDebugLinesAndNoStackTraces() throws Exception {
        Path work = Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "quiet"));
        try (GatewayProcess gateway = new GatewayProcess(Files.createTempDirectory(work, "gw"), "quiet-gw")) {
            gateway.start();
            Serving.awaitServing(gateway);
            Thread.sleep(1000);
            List<String> lines = Files.readAllLines(gateway.log(), StandardCharsets.UTF_8);
            List<String> debug = lines.stream().filter(l -> l.contains("[DEBUG]") || l.contains(" DEBUG "))
                    .collect(Collectors.toList());
            assertEquals("DEBUG lines on the console:\n" + String.join("\n", debug), 0, debug.size());
            List<String> traces = lines.stream().filter(l -> l.startsWith("\tat ")).collect(Collectors.toList());
            assertEquals("stack traces on a clean start:\n" + gateway.output(), 0, traces.size());
        }
    }

    /**
     * The shell variant ({@code ./gateway --shell} passes {@code -Dlayerlift.console.level=OFF}): the gateway's own
     * log lines go to data/log/gateway.log only, not into the {@code g!} prompt.
     */
    @Test
    public void withTheConsoleLevelOffTheLogGoesToTheFileOnly() throws Exception {
        Path work = Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "quiet"));
        try (GatewayProcess gateway = new GatewayProcess(Files.createTempDirectory(work, "gw-shell"), "shell-gw")) {
            gateway.jvm("-Dlayerlift.console.level=OFF");
            gateway.start();
            Serving.awaitServing(gateway);
            Thread.sleep(1000);
            String console = Files.readString(gateway.log(), StandardCharsets.UTF_8);
            String file = Files.readString(gateway.work().resolve("data/log/gateway.log"), StandardCharsets.UTF_8);
            assertTrue("the file has the gateway's lines:\n" + file, file.contains("sessions: listening"));
            assertFalse("the console has none of them:\n" + console, console.contains("sessions: listening")
                    || console.contains("MQTT transport: connected"));
        }
    }
}
