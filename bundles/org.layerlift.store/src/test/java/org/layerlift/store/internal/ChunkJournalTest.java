package org.layerlift.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkJournalTest {

    @TempDir
    Path dir;

    @Test
    void headerAndRecordsReadBack() throws Exception {
        Path journal = dir.resolve("j");
        long length = ChunkJournal.create(journal, new ChunkJournal.Header(10_000, 4096, "phone-ü"));
        ChunkJournal.append(journal, length, 2);
        ChunkJournal.append(journal, length + 12, 0);
        ChunkJournal.Contents contents = ChunkJournal.read(journal).orElseThrow();
        assertEquals(new ChunkJournal.Header(10_000, 4096, "phone-ü"), contents.header());
        BitSet expected = new BitSet();
        expected.set(0);
        expected.set(2);
        assertEquals(expected, contents.held());
        assertEquals(length + 24, contents.validLength());
    }

    @Test
    void readingStopsAtATornOrCorruptRecord() throws Exception {
        Path journal = dir.resolve("j");
        long length = ChunkJournal.create(journal, new ChunkJournal.Header(10_000, 4096, "o"));
        ChunkJournal.append(journal, length, 1);
        byte[] bytes = Files.readAllBytes(journal);
        // a zero-filled record (what a crash may leave past the last fsync), then a good one that must not count
        Files.write(journal, new byte[12], StandardOpenOption.APPEND);
        Files.write(journal, ChunkJournal.record(2).array(), StandardOpenOption.APPEND);
        ChunkJournal.Contents contents = ChunkJournal.read(journal).orElseThrow();
        assertEquals(1, contents.held().cardinality());
        assertTrue(contents.held().get(1));
        assertEquals(bytes.length, contents.validLength());
    }

    @Test
    void aRecordOutOfRangeEndsTheJournal() throws Exception {
        Path journal = dir.resolve("j");
        long length = ChunkJournal.create(journal, new ChunkJournal.Header(10_000, 4096, "o"));
        ChunkJournal.append(journal, length, 3); // 3 chunks: 0..2
        assertEquals(0, ChunkJournal.read(journal).orElseThrow().held().cardinality());
    }

    @Test
    void aTornOrCorruptHeaderMeansNoJournal() throws Exception {
        Path journal = dir.resolve("j");
        ChunkJournal.create(journal, new ChunkJournal.Header(10_000, 4096, "owner"));
        byte[] bytes = Files.readAllBytes(journal);
        Files.write(journal, java.util.Arrays.copyOf(bytes, bytes.length - 1));
        assertTrue(ChunkJournal.read(journal).isEmpty());
        bytes[6] ^= 1; // the unit size
        Files.write(journal, bytes);
        assertTrue(ChunkJournal.read(journal).isEmpty());
        Files.write(journal, new byte[0]);
        assertTrue(ChunkJournal.read(journal).isEmpty());
    }
}
