package org.layerlift.itest;

import static org.ops4j.pax.exam.CoreOptions.bootDelegationPackages;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ops4j.pax.exam.Option;

/**
 * The gateway as the tests boot it: every bundle the build copied to target/bundles (the gateway's own set, minus the
 * Configurator defaults, which the tests replace with their own ports), with the gateway's framework properties.
 */
final class GatewayOptions {

    static final String BROKER_PORT = "layerlift.itest.broker.port";
    static final String SPARE_PORT = "layerlift.itest.spare.port";
    static final String DEPLOY_DIR = "layerlift.itest.deploy";
    static final String SAMPLES_DIR = "layerlift.itest.samples";
    /** Bundles the build copied but did not provision: tests install them at run time. */
    static final String STRATEGIES_DIR = "layerlift.itest.strategies";

    private GatewayOptions() {
    }

    static Option[] gateway() throws IOException {
        Path bundles = Path.of(required("layerlift.itest.bundles"));
        Path work = Files.createDirectories(Path.of(required("layerlift.itest.work")));
        Path deploy = Files.createTempDirectory(work, "deploy");
        List<Option> options = new ArrayList<>();
        options.add(junitBundles());
        options.add(cleanCaches());
        options.add(bootDelegationPackages("sun.*", "com.sun.*", "jdk.internal.*"));
        options.add(frameworkProperty("felix.fileinstall.dir").value(deploy.toString()));
        options.add(frameworkProperty("felix.fileinstall.poll").value("500"));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty(DEPLOY_DIR).value(deploy.toString()));
        options.add(frameworkProperty(SAMPLES_DIR).value(required("layerlift.itest.samples")));
        options.add(frameworkProperty(STRATEGIES_DIR).value(required(STRATEGIES_DIR)));
        options.add(frameworkProperty(BROKER_PORT).value(Integer.toString(freePort())));
        options.add(frameworkProperty(SPARE_PORT).value(Integer.toString(freePort())));
        options.add(systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        options.add(systemProperty("org.ops4j.pax.url.mvn.localRepository")
                .value(System.getProperty("org.ops4j.pax.url.mvn.localRepository", "")));
        File[] jars = bundles.toFile().listFiles((dir, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no bundles in " + bundles + " (run through 'mvn verify')");
        }
        Arrays.sort(jars);
        for (File jar : jars) {
            // logging first, so the others log to it
            options.add(jar.getName().startsWith("pax-logging") ? 0 : options.size(), bundle(jar.toURI().toString()));
        }
        return options.toArray(new Option[0]);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (run through 'mvn verify')");
        }
        return value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
