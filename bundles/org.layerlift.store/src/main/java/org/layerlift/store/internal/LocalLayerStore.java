package org.layerlift.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.layerlift.api.store.ChunkReceipt;
import org.layerlift.api.store.ChunkWrite;
import org.layerlift.api.store.LayerStore;
import org.layerlift.api.store.StoreException;
import org.layerlift.api.store.StoreException.Reason;
import org.layerlift.api.store.StoreUsage;
import org.layerlift.api.store.StoredUnit;
import org.layerlift.api.store.UnitAddress;
import org.layerlift.api.store.UnitStatus;

/**
 * The {@link LayerStore} on one local disk (layout: {@link StoreLayout}; journal format: {@link ChunkJournal}).
 *
 * <p>Locking: each partial upload's monitor serializes the chunk I/O of that unit only; the bookkeeping lock
 * ({@code books}: which units exist, bytes, pins) is held briefly and never while writing a chunk. It may be taken
 * while holding a unit's lock, never the other way round. Eviction deletes complete units' files under the bookkeeping
 * lock, so a unit is never half-evicted while an upload of it is admitted.
 *
 * <p>On construction the store takes the directory's lock file, deletes stray temporary files, loads complete units,
 * rebuilds partial uploads from their journals (a torn record counts as absent) and finishes uploads whose chunks were
 * all journaled before a crash.
 */
public final class LocalLayerStore implements LayerStore, AutoCloseable {

    /** At most this often a unit's last use goes to its file's mtime, so LRU order survives a restart. */
    static final long PERSIST_LAST_USED_MILLIS = 60_000;
    private static final int HASH_BUFFER_BYTES = 1 << 20;

    private final StoreSettings settings;
    private final StoreLayout layout;
    private final Clock clock;
    private final FileLock lock;
    private final FileStore fileStore;
    private final String recovery;

    /** Mutated under {@code books} only; read without it. */
    private final ConcurrentMap<UnitAddress, CompleteUnit> complete = new ConcurrentHashMap<>();
    /** Mutated under {@code books} only; read without it. */
    private final ConcurrentMap<UnitAddress, PartialUpload> partials = new ConcurrentHashMap<>();
    private final Object books = new Object();
    // guarded by books
    private long unitBytes;
    private long partialBytes;
    private final Map<String, Set<UnitAddress>> pinsByHolder = new HashMap<>();
    private final Map<UnitAddress, Integer> pinCounts = new HashMap<>();

    private volatile boolean closed;

    /** Opens (creating it if need be) the store in {@code settings.dir()} and recovers what a crash left. */
    public LocalLayerStore(StoreSettings settings) throws StoreException {
        this(settings, Clock.systemUTC());
    }

