package org.layerlift.api.store;

import java.util.List;

/**
 * What the store holds of one unit. An upload admitted but with no chunk stored yet holds nothing: it reports as
 * absent, and its next first chunk may choose the sizes.
 *
 * @param unit        the unit
 * @param size        its size in bytes; 0 when the store has never seen it
 * @param chunkBytes  chunk size of its upload; 0 when nothing is held
 * @param complete    the whole unit is stored and verified
 * @param chunksHeld  for a partial upload: the indices of the chunks held (ascending); empty when complete or absent
 */
public record UnitStatus(UnitAddress unit, long size, int chunkBytes, boolean complete, List<Integer> chunksHeld) {

    public UnitStatus {
        chunksHeld = List.copyOf(chunksHeld);
    }

    /** Nothing of the unit is held. */
    public static UnitStatus absent(UnitAddress unit) {
        return new UnitStatus(unit, 0, 0, false, List.of());
    }

    /** Whether any chunk of the unit is held (a complete unit counts). */
    public boolean present() {
        return complete || !chunksHeld.isEmpty();
    }
}
