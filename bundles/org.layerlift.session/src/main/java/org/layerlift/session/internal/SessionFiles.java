package org.layerlift.session.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The session directory: {@code sessions/<id>.json} (id: 32 hex digits, computed by the gateway) and
 * {@code models/<graph sha256>.onnx}. Every write goes to a temporary file, is fsynced and renamed over the old one,
 * so a crash leaves the old or the new version, never a torn one. No file name comes from a client string.
 */
final class SessionFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path sessions;
    private final Path models;

    SessionFiles(Path dir) throws IOException {
        this.sessions = Files.createDirectories(dir.resolve("sessions"));
        this.models = Files.createDirectories(dir.resolve("models"));
    }

    void save(SessionRecord record) throws IOException {
        requireHex(record.id(), 32);
        write(sessions.resolve(record.id() + ".json"), JSON.writeValueAsBytes(record));
    }

    void delete(String id) throws IOException {
        requireHex(id, 32);
        Files.deleteIfExists(sessions.resolve(id + ".json"));
    }

    /** Every readable session record; unreadable ones are reported and left alone. */
    List<SessionRecord> loadAll(BiConsumer<Path, Exception> unreadable) throws IOException {
        List<SessionRecord> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(sessions, "*.json")) {
            for (Path f : files) {
                try {
                    SessionRecord r = JSON.readValue(f.toFile(), SessionRecord.class);
                    if (r.id() == null || !f.getFileName().toString().equals(r.id() + ".json")) {
                        throw new IOException("its id does not match its file name");
                    }
                    out.add(r);
                } catch (IOException | RuntimeException e) {
                    unreadable.accept(f, e);
                }
            }
        }
        for (Path dir : List.of(sessions, models)) {
            try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "*.tmp")) {
                for (Path f : tmp) {
                    Files.deleteIfExists(f);
                }
            }
        }
        return out;
    }

    /** Keeps a graph (content-addressed, written once). */
    void saveGraph(String graphSha256, byte[] graph) throws IOException {
        requireHex(graphSha256, 64);
        Path f = models.resolve(graphSha256 + ".onnx");
        if (!Files.exists(f)) {
            write(f, graph); // two sessions of one graph may write it at once: same bytes, either rename wins
        }
    }

    byte[] readGraph(String graphSha256) throws IOException {
        requireHex(graphSha256, 64);
        return Files.readAllBytes(models.resolve(graphSha256 + ".onnx"));
    }

    /** Removes graphs no session names that were written more than {@code olderThanMs} ago. */
    void pruneGraphs(java.util.Set<String> inUse, long olderThanMs) throws IOException {
        long cutoff = System.currentTimeMillis() - olderThanMs;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(models, "*.onnx")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!inUse.contains(name.substring(0, name.length() - 5))
                        && Files.getLastModifiedTime(f).toMillis() < cutoff) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        // a temporary name of its own per write: concurrent writers of one file never share a temporary
        Path tmp = target.resolveSibling(target.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }

    private static void requireHex(String s, int length) {
        if (s == null || !s.matches("[0-9a-f]{" + length + "}")) {
            throw new IllegalArgumentException("not a " + length + "-hex-digit id: " + s);
        }
    }
}
