package org.layerlift.store.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.layerlift.api.store.UnitAddress;

/**
 * What a store's directory holds when it opens, after cleaning up what a crash can leave: stray temporary files,
 * unit data without metadata (or the reverse), journals with a torn header or of units complete already, data files
 * without a journal. Torn journal tails are truncated. Finishing uploads whose chunks are all journaled is left to the
 * store, which verifies them like any other.
 */
final class DirectoryScan {

    /**
     * @param units             complete units whose data and metadata agree
     * @param partials          partial uploads rebuilt from their journals (some may hold every chunk)
     * @param strayFiles        temporary files deleted
     * @param droppedUnitFiles  units removed because their data and metadata disagree or one is missing
     * @param discardedPartials journals discarded: torn header, or no data file
     */
    record Found(List<CompleteUnit> units, List<PartialUpload> partials, int strayFiles, int droppedUnitFiles,
            int discardedPartials) {
    }

    private DirectoryScan() {
    }

    static Found scan(StoreLayout layout) throws IOException {
        int stray = deleteStrayTemporaries(layout);
        Map<UnitAddress, CompleteUnit> units = new HashMap<>();
        int dropped = loadUnits(layout, units);
        List<PartialUpload> partials = new ArrayList<>();
        int discarded = loadPartials(layout, units.keySet(), partials);
        return new Found(List.copyOf(units.values()), partials, stray, dropped, discarded);
    }

    private static int deleteStrayTemporaries(StoreLayout layout) throws IOException {
        List<Path> temporaries;
        try (Stream<Path> files = Files.walk(layout.root, 3)) {
            temporaries = files.filter(f -> f.getFileName().toString().endsWith(StoreLayout.TMP))
                    .filter(Files::isRegularFile).toList();
        }
        for (Path tmp : temporaries) {
            Files.deleteIfExists(tmp);
        }
        return temporaries.size();
    }

    /** Complete units (data + metadata that agree) into {@code units}; returns how many it removed. */
    private static int loadUnits(StoreLayout layout, Map<UnitAddress, CompleteUnit> units) throws IOException {
        Set<UnitAddress> data = new HashSet<>();
        Set<UnitAddress> metadata = new HashSet<>();
        try (DirectoryStream<Path> fanouts = Files.newDirectoryStream(layout.units)) {
            for (Path fanout : fanouts) {
                if (!Files.isDirectory(fanout)) {
                    continue;
                }
                try (DirectoryStream<Path> files = Files.newDirectoryStream(fanout)) {
                    for (Path file : files) {
                        StoreLayout.unitOf(file, StoreLayout.UNIT).filter(u -> layout.unitFile(u).equals(file))
                                .ifPresent(data::add);
                        StoreLayout.unitOf(file, StoreLayout.META).filter(u -> layout.metaFile(u).equals(file))
                                .ifPresent(metadata::add);
                    }
                }
            }
        }
        int dropped = 0;
        for (UnitAddress unit : data) {
            Path file = layout.unitFile(unit);
            Optional<UnitMetadata> meta = metadata.contains(unit) ? UnitMetadata.read(layout.metaFile(unit), unit)
                    : Optional.empty();
            if (meta.isEmpty() || meta.get().size() != Files.size(file)) {
                // metadata is written before the data is renamed in, so data without it is not ours to trust
                Files.deleteIfExists(file);
                Files.deleteIfExists(layout.metaFile(unit));
                dropped++;
                continue;
            }
            long lastUsed = Files.getLastModifiedTime(file).toMillis();
            units.put(unit, new CompleteUnit(unit, meta.get().size(), meta.get().chunkBytes(), meta.get().owner(),
                    lastUsed));
        }
        for (UnitAddress unit : metadata) {
            if (!units.containsKey(unit)) {
                Files.deleteIfExists(layout.metaFile(unit)); // a completion that crashed rewrites it
            }
        }
        return dropped;
    }

    /** Partial uploads from their journals into {@code partials}; returns how many it discarded. */
    private static int loadPartials(StoreLayout layout, Set<UnitAddress> complete, List<PartialUpload> partials)
            throws IOException {
        Set<UnitAddress> journals = new HashSet<>();
        Set<UnitAddress> parts = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(layout.partial)) {
            for (Path file : files) {
                StoreLayout.unitOf(file, StoreLayout.JOURNAL).ifPresent(journals::add);
                StoreLayout.unitOf(file, StoreLayout.PART).ifPresent(parts::add);
            }
        }
        int discarded = 0;
        for (UnitAddress unit : journals) {
            Path journal = layout.journalFile(unit);
            Path part = layout.partFile(unit);
            Optional<ChunkJournal.Contents> contents = complete.contains(unit) ? Optional.empty()
                    : ChunkJournal.read(journal);
            if (contents.isEmpty() || !Files.isRegularFile(part)) {
                // complete already (the journal outlived its completion), or torn before any chunk was acknowledged
                if (!complete.contains(unit)) {
                    discarded++;
                }
                Files.deleteIfExists(journal);
                Files.deleteIfExists(part);
                continue;
            }
            ChunkJournal.Contents journaled = contents.get();
            ChunkJournal.truncate(journal, journaled.validLength());
            ChunkJournal.Header header = journaled.header();
            partials.add(new PartialUpload(unit, header.owner(), header.unitSize(), header.chunkBytes(),
                    journaled.held(), journaled.validLength(), Files.getLastModifiedTime(journal).toMillis()));
        }
        for (UnitAddress unit : parts) {
            if (!journals.contains(unit)) {
                Files.deleteIfExists(layout.partFile(unit)); // a discard that crashed after removing the journal
            }
        }
        return discarded;
    }
}
