package org.layerlift.gateway.internal;

import java.io.File;
import java.util.Collection;
import java.util.Optional;

/**
 * Which installed bundles came from the deploy folder and which are built in (installed by the launcher from the
 * gateway jar, or by a test from its own folder): decided by location alone. FileInstall installs a file as
 * {@code file:/…/deploy/name.jar} ({@link File#toURI()}, normalized); everything else except the system bundle is
 * built in.
 */
final class DeployedBundles {

    /** What is needed of an installed bundle. */
    record Installed(long id, String symbolicName, String location) {}

    private final String deployPrefix;

    DeployedBundles(File deployDir) {
        String prefix = deployDir.getAbsoluteFile().toURI().normalize().toString();
        this.deployPrefix = prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** The location FileInstall (and {@link DeployOverrides}) give a file of the deploy folder. */
    static String location(File artifact) {
        return artifact.getAbsoluteFile().toURI().normalize().toString();
    }

    boolean deployed(String location) {
        return location != null && location.startsWith(deployPrefix);
    }

    /** The built-in bundle of this symbolic name, if there is one (never a deployed one, never the system bundle). */
    Optional<Installed> builtIn(String symbolicName, Collection<Installed> installed) {
        if (symbolicName == null) {
            return Optional.empty();
        }
        return installed.stream()
                .filter(b -> b.id() != 0 && symbolicName.equals(b.symbolicName()) && !deployed(b.location()))
                .findFirst();
    }
}
