package org.layerlift.api.store;

import java.util.HexFormat;

/**
 * The content address of one unit's weights: the SHA-256 of its canonical bytes (the unit's external tensors'
 * raw little-endian data, concatenated in the order the protocol documents), as 64 lowercase hex digits.
 */
public record UnitAddress(String sha256) implements Comparable<UnitAddress> {

    public UnitAddress {
        if (sha256 == null || sha256.length() != 64) {
            throw new IllegalArgumentException("a unit address is 64 lowercase hex digits (SHA-256), got "
                    + (sha256 == null ? "nothing" : "'" + abbreviate(sha256) + "'"));
        }
        for (int i = 0; i < 64; i++) {
            char c = sha256.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException("a unit address is 64 lowercase hex digits (SHA-256), got '"
                        + abbreviate(sha256) + "'");
            }
        }
    }

    /** The address of a 32-byte SHA-256 digest. */
    public static UnitAddress of(byte[] digest) {
        if (digest == null || digest.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes");
        }
        return new UnitAddress(HexFormat.of().formatHex(digest));
    }

    /** The first 12 hex digits, for logs and tables. */
    public String shortForm() {
        return sha256.substring(0, 12);
    }

    @Override
    public int compareTo(UnitAddress o) {
        return sha256.compareTo(o.sha256);
    }

    @Override
    public String toString() {
        return sha256;
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
