package org.layerlift.store.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerlift.store.internal.Stores.settings;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.store.ChunkReceipt;
import org.layerlift.api.store.UnitAddress;

/** kill -9 in the middle of an upload: every acknowledged chunk is held afterwards, and the upload finishes. */
class KillTest {

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedChunkSurvivesKillMinus9() throws Exception {
        long seed = 42;
        Set<Integer> acknowledged = new TreeSet<>();
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Process writer = new ProcessBuilder(javaExecutable(), "-cp", classPath(), CrashWriter.class.getName(),
                    dir.toString(), Long.toString(seed)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ACK ")) {
                        acknowledged.add(Integer.parseInt(line.substring(4)));
                        if (acknowledged.size() == 20) {
                            // SIGKILL while it writes on: no shutdown hooks, no close; destroying closes our end of
                            // its output, so acknowledgements it printed after this one are not counted (a subset)
                            writer.destroyForcibly();
                            break;
                        }
                    }
                }
            } finally {
                writer.destroyForcibly();
                writer.waitFor();
            }
        });
        assertTrue(acknowledged.size() >= 20, "the writer acknowledged " + acknowledged);

        TestUnit unit = TestUnit.random(seed, CrashWriter.SIZE, CrashWriter.CHUNK);
        try (LocalLayerStore store = new LocalLayerStore(settings(dir))) {
            Set<Integer> held = new TreeSet<>(store.status(unit.address).chunksHeld());
            assertTrue(held.containsAll(acknowledged), "acknowledged " + acknowledged + ", held " + held);
            ChunkReceipt last = null;
            for (int i = 0; i < unit.chunkCount(); i++) {
                ChunkReceipt receipt = store.write(unit.chunk("resumer", i));
                assertFalse(acknowledged.contains(i) && !receipt.duplicate(), "chunk " + i + " was needed again");
                last = receipt;
            }
            assertTrue(last.unitComplete());
            assertTrue(store.status(unit.address).complete());
            assertArrayEquals(unit.bytes, TestUnit.toArray(store.read(unit.address).orElseThrow()));
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Test classes, the store's classes and the API: where the classes the writer needs were loaded from. */
    private static String classPath() throws URISyntaxException {
        List<Class<?>> from = List.of(CrashWriter.class, LocalLayerStore.class, UnitAddress.class);
        Stream.Builder<String> paths = Stream.builder();
        for (Class<?> c : from) {
            paths.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        }
        return paths.build().distinct().collect(Collectors.joining(File.pathSeparator));
    }
}
