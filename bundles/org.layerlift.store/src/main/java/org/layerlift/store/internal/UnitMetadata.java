package org.layerlift.store.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.layerlift.api.store.UnitAddress;

/**
 * A complete unit's metadata file: a properties file (so any owner string is escaped, never interpreted) with the
 * unit's address, size, chunk size and owner.
 */
record UnitMetadata(UnitAddress unit, long size, int chunkBytes, String owner) {

    byte[] toBytes() {
        Properties properties = new Properties();
        properties.setProperty("sha256", unit.sha256());
        properties.setProperty("size", Long.toString(size));
        properties.setProperty("chunk.bytes", Integer.toString(chunkBytes));
        properties.setProperty("owner", owner);
        StringWriter out = new StringWriter();
        try {
            properties.store(out, "LayerLift layer store unit");
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string failed", e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The metadata in {@code file}, empty when it is unreadable as such or names another unit. */
    static Optional<UnitMetadata> read(Path file, UnitAddress expected) throws IOException {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            if (!expected.sha256().equals(properties.getProperty("sha256"))) {
                return Optional.empty();
            }
            long size = Long.parseLong(properties.getProperty("size", ""));
            int chunkBytes = Integer.parseInt(properties.getProperty("chunk.bytes", ""));
            String owner = properties.getProperty("owner");
            if (size < 1 || chunkBytes < 1 || owner == null) {
                return Optional.empty();
            }
            return Optional.of(new UnitMetadata(expected, size, chunkBytes, owner));
        } catch (IllegalArgumentException | CharacterCodingException e) { // bad numbers, escapes or UTF-8
            return Optional.empty();
        }
    }
}
