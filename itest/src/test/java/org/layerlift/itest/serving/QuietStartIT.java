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
 * prints them to System.out while no OSGi LogService runs, i.e. when Pax Logging starts after it), no stack
 * traces, and no "deprecated" warnings (pax-logging-log4j2 2.2.7 makes log4j2 print "The use of package scanning to
 * locate plugins is deprecated" about 16 times a start, with Pax Logging's own bootstrap lines; those go to
 * data/pax-logging.log).
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
            List<String> deprecated = lines.stream().filter(l -> l.toLowerCase(java.util.Locale.ROOT)
                    .contains("deprecated")).collect(Collectors.toList());
            assertEquals("'deprecated' lines on the console:\n" + String.join("\n", deprecated), 0, deprecated.size());
            List<String> pax = lines.stream().filter(l -> l.startsWith("org.ops4j.pax.logging"))
                    .collect(Collectors.toList());
            assertEquals("Pax Logging bootstrap lines on the console:\n" + String.join("\n", pax), 0, pax.size());
            String bootstrap = Files.readString(gateway.work().resolve("data/pax-logging.log"), StandardCharsets.UTF_8);
            assertTrue("Pax Logging's own lines are in data/pax-logging.log:\n" + bootstrap,
                    bootstrap.contains("Enabling"));
        }
    }

    /**
     * The shell variant ({@code ./gateway --shell} passes {@code -Dlayerlift.console.level=OFF}): the gateway's own
     * log lines go to data/log/gateway.log only, not into the {@code g!} prompt, and HiveMQ's to its hivemq.log.
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
            // nor HiveMQ's own lines (its logback, not Pax Logging): they are in its hivemq.log
            assertFalse("no HiveMQ lines on the console:\n" + console, console.contains("HiveMQ"));
        }
    }
}
