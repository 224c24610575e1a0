package org.layerlift.itest.serving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds {@code examples/strategy-example} the way its README says ({@code mvn package}), as a project of its own
 * against the API bundle in a Maven repository, without touching the user's {@code ~/.m2}: the reactor's API jar is
 * laid into a local repository of its own under the test's folder, and everything else (plugins, JUnit) comes from
 * the user's repository through a settings file whose only repository is a mirror of it ({@code file://}), so the
 * build reaches no network either. The example's source is copied first, so its own folder stays clean.
 */
final class ExampleBuild {

    private ExampleBuild() {}

    /** Builds the example in {@code dir} and returns its bundle; fails with the build's output when it fails. */
    static Path build(Path dir) throws Exception {
        Path example = Path.of(GatewayProcess.required("layerlift.itest.example"));
        Path apiJar = Path.of(GatewayProcess.required("layerlift.itest.api.jar"));
        String version = GatewayProcess.required("layerlift.itest.version");
        Path userRepository = Path.of(setting("layerlift.itest.maven.repo",
                System.getProperty("user.home") + "/.m2/repository"));
        if (!Files.isRegularFile(apiJar)) {
            throw new IllegalStateException("no API bundle at " + apiJar + " (run through 'mvn verify')");
        }

        Path repository = Files.createDirectories(dir.resolve("repository"));
        Path api = Files.createDirectories(repository.resolve("org/layerlift/org.layerlift.api").resolve(version));
        Files.copy(apiJar, api.resolve("org.layerlift.api-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(api.resolve("org.layerlift.api-" + version + ".pom"), "<project><modelVersion>4.0.0"
                + "</modelVersion><groupId>org.layerlift</groupId><artifactId>org.layerlift.api</artifactId><version>"
                + version + "</version></project>\n", StandardCharsets.UTF_8);
        Path settings = dir.resolve("settings.xml");
        Files.writeString(settings, "<settings><mirrors><mirror><id>local-cache</id><mirrorOf>*</mirrorOf><url>"
                + userRepository.toUri() + "</url></mirror></mirrors></settings>\n", StandardCharsets.UTF_8);

        Path project = dir.resolve("strategy-example");
        copyTree(example, project);

        List<String> command = new ArrayList<>(List.of(mvn(), "-B", "-q", "-s", settings.toString(),
                "-Dmaven.repo.local=" + repository, "-Dlayerlift.version=" + version, "package"));
        Path log = dir.resolve("mvn.log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the example's build did not finish within 10 minutes: " + command + "\n"
                    + tail(log));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("the example's build failed (exit " + p.exitValue() + "): " + command + "\n"
                    + tail(log));
        }
        try (Stream<Path> jars = Files.list(project.resolve("target"))) {
            List<Path> found = jars.filter(f -> f.getFileName().toString().endsWith(".jar")).toList();
            if (found.size() != 1) {
                throw new AssertionError("the example's build made " + found + ", not one jar\n" + tail(log));
            }
            return found.get(0);
        }
    }

    /** {@code mvn} of the Maven running the tests ({@code maven.home}), else of MAVEN_HOME, else from the PATH. */
    static String mvn() {
        String home = setting("layerlift.itest.maven.home", System.getenv("MAVEN_HOME"));
        if (home != null) {
            Path mvn = Path.of(home, "bin", "mvn");
            if (Files.isExecutable(mvn)) {
                return mvn.toString();
            }
        }
        return "mvn";
    }

    /** A system property, or {@code otherwise} when it is unset (or left uninterpolated by Maven). */
    private static String setting(String property, String otherwise) {
        String v = System.getProperty(property);
        return v == null || v.isBlank() || v.startsWith("${") ? otherwise : v;
    }

    /** The example's own files: no target/ of an earlier build beside them. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path rel = from.relativize(f);
                if (rel.startsWith("target")) {
                    continue;
                }
                Path t = to.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8);
            return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
