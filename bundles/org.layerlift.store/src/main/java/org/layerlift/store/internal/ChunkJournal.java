package org.layerlift.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The durable record of a partial upload: which unit size, chunk size and owner it has, and which chunks are on disk.
 *
 * <pre>
 * header:  int magic 'LLJ1' | long unit size | int chunk size | int n | n bytes owner (UTF-8) | int CRC-32 of the above
 * record:  int magic 'LLC1' | int chunk index | int CRC-32 of the 8 bytes before       (12 bytes, appended, fsynced)
 * </pre>
 *
 * A record is appended only after its chunk's bytes are fsynced, and a chunk is acknowledged only after its record is
 * fsynced. A crash can leave a torn last record (short, or bytes that are not what was written): its CRC fails, so
 * reading stops there and the chunk counts as absent, as it was never acknowledged. All integers are big-endian.
 */
final class ChunkJournal {

    static final int HEADER_MAGIC = 0x4C4C4A31;
    static final int RECORD_MAGIC = 0x4C4C4331;
    static final int RECORD_BYTES = 12;
    /** Owners are client ids: short. The bound keeps a corrupt length from allocating gigabytes. */
    static final int MAX_OWNER_BYTES = 1024;

    /** What a journal's header says. */
    record Header(long unitSize, int chunkBytes, String owner) {

        int chunkCount() {
            return (int) ((unitSize + chunkBytes - 1) / chunkBytes);
        }
    }

    /**
     * A journal as read back.
     *
     * @param header      its header
     * @param held        the chunks whose records are intact
     * @param validLength bytes up to the end of the last intact record: where the next record goes
     */
    record Contents(Header header, BitSet held, long validLength) {
    }

    private ChunkJournal() {
    }

    /** Creates a journal holding only its header, fsynced. */
    static long create(Path journal, Header header) throws IOException {
        byte[] owner = header.owner().getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(headerLength(owner.length));
        bytes.putInt(HEADER_MAGIC).putLong(header.unitSize()).putInt(header.chunkBytes()).putInt(owner.length)
                .put(owner);
        bytes.putInt(crc(bytes.array(), 0, bytes.position()));
        bytes.flip();
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Durable.writeFully(channel, bytes, 0);
            channel.force(true);
        }
        return bytes.limit();
    }

    /** Appends (at {@code position}, the current valid length) the record of chunk {@code index}, fsynced. */
    static void append(Path journal, long position, int index) throws IOException {
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            Durable.writeFully(channel, record(index), position);
            channel.force(false); // fdatasync: the data and the file length, which is what reading back needs
        }
    }

    static ByteBuffer record(int index) {
        ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);
        record.putInt(RECORD_MAGIC).putInt(index);
        record.putInt(crc(record.array(), 0, 8));
        return record.flip();
    }

    /**
     * Reads a journal back; empty when its header is torn or corrupt (then no chunk was ever acknowledged: the header
     * is fsynced before the first chunk is written). Records stop at the first that is torn, corrupt or out of range.
     */
    static Optional<Contents> read(Path journal) throws IOException {
        byte[] bytes = Files.readAllBytes(journal);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < headerLength(0) || in.getInt() != HEADER_MAGIC) {
            return Optional.empty();
        }
        long unitSize = in.getLong();
        int chunkBytes = in.getInt();
        int ownerLength = in.getInt();
        if (ownerLength < 0 || ownerLength > MAX_OWNER_BYTES || bytes.length < headerLength(ownerLength)) {
            return Optional.empty();
        }
        int end = headerLength(ownerLength) - 4;
        if (ByteBuffer.wrap(bytes, end, 4).getInt() != crc(bytes, 0, end) || unitSize < 1 || chunkBytes < 1) {
            return Optional.empty();
        }
        Header header = new Header(unitSize, chunkBytes, new String(bytes, 20, ownerLength, StandardCharsets.UTF_8));
        int chunkCount = header.chunkCount();
        BitSet held = new BitSet(chunkCount);
        int at = end + 4;
        while (at + RECORD_BYTES <= bytes.length) {
            ByteBuffer record = ByteBuffer.wrap(bytes, at, RECORD_BYTES);
            int magic = record.getInt();
            int index = record.getInt();
            if (magic != RECORD_MAGIC || record.getInt() != crc(bytes, at, 8) || index < 0 || index >= chunkCount) {
                break;
            }
            held.set(index);
            at += RECORD_BYTES;
        }
        return Optional.of(new Contents(header, held, at));
    }

    /** Cuts a torn tail off, so the next record is appended where reading will look for it. */
    static void truncate(Path journal, long length) throws IOException {
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            if (channel.size() > length) {
                channel.truncate(length);
                channel.force(true);
            }
        }
    }

    private static int headerLength(int ownerBytes) {
        return 4 + 8 + 4 + 4 + ownerBytes + 4;
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