    /** With a clock for last-use times and expiry: tests move it instead of waiting. */
    LocalLayerStore(StoreSettings settings, Clock clock) throws StoreException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.layout = new StoreLayout(settings.dir());
        this.lock = lockDirectory(layout);
        try {
            this.fileStore = Files.getFileStore(layout.root);
            this.recovery = recover();
        } catch (IOException | RuntimeException e) {
            release();
            throw new StoreException(Reason.IO, "cannot open the layer store in " + layout.root + ": " + e, e);
        }
    }

    private static FileLock lockDirectory(StoreLayout layout) throws StoreException {
        FileChannel channel = null;
        try {
            Durable.createDirectories(layout.units);
            Durable.createDirectories(layout.partial);
            channel = FileChannel.open(layout.lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it
            }
            if (lock == null) {
                channel.close();
                throw new StoreException(Reason.IO, "the layer store directory " + layout.root
                        + " is in use by another store (" + layout.lock + " is locked); give each store its own dir");
            }
            return lock;
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new StoreException(Reason.IO, "cannot open the layer store in " + layout.root + ": " + e, e);
        }
    }

    public StoreSettings settings() {
        return settings;
    }

    /** What opening the store found and did, for the log. */
    public String recovery() {
        return recovery;
    }

    // ---------------------------------------------------------------- LayerStore

    @Override
    public UnitStatus status(UnitAddress unit) {
        while (true) {
            CompleteUnit done = complete.get(unit);
            if (done != null) {
                return new UnitStatus(unit, done.size, done.chunkBytes, true, List.of());
            }
            PartialUpload upload = partials.get(unit);
            if (upload == null) {
                return UnitStatus.absent(unit);
            }
            synchronized (upload) {
                if (!upload.gone) {
                    // reserved but no chunk stored yet: nothing is held, and a new first chunk may pick the sizes
                    return upload.held.isEmpty() ? UnitStatus.absent(unit)
                            : new UnitStatus(unit, upload.unitSize, upload.chunkBytes, false, upload.heldIndices());
                }
            }
        }
    }

    @Override
    public ChunkReceipt write(ChunkWrite chunk) throws StoreException {
        checkOpen();
        int chunkCount = checkShape(chunk);
        checkChunkHash(chunk);
        while (true) {
            CompleteUnit done = complete.get(chunk.unit());
            if (done != null) {
                return duplicateOfComplete(done, chunk, chunkCount);
            }
            PartialUpload upload = partials.get(chunk.unit());
            if (upload == null) {
                upload = admit(chunk);
                if (upload == null) {
                    continue; // another writer completed it meanwhile
                }
            }
            synchronized (upload) {
                if (!upload.gone) {
                    ChunkReceipt receipt = writeLocked(upload, chunk);
                    if (receipt != null) {
                        return receipt;
                    }
                }
            }
        }
    }

    @Override
    public Optional<ByteBuffer> read(UnitAddress unit) throws StoreException {
        CompleteUnit done = complete.get(unit);
        if (done == null) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(layout.unitFile(unit), StandardOpenOption.READ)) {
            // the mapping outlives the channel, and stays valid even if the unit is evicted (unlinked) later
            ByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, done.size);
            touch(done);
            return Optional.of(bytes);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // evicted between the look-up and the open
        } catch (IOException e) {
            throw io("reading unit " + unit, e);
        }
    }

    @Override
    public void pin(String holder, Collection<UnitAddress> units) {
        Objects.requireNonNull(holder, "holder");
        Set<UnitAddress> next = Set.copyOf(units);
        synchronized (books) {
            Set<UnitAddress> previous = next.isEmpty() ? pinsByHolder.remove(holder) : pinsByHolder.put(holder, next);
            next.forEach(unit -> pinCounts.merge(unit, 1, Integer::sum));
            if (previous != null) {
                previous.forEach(this::decrementPin);
            }
        }
        for (UnitAddress unit : next) {
            CompleteUnit done = complete.get(unit);
            if (done != null) {
                touch(done);
            }
        }
    }

    @Override
    public void unpin(String holder) {
        Objects.requireNonNull(holder, "holder");
        synchronized (books) {
            Set<UnitAddress> previous = pinsByHolder.remove(holder);
            if (previous != null) {
                previous.forEach(this::decrementPin);
            }
        }
    }

    @Override
    public List<StoredUnit> units() {
        List<StoredUnit> units = new ArrayList<>();
        synchronized (books) {
            for (CompleteUnit done : complete.values()) {
                units.add(new StoredUnit(done.unit, done.size, done.owner, Instant.ofEpochMilli(done.lastUsedMillis()),
                        pinCounts.containsKey(done.unit)));
            }
        }
        units.sort(Comparator.comparing(StoredUnit::lastUsed).thenComparing(StoredUnit::unit));
        return units;
    }

    @Override
    public StoreUsage usage() {
        long free = freeDiskOrMinusOne();
        synchronized (books) {
            return new StoreUsage(complete.size(), unitBytes, partials.size(), partialBytes, pinCounts.size(),
                    settings.budgetBytes(), free, settings.quotaBytes());
        }
    }

    @Override
    public long evict(UnitAddress unit) throws StoreException {
        synchronized (books) {
            CompleteUnit done = complete.get(unit);
            if (done != null) {
                if (pinCounts.containsKey(unit)) {
                    return 0;
                }
                evictLocked(done);
                return done.size;
            }
        }
        PartialUpload upload = partials.get(unit);
        if (upload == null) {
            return 0;
        }
        synchronized (upload) {
            if (upload.gone || pinned(unit)) {
                return 0;
            }
            discardLocked(upload);
            return upload.unitSize;
        }
    }

    /**
     * Discards expired partial uploads, then evicts complete unpinned units, least recently used first. Partial uploads
     * that are still live are not discarded: their reservations stand until they complete or expire.
     */
    @Override
    public long evictTo(long targetBytes) throws StoreException {
        if (targetBytes < 0) {
            throw new IllegalArgumentException("evictTo needs a target of at least 0 bytes, got " + targetBytes);
        }
        long freed = sweepExpired();
        synchronized (books) {
            for (CompleteUnit done : unpinnedLeastRecentlyUsedFirst()) {
                if (unitBytes + partialBytes <= targetBytes) {
                    break;
                }
                evictLocked(done);
                freed += done.size;
            }
        }
        return freed;
    }

    // ---------------------------------------------------------------- beyond the interface

    /**
     * Discards partial uploads that nobody pins and that saw no chunk for {@code partial.expiry.s}, so abandoned
     * uploads do not hold quota and budget for ever. Runs from {@link #evictTo}, before refusing a new upload for want
     * of room or quota, and periodically from the component.
     *
     * @return the bytes their reservations freed
     */
    public long sweepExpired() throws StoreException {
        long now = clock.millis();
        long expiry = settings.partialExpiry().toMillis();
        long freed = 0;
        StoreException failure = null;
        for (PartialUpload upload : partials.values()) {
            if (now - upload.lastChunkMillis < expiry) {
                continue;
            }
            synchronized (upload) {
                if (upload.gone || now - upload.lastChunkMillis < expiry || pinned(upload.unit)) {
                    continue;
                }
                try {
                    discardLocked(upload);
                } catch (StoreException e) {
                    failure = e; // its bookkeeping is gone; the files go at the next restart
                }
                freed += upload.unitSize;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return freed;
    }

    /** Whether the store can create files in its directory now. */
    public boolean writable() {
        try {
            Path probe = Files.createTempFile(layout.root, "probe-", StoreLayout.TMP);
            Files.delete(probe);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Releases the directory; the store refuses writes from then on. Idempotent. */
    @Override
    public void close() {
        closed = true;
        release();
    }

    // ---------------------------------------------------------------- writing

    /** Checks what a chunk says about itself; returns the unit's chunk count. */
    private int checkShape(ChunkWrite chunk) throws StoreException {
        UnitAddress unit = chunk.unit();
        int ownerBytes = chunk.owner().getBytes(StandardCharsets.UTF_8).length;
        if (chunk.owner().isBlank() || ownerBytes > ChunkJournal.MAX_OWNER_BYTES) {
            throw bad("the owner of a chunk must be a client id of 1.." + ChunkJournal.MAX_OWNER_BYTES
                    + " bytes, got " + ownerBytes + " bytes" + (chunk.owner().isBlank() ? " of blanks" : ""));
        }
        if (chunk.unitSize() < 1 || chunk.unitSize() > settings.maxUnitBytes()) {
            throw bad("unit " + unit + ": size " + chunk.unitSize() + " is outside 1.." + settings.maxUnitBytes()
                    + " (" + StoreSettings.MAX_UNIT_BYTES + ")");
        }
        if (chunk.chunkBytes() < 1 || chunk.chunkBytes() > settings.maxChunkBytes()) {
            throw bad("unit " + unit + ": chunk size " + chunk.chunkBytes() + " is outside 1.."
                    + settings.maxChunkBytes() + " (" + StoreSettings.MAX_CHUNK_BYTES + ")");
        }
        int chunkCount = ChunkWrite.chunkCount(chunk.unitSize(), chunk.chunkBytes());
        if (chunk.index() < 0 || chunk.index() >= chunkCount) {
            throw bad("unit " + unit + ": chunk index " + chunk.index() + " is outside 0.." + (chunkCount - 1) + " ("
                    + chunkCount + " chunks of " + chunk.chunkBytes() + " bytes make " + chunk.unitSize() + ")");
        }
        long expected = chunk.index() < chunkCount - 1 ? chunk.chunkBytes()
                : chunk.unitSize() - (long) (chunkCount - 1) * chunk.chunkBytes();
        if (chunk.data().remaining() != expected) {
            throw bad("unit " + unit + ": chunk " + chunk.index() + " must have " + expected + " bytes, got "
                    + chunk.data().remaining());
        }
        if (chunk.chunkSha256().length != 32) {
            throw bad("unit " + unit + ": chunk " + chunk.index() + " needs a 32-byte SHA-256, got "
                    + chunk.chunkSha256().length + " bytes");
        }
        return chunkCount;
    }

    private static void checkChunkHash(ChunkWrite chunk) throws StoreException {
        MessageDigest digest = sha256();
        digest.update(chunk.data().duplicate()); // a duplicate: the caller's buffer position stays
        byte[] actual = digest.digest();
        if (!MessageDigest.isEqual(actual, chunk.chunkSha256())) {
            throw new StoreException(Reason.CHUNK_HASH_MISMATCH, "unit " + chunk.unit() + ": chunk " + chunk.index()
                    + " has SHA-256 " + HexFormat.of().formatHex(actual) + ", not the "
                    + HexFormat.of().formatHex(chunk.chunkSha256()) + " it was sent with; nothing was written, send"
                    + " it again");
        }
    }

    private ChunkReceipt duplicateOfComplete(CompleteUnit done, ChunkWrite chunk, int chunkCount)
            throws StoreException {
        if (done.size != chunk.unitSize()) {
            throw bad("unit " + done.unit + " is stored complete with " + done.size + " bytes; this chunk says "
                    + chunk.unitSize());
        }
        touch(done);
        return new ChunkReceipt(done.unit, chunk.index(), true, chunkCount, chunkCount, true);
    }

    /**
     * Admits a new partial upload: per-owner limits, then room in the budget and on disk, evicting least recently
     * used unpinned units if that makes room. Refuses without evicting anything when it cannot.
     *
     * @return the upload (possibly another writer's, admitted meanwhile), or null when the unit is complete now
     */
    private PartialUpload admit(ChunkWrite chunk) throws StoreException {
        boolean swept = false;
        while (true) {
            StoreException refusal;
            synchronized (books) {
                if (complete.containsKey(chunk.unit())) {
                    return null;
                }
                PartialUpload existing = partials.get(chunk.unit());
                if (existing != null) {
                    return existing;
                }
                refusal = makeRoom(chunk);
                if (refusal == null) {
                    PartialUpload upload = new PartialUpload(chunk.unit(), chunk.owner(), chunk.unitSize(),
                            chunk.chunkBytes(), new BitSet(), 0, clock.millis());
                    partials.put(upload.unit, upload);
                    partialBytes += upload.unitSize;
                    return upload;
                }
            }
            if (swept) {
                throw refusal;
            }
            // expired uploads may hold the owner's quota or the budget; discard them (outside books) and try again
            sweepExpired();
            swept = true;
        }
    }

    /** Under books: null when a new upload of the chunk's unit fits (after evicting), else why not. */
    private StoreException makeRoom(ChunkWrite chunk) throws StoreException {
        String owner = chunk.owner();
        long size = chunk.unitSize();
        int ownerPartials = 0;
        long ownerBytes = 0;
        for (PartialUpload upload : partials.values()) {
            if (upload.owner.equals(owner)) {
                ownerPartials++;
                ownerBytes += upload.unitSize;
            }
        }
        for (CompleteUnit done : complete.values()) {
            if (done.owner.equals(owner)) {
                ownerBytes += done.size;
            }
        }
        if (ownerPartials >= settings.maxPartialsPerOwner()) {
            return new StoreException(Reason.QUOTA_EXCEEDED, "unit " + chunk.unit() + ": client '" + owner
                    + "' already has " + ownerPartials + " uploads in progress, the most "
                    + StoreSettings.MAX_PARTIALS_PER_OWNER + " allows; finish one first");
        }
        if (ownerBytes + size > settings.quotaBytes()) {
            return new StoreException(Reason.QUOTA_EXCEEDED, "unit " + chunk.unit() + " (" + size + " bytes): client '"
                    + owner + "' holds " + ownerBytes + " bytes of its " + settings.quotaBytes() + "-byte quota ("
                    + StoreSettings.QUOTA_BYTES + ")");
        }
        long free = freeDisk();
        // the uploads in progress will write the rest of their reservations to this disk too (their files are
        // sparse: free disk does not show it yet); without this, uploads admitted together overfill the disk
        long coming = 0;
        for (PartialUpload upload : partials.values()) {
            coming += upload.unwrittenBytes();
        }
        long overBudget = unitBytes + partialBytes + size - settings.budgetBytes();
        long shortOfDisk = settings.minFreeDiskBytes() + size + coming - free;
        List<CompleteUnit> victims = new ArrayList<>();
        long freed = 0;
        if (size <= settings.budgetBytes()) {
            for (CompleteUnit done : unpinnedLeastRecentlyUsedFirst()) {
                if (freed >= overBudget && freed >= shortOfDisk) {
                    break;
                }
                victims.add(done);
                freed += done.size;
            }
        }
        if (freed < overBudget || freed < shortOfDisk) {
            return new StoreException(Reason.NO_SPACE, "no room for unit " + chunk.unit() + " (" + size
                    + " bytes): the store holds " + (unitBytes + partialBytes) + " of its " + settings.budgetBytes()
                    + "-byte budget (" + StoreSettings.BUDGET_BYTES + "), free disk is " + free + " bytes of which "
                    + coming + " are reserved for the uploads in progress (" + StoreSettings.MIN_FREE_DISK_BYTES
                    + " " + settings.minFreeDiskBytes()
                    + "), and the units it could evict free only " + freed + " bytes: the rest is pinned or uploading");
        }
        for (CompleteUnit victim : victims) {
            evictLocked(victim);
        }
        return null;
    }

    /**
     * Under the upload's lock: stores one chunk durably, and completes the unit when it was the last one.
     *
     * @return the receipt, or null when the caller must look the unit up again (the upload was discarded here)
     */
    private ChunkReceipt writeLocked(PartialUpload upload, ChunkWrite chunk) throws StoreException {
        UnitAddress unit = upload.unit;
        int index = chunk.index();
        if (upload.unitSize != chunk.unitSize() || upload.chunkBytes != chunk.chunkBytes()) {
            if (upload.held.isEmpty()) {
                discardLocked(upload); // nothing stored yet: let this chunk start it with its own sizes
                return null;
            }
            throw bad("unit " + unit + ": the upload in progress has " + upload.unitSize + " bytes in chunks of "
                    + upload.chunkBytes + "; this chunk says " + chunk.unitSize() + " bytes in chunks of "
                    + chunk.chunkBytes() + ": resume with the sizes status reports");
        }
        if (upload.held.get(index)) {
            if (upload.held.cardinality() == upload.chunkCount) {
                finish(upload, chunk.owner()); // an earlier completion failed on I/O: try again
                return new ChunkReceipt(unit, index, true, upload.chunkCount, upload.chunkCount, true);
            }
            return new ChunkReceipt(unit, index, true, upload.held.cardinality(), upload.chunkCount, false);
        }
        try {
            storeChunk(upload, index, chunk.data().duplicate());
        } catch (StoreException e) {
            if (upload.held.isEmpty()) {
                // a refused first chunk leaves no reservation behind to hold the owner's quota and the budget
                try {
                    discardLocked(upload);
                } catch (StoreException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        upload.journalLength += ChunkJournal.RECORD_BYTES;
        upload.held.set(index);
        upload.heldBytes += upload.length(index);
        upload.lastChunkMillis = clock.millis();
        if (upload.held.cardinality() < upload.chunkCount) {
            return new ChunkReceipt(unit, index, false, upload.held.cardinality(), upload.chunkCount, false);
        }
        finish(upload, chunk.owner());
        return new ChunkReceipt(unit, index, false, upload.chunkCount, upload.chunkCount, true);
    }

    /** Under the upload's lock: the chunk's bytes written and fsynced, then its journal record appended and fsynced. */
    private void storeChunk(PartialUpload upload, int index, ByteBuffer data) throws StoreException {
        UnitAddress unit = upload.unit;
        long free = freeDisk();
        if (free - data.remaining() < settings.minFreeDiskBytes()) {
            throw new StoreException(Reason.NO_SPACE, "unit " + unit + ": chunk " + index + " would leave "
                    + (free - data.remaining()) + " bytes free on disk, under " + StoreSettings.MIN_FREE_DISK_BYTES
                    + " " + settings.minFreeDiskBytes());
        }
        if (upload.journalLength == 0) {
            createFiles(upload);
        }
        try (FileChannel part = FileChannel.open(layout.partFile(unit), StandardOpenOption.WRITE)) {
            Durable.writeFully(part, data, upload.offset(index));
            part.force(false); // the bytes first: a journaled chunk must be on disk
            ChunkJournal.append(layout.journalFile(unit), upload.journalLength, index);
        } catch (IOException e) {
            throw io("storing chunk " + index + " of unit " + unit, e);
        }
    }

    /** Creates an upload's data file and journal (header fsynced), and makes both names durable. */
    private void createFiles(PartialUpload upload) throws StoreException {
        try {
            Files.newByteChannel(layout.partFile(upload.unit), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING).close();
            Path journal = layout.journalFile(upload.unit);
            Files.deleteIfExists(journal);
            upload.journalLength = ChunkJournal.create(journal,
                    new ChunkJournal.Header(upload.unitSize, upload.chunkBytes, upload.owner));
            Durable.syncDirectory(layout.partial);
        } catch (IOException e) {
            upload.journalLength = 0;
            throw io("starting the upload of unit " + upload.unit, e);
        }
    }

    /**
     * Under the upload's lock, all chunks held: verifies the unit against its address, then makes it complete:
     * metadata first (tmp + fsync + rename), then the data renamed into place, directories fsynced, journal removed.
     * A crash between these steps leaves a journal with every chunk, which the next open finishes the same way.
     */
    private void finish(PartialUpload upload, String completer) throws StoreException {
        UnitAddress unit = upload.unit;
        Path part = layout.partFile(unit);
        long now = clock.millis();
        try {
            String actual = sha256Of(part, upload.unitSize);
            if (!unit.sha256().equals(actual)) {
                discardLocked(upload);
                throw new StoreException(Reason.UNIT_HASH_MISMATCH, "all " + upload.chunkCount + " chunks of unit "
                        + unit + " are stored but " + (actual == null ? "their length is not " + upload.unitSize
                                : "their SHA-256 is " + actual)
                        + ": the upload was discarded; upload the unit's canonical bytes again");
            }
            Path unitFile = layout.unitFile(unit);
            Durable.createDirectories(layout.unitDirectory(unit));
            Durable.writeAtomically(layout.metaFile(unit),
                    new UnitMetadata(unit, upload.unitSize, upload.chunkBytes, completer).toBytes());
            Files.move(part, unitFile, StandardCopyOption.ATOMIC_MOVE);
            Files.setLastModifiedTime(unitFile, FileTime.fromMillis(now));
            Durable.syncDirectory(layout.unitDirectory(unit));
            Durable.syncDirectory(layout.partial);
            Files.deleteIfExists(layout.journalFile(unit)); // a leftover journal of a complete unit is cleaned on open
        } catch (IOException e) {
            throw io("completing unit " + unit, e);
        }
        upload.gone = true;
        synchronized (books) {
            partials.remove(unit, upload);
            partialBytes -= upload.unitSize;
            complete.put(unit, new CompleteUnit(unit, upload.unitSize, upload.chunkBytes, completer, now));
            unitBytes += upload.unitSize;
        }
    }

    /** Under the upload's lock: forgets it and deletes its files (journal first: a data file alone is stray). */
    private void discardLocked(PartialUpload upload) throws StoreException {
        upload.gone = true;
        synchronized (books) {
            if (partials.remove(upload.unit, upload)) {
                partialBytes -= upload.unitSize;
            }
        }
        try {
            Files.deleteIfExists(layout.journalFile(upload.unit));
            Files.deleteIfExists(layout.partFile(upload.unit));
        } catch (IOException e) {
            throw io("discarding the upload of unit " + upload.unit, e);
        }
    }

    /** Under books: deletes a complete unit (data first: metadata without data is ignored on open). */
    private void evictLocked(CompleteUnit done) throws StoreException {
        try {
            Files.deleteIfExists(layout.unitFile(done.unit));
        } catch (IOException e) {
            throw io("evicting unit " + done.unit, e);
        }
        complete.remove(done.unit, done);
        unitBytes -= done.size;
        try {
            Files.deleteIfExists(layout.metaFile(done.unit));
        } catch (IOException e) {
            throw io("evicting unit " + done.unit + " (its data is gone, its metadata file stays)", e);
        }
    }

    // ---------------------------------------------------------------- recovery

    private String recover() throws IOException {
        DirectoryScan.Found found = DirectoryScan.scan(layout);
        for (CompleteUnit done : found.units()) {
            complete.put(done.unit, done);
            unitBytes += done.size;
        }
        List<PartialUpload> allJournaled = new ArrayList<>();
        for (PartialUpload upload : found.partials()) {
            partials.put(upload.unit, upload);
            partialBytes += upload.unitSize;
            if (upload.held.cardinality() == upload.chunkCount) {
                allJournaled.add(upload);
            }
        }
        int finished = 0;
        int mismatched = 0;
        for (PartialUpload upload : allJournaled) {
            // the crash came between the last chunk's journal record and the rename: finish it the same way
            synchronized (upload) {
                try {
                    finish(upload, upload.owner);
                    finished++;
                } catch (StoreException e) {
                    if (e.reason() != Reason.UNIT_HASH_MISMATCH) {
                        throw new IOException(e.getMessage(), e); // the disk fails us: do not open half-recovered
                    }
                    mismatched++; // the bytes do not match the address; finish discarded them
                }
            }
        }
        return complete.size() + " units (" + unitBytes + " bytes), " + partials.size() + " partial uploads resumed ("
                + partialBytes + " bytes reserved), " + finished + " uploads finished that a crash left journaled, "
                + (found.discardedPartials() + mismatched) + " partial uploads discarded as unusable, "
                + found.droppedUnitFiles() + " inconsistent unit files removed, " + found.strayFiles()
                + " stray temporary files deleted";
    }

    // ---------------------------------------------------------------- helpers

    /** Under books: complete units nobody pins, least recently used first. */
    private List<CompleteUnit> unpinnedLeastRecentlyUsedFirst() {
        List<CompleteUnit> units = new ArrayList<>();
        for (CompleteUnit done : complete.values()) {
            if (!pinCounts.containsKey(done.unit)) {
                units.add(done);
            }
        }
        units.sort(Comparator.comparingLong(CompleteUnit::lastUsedMillis).thenComparing(u -> u.unit));
        return units;
    }

    private boolean pinned(UnitAddress unit) {
        synchronized (books) {
            return pinCounts.containsKey(unit);
        }
    }

    private void decrementPin(UnitAddress unit) {
        pinCounts.computeIfPresent(unit, (u, count) -> count == 1 ? null : count - 1);
    }

    private void touch(CompleteUnit done) {
        long now = clock.millis();
        if (done.touch(now, PERSIST_LAST_USED_MILLIS)) {
            try {
                Files.setLastModifiedTime(layout.unitFile(done.unit), FileTime.fromMillis(now));
            } catch (IOException e) {
                // evicted meanwhile, or the disk refuses: LRU order across restarts is best effort
            }
        }
    }

    private long freeDisk() throws StoreException {
        try {
            return fileStore.getUsableSpace();
        } catch (IOException e) {
            throw io("reading the free space of " + layout.root, e);
        }
    }

    private long freeDiskOrMinusOne() {
        try {
            return fileStore.getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The SHA-256 of the file's bytes as hex, or null when it is not {@code size} bytes long. */
    private static String sha256Of(Path file, long size) throws IOException {
        MessageDigest digest = sha256();
        ByteBuffer buffer = ByteBuffer.allocate(HASH_BUFFER_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() != size) {
                return null;
            }
            long position = 0;
            while (position < size) {
                buffer.clear();
                int read = channel.read(buffer, position);
                if (read < 0) {
                    return null;
                }
                position += read;
                buffer.flip();
                digest.update(buffer);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private void checkOpen() throws StoreException {
        if (closed) {
            throw new StoreException(Reason.IO, "the layer store in " + layout.root + " is closed");
        }
    }

    private void release() {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            // closing a lock file: nothing left to do
        }
    }

    private static StoreException bad(String message) {
        return new StoreException(Reason.BAD_CHUNK, message);
    }

    private static StoreException io(String what, IOException e) {
        return new StoreException(Reason.IO, what + " failed: " + e, e);
    }
}
