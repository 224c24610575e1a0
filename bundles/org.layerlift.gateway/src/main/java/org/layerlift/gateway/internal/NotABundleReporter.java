package org.layerlift.gateway.internal;

import java.io.File;
import java.io.IOException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * FileInstall passes over a jar in the deploy folder that is not a bundle without a word. This installer claims such
 * jars, installs nothing, and puts the reason in the gateway's status; removing the file clears it.
 */
@Component(service = ArtifactInstaller.class)
public final class NotABundleReporter implements ArtifactInstaller {

    private final GatewayStatusService status;

    @Activate
    public NotABundleReporter(@Reference GatewayStatusService status) {
        this.status = status;
    }

    @Override
    public boolean canHandle(File artifact) {
        // a deleted file is not claimed: whoever installed it uninstalls it
        return artifact.getName().endsWith(".jar") && artifact.isFile() && whyNotABundle(artifact) != null;
    }

    @Override
    public void install(File artifact) {
        status.setProblem(key(artifact), key(artifact) + " is not an OSGi bundle (" + whyNotABundle(artifact)
                + "); ignored");
    }

    @Override
    public void update(File artifact) {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        status.clearProblem(key(artifact));
    }

    private static String key(File artifact) {
        return "deploy/" + artifact.getName();
    }

    /** Null for a bundle, else what is missing. */
    static String whyNotABundle(File artifact) {
        try (JarFile jar = new JarFile(artifact)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return "no META-INF/MANIFEST.MF";
            }
            if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "no Bundle-SymbolicName in its manifest";
            }
            return null;
        } catch (IOException e) {
            return "not a readable jar: " + e.getMessage();
        }
    }
}
