package org.layerlift.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** File operations that survive a crash once they return: data fsynced, names fsynced in their directories. */
final class Durable {

    private Durable() {
    }

    /**
     * Makes the directory's entries durable: a created, renamed or deleted name is only on disk once its directory is
     * fsynced (POSIX); Linux allows fsync on a directory opened for reading.
     */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Writes {@code buffer} whole at {@code position} (a positional write may write less than asked). */
    static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /**
     * Replaces {@code target} with {@code bytes} atomically: a reader (or a restart) sees the old file or the new one,
     * never a torn one. The temporary name ends in {@code .tmp}, which the store deletes when it opens.
     */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + StoreLayout.TMP);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(channel, ByteBuffer.wrap(bytes), 0);
            channel.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.getParent());
    }

    /** Creates {@code dir} and any missing parents, fsyncing each parent that got a new entry. */
    static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            // another thread made it, but may not have synced the parent yet: sync it here too
        }
        if (parent != null) {
            syncDirectory(parent);
        }
    }
}
