package org.layerlift.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Built in or deployed, decided by location: what the hot-deploy rule for built-in bundles stands on. */
class DeployedBundlesTest {

    @TempDir
    File dir;

    @Test
    void aFileOfTheDeployFolderIsDeployedAndTheLaunchersJarsAreBuiltIn() {
        File deploy = new File(dir, "deploy");
        DeployedBundles b = new DeployedBundles(deploy);
        String deployed = DeployedBundles.location(new File(deploy, "org.layerlift.strategy.efficiency.jar"));
        assertTrue(deployed.startsWith("file:/"), deployed);
        assertTrue(b.deployed(deployed));
        // FileInstall's own form of the same location (File.toURI, normalized) is the same string
        assertTrue(b.deployed(new File(new File(dir, "deploy/../deploy"), "x.jar").toURI().normalize().toString()));
        assertFalse(b.deployed("jar/org.layerlift.strategy.efficiency-0.1.0-SNAPSHOT.jar"));
        assertFalse(b.deployed(new File(dir, "deploy-old/x.jar").toURI().toString()), "a sibling folder is not deploy/");
        assertFalse(b.deployed("System Bundle"));
        assertFalse(b.deployed(null));
    }

    @Test
    void theBuiltInOneIsNeverTheDeployedOneNorTheSystemBundle() {
        File deploy = new File(dir, "deploy");
        DeployedBundles b = new DeployedBundles(deploy);
        String at = DeployedBundles.location(new File(deploy, "eff.jar"));
        List<DeployedBundles.Installed> installed = List.of(
                new DeployedBundles.Installed(0, "org.apache.felix.framework", "System Bundle"),
                new DeployedBundles.Installed(47, "org.layerlift.strategy.efficiency", at),
                new DeployedBundles.Installed(31, "org.layerlift.strategy.efficiency", "jar/eff.jar"),
                new DeployedBundles.Installed(48, "org.example.extra", DeployedBundles.location(new File(deploy, "x.jar"))));
        assertEquals(31, b.builtIn("org.layerlift.strategy.efficiency", installed).orElseThrow().id());
        assertEquals(Optional.empty(), b.builtIn("org.example.extra", installed), "a deployed bundle of its own name");
        assertEquals(Optional.empty(), b.builtIn("org.apache.felix.framework", installed));
        assertEquals(Optional.empty(), b.builtIn(null, installed));
    }
}
