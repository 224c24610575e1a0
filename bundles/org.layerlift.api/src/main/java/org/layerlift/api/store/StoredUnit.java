package org.layerlift.api.store;

import java.time.Instant;

/**
 * One complete unit in the store.
 *
 * @param unit     the unit
 * @param size     bytes
 * @param owner    the client that completed its upload (the one whose quota it counts against)
 * @param lastUsed when it was last written, read or pinned
 * @param pinned   whether a live session holds it (pinned units are never evicted)
 */
public record StoredUnit(UnitAddress unit, long size, String owner, Instant lastUsed, boolean pinned) {
}
