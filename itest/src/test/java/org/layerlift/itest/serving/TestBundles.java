package org.layerlift.itest.serving;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Bundles made at test time, and dropping them into a gateway's deploy/ the way an operator copies a file. */
final class TestBundles {

    private TestBundles() {}

    /** A copy of {@code source} whose manifest headers {@code headers} are replaced (or added). */
    static Path withHeaders(Path source, Path target, Map<String, String> headers) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(source))) {
            Manifest m = new Manifest(in.getManifest());
            headers.forEach((k, v) -> m.getMainAttributes().put(new Attributes.Name(k), v));
            try (OutputStream os = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(os, m)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    out.putNextEntry(new JarEntry(e.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return target;
    }

    /** A bundle that is only a manifest: {@code Bundle-ManifestVersion: 2} and {@code headers}. */
    static Path manifestOnly(Path target, Map<String, String> headers) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        headers.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
        try (OutputStream os = Files.newOutputStream(target); JarOutputStream out = new JarOutputStream(os, m)) {
            out.flush();
        }
        return target;
    }

    /** Moves {@code jar} into deploy/ under {@code name} in one step (FileInstall never sees half a file). */
    static Path deploy(GatewayProcess gw, Path jar, String name) throws IOException {
        Path deploy = Files.createDirectories(gw.deploy());
        Path tmp = deploy.resolve(name + ".part");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        return Files.move(tmp, deploy.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** The header of a bundle jar. */
    static String header(Path jar, String name) throws IOException {
        try (InputStream is = Files.newInputStream(jar); JarInputStream in = new JarInputStream(is)) {
            return in.getManifest().getMainAttributes().getValue(name);
        }
    }
}
