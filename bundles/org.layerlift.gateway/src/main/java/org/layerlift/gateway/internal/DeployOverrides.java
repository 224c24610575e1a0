package org.layerlift.gateway.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.hooks.bundle.CollisionHook;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The hot-deploy rule for bundles the gateway has built in: a bundle copied into deploy/ with the symbolic name of a
 * built-in one replaces it while it is there, and deleting the file brings the built-in one back, without a restart.
 * A deployed bundle of any other name is FileInstall's as before (just added).
 *
 * <p>FileInstall alone updates the built-in bundle in place with the deployed content when name and version are the
 * same (and deleting the file then uninstalls the built-in bundle until a restart), and refreshes it, which restarts
 * every bundle wired to it: a copy of {@code org.layerlift.api} took the embedded broker and every session with it.
 * This installer takes such files from FileInstall instead: the deployed bundle is installed beside the built-in one
 * under its own location ({@code file:…/deploy/x.jar}, its own bundle id, both in the status), started, and only then
 * is the built-in one stopped (so a strategy's name never disappears from the planner in between); the built-in one's
 * wiring is never touched, so nothing that uses it is refreshed. On delete the built-in one is started first and the
 * deployed one uninstalled after, and only the deployed bundle (with whatever was wired to it) is refreshed.
 * Same name and version side by side is what the {@link CollisionHook} allows, for deployed bundles only.
 */
@Component(service = {ArtifactInstaller.class, CollisionHook.class}, immediate = true)
public final class DeployOverrides implements ArtifactInstaller, CollisionHook, BundleListener {

    private final BundleContext context;
    private final Logger log;
    private final DeployedBundles bundles;

    @Activate
    public DeployOverrides(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.log = log;
        String dir = context.getProperty("felix.fileinstall.dir");
        this.bundles = new DeployedBundles(new File(dir == null ? "deploy" : dir));
        context.addBundleListener(this);
    }

    @Deactivate
    void close() {
        context.removeBundleListener(this);
    }

    @Override
    public boolean canHandle(File artifact) {
        if (!artifact.getName().endsWith(".jar")) {
            return false;
        }
        if (!artifact.isFile()) {
            // deleted (also while the gateway was down): ours if what it installed replaces a built-in bundle
            Bundle deployed = context.getBundle(DeployedBundles.location(artifact));
            return deployed != null && builtIn(deployed.getSymbolicName()).isPresent();
        }
        return builtIn(symbolicName(artifact)).isPresent();
    }

    @Override
    public void install(File artifact) throws Exception {
        String name = symbolicName(artifact);
        Bundle builtIn = builtIn(name).orElse(null);
        Bundle deployed;
        try (InputStream in = Files.newInputStream(artifact.toPath())) {
            deployed = context.installBundle(DeployedBundles.location(artifact), in);
        }
        try {
            deployed.start();
        } catch (BundleException e) {
            log.error("deploy/{}: cannot start {} ({}); the built-in one keeps running", artifact.getName(), name,
                    e.getMessage());
            return;
        }
        if (builtIn != null && builtIn.getState() != Bundle.RESOLVED && builtIn.getState() != Bundle.INSTALLED) {
            builtIn.stop();
        }
        log.info("deploy/{}: bundle {} replaces the built-in {} (bundle {}, stopped while the file is there)",
                artifact.getName(), deployed.getBundleId(), name, builtIn == null ? "?" : builtIn.getBundleId());
    }

    @Override
    public void update(File artifact) throws Exception {
        Bundle deployed = context.getBundle(DeployedBundles.location(artifact));
        if (deployed == null) {
            install(artifact);
            return;
        }
        try (InputStream in = Files.newInputStream(artifact.toPath())) {
            deployed.update(in);
        }
        refresh(deployed);
        log.info("deploy/{}: bundle {} updated", artifact.getName(), deployed.getBundleId());
    }

    @Override
    public void uninstall(File artifact) throws Exception {
        Bundle deployed = context.getBundle(DeployedBundles.location(artifact));
        if (deployed == null) {
            return;
        }
        Optional<Bundle> builtIn = builtIn(deployed.getSymbolicName());
        builtIn.ifPresent(this::restore);
        deployed.uninstall();
        refresh(deployed);
        log.info("deploy/{} removed: bundle {} uninstalled, the built-in {} (bundle {}) is back", artifact.getName(),
                deployed.getBundleId(), deployed.getSymbolicName(), builtIn.map(Bundle::getBundleId).orElse(-1L));
    }

    /** A deployed replacement uninstalled some other way (the shell, FileInstall): the built-in one comes back. */
    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle b = event.getBundle();
        if (event.getType() == BundleEvent.UNINSTALLED && bundles.deployed(b.getLocation())) {
            builtIn(b.getSymbolicName()).ifPresent(this::restore);
        }
    }

    /**
     * Deployed bundles (installed by this component, or updated from deploy/) may sit beside a built-in bundle of the
     * same symbolic name and version; nothing else changes.
     */
    @Override
    public void filterCollisions(int operationType, Bundle target, Collection<Bundle> collisionCandidates) {
        boolean ours = operationType == CollisionHook.INSTALLING ? target.getBundleId() == context.getBundle().getBundleId()
                : bundles.deployed(target.getLocation());
        if (ours) {
            collisionCandidates.removeIf(c -> !bundles.deployed(c.getLocation()));
        }
    }

    private void restore(Bundle builtIn) {
        if (builtIn.getState() == Bundle.ACTIVE || builtIn.getState() == Bundle.STARTING) {
            return;
        }
        try {
            builtIn.start();
        } catch (BundleException | IllegalStateException e) {
            log.error("The built-in {} (bundle {}) cannot be started again: {}", builtIn.getSymbolicName(),
                    builtIn.getBundleId(), e.getMessage());
        }
    }

    private void refresh(Bundle deployed) {
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class)
                .refreshBundles(List.of(deployed));
    }

    private Optional<Bundle> builtIn(String symbolicName) {
        List<DeployedBundles.Installed> installed = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            installed.add(new DeployedBundles.Installed(b.getBundleId(), b.getSymbolicName(), b.getLocation()));
        }
        return bundles.builtIn(symbolicName, installed).map(i -> context.getBundle(i.id()));
    }

    /** The jar's Bundle-SymbolicName without attributes, or null (not a bundle: {@link NotABundleReporter}'s). */
    static String symbolicName(File jar) {
        try (JarFile j = new JarFile(jar)) {
            Manifest m = j.getManifest();
            String sn = m == null ? null : m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return sn == null ? null : sn.split(";")[0].trim();
        } catch (IOException e) {
            return null;
        }
    }
}
