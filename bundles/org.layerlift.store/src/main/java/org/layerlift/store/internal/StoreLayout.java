package org.layerlift.store.internal;

import java.nio.file.Path;
import java.util.Optional;
import org.layerlift.api.store.UnitAddress;

/**
 * Where the store keeps what. Every name under the store's directory is derived from a validated {@link UnitAddress}
 * (64 lowercase hex digits) or is a fixed name: nothing a client sends (owner, session id) ever becomes part of a path.
 *
 * <pre>
 * store.lock                      held while a store has the directory open (one store per directory)
 * units/ab/abcdef….unit           a complete, verified unit (its mtime: when last used, for LRU across restarts)
 * units/ab/abcdef….meta           its metadata (size, chunk size, owner), written tmp + fsync + rename
 * partial/abcdef….part            a partial upload's bytes, each chunk at index × chunk size
 * partial/abcdef….journal         its header (size, chunk size, owner) then one 12-byte record per durable chunk
 * *.tmp                           a file being written atomically; deleted when the store opens
 * </pre>
 */
final class StoreLayout {

    static final String UNIT = ".unit";
    static final String META = ".meta";
    static final String PART = ".part";
    static final String JOURNAL = ".journal";
    static final String TMP = ".tmp";

    final Path root;
    final Path units;
    final Path partial;
    final Path lock;

    StoreLayout(Path root) {
        this.root = root;
        this.units = root.resolve("units");
        this.partial = root.resolve("partial");
        this.lock = root.resolve("store.lock");
    }

    /** The fan-out directory of a unit: 256 directories keep listings short with many units. */
    Path unitDirectory(UnitAddress unit) {
        return units.resolve(unit.sha256().substring(0, 2));
    }

    Path unitFile(UnitAddress unit) {
        return unitDirectory(unit).resolve(unit.sha256() + UNIT);
    }

    Path metaFile(UnitAddress unit) {
        return unitDirectory(unit).resolve(unit.sha256() + META);
    }

    Path partFile(UnitAddress unit) {
        return partial.resolve(unit.sha256() + PART);
    }

    Path journalFile(UnitAddress unit) {
        return partial.resolve(unit.sha256() + JOURNAL);
    }

    /** The unit a file of ours names, by its name and suffix; empty for a name that is not one of ours. */
    static Optional<UnitAddress> unitOf(Path file, String suffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(suffix) || name.length() != 64 + suffix.length()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new UnitAddress(name.substring(0, 64)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
