package org.layerlift.api.store;

/** A store operation refused or failed; {@link #reason()} says which way, the message says what to do. */
public final class StoreException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why. Each maps to one protocol reason code. */
    public enum Reason {
        /** The chunk's bytes do not have the SHA-256 the writer gave. Nothing was written. */
        CHUNK_HASH_MISMATCH,
        /** All chunks are there but the unit's SHA-256 is not its address. The partial upload was discarded. */
        UNIT_HASH_MISMATCH,
        /** Index, length, size or chunk size out of range or inconsistent with what the store holds. */
        BAD_CHUNK,
        /** The owner's quota would be exceeded. */
        QUOTA_EXCEEDED,
        /** The disk budget cannot make room (everything left is pinned) or the disk is full. */
        NO_SPACE,
        /** An I/O error: the store cannot read or write its files. */
        IO
    }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
