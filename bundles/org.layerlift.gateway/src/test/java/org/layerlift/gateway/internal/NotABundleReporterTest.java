package org.layerlift.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotABundleReporterTest {

    @TempDir
    Path dir;

    @Test
    void tellsWhatMakesAJarNoBundle() throws IOException {
        File plain = dir.resolve("plain.jar").toFile();
        try (ZipOutputStream zip = new ZipOutputStream(new FileOutputStream(plain))) {
            zip.putNextEntry(new ZipEntry("x.txt"));
            zip.write(1);
        }
        assertEquals("no META-INF/MANIFEST.MF", NotABundleReporter.whyNotABundle(plain));
        assertEquals("no Bundle-SymbolicName in its manifest",
                NotABundleReporter.whyNotABundle(jar("lib.jar", null)));
        assertNull(NotABundleReporter.whyNotABundle(jar("bundle.jar", "org.example.b")));
        File garbage = Files.writeString(dir.resolve("garbage.jar"), "not a zip").toFile();
        assertEquals(true, NotABundleReporter.whyNotABundle(garbage).startsWith("not a readable jar"));
    }

    private File jar(String name, String bsn) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            m.getMainAttributes().putValue("Bundle-SymbolicName", bsn);
        }
        File f = dir.resolve(name).toFile();
        new JarOutputStream(new FileOutputStream(f), m).close();
        return f;
    }
}
