package org.layerlift.inference.onnx.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Built sessions kept within a byte budget, least recently used out first. A session in use by a run is leased
 * (reference counted): evicting it only drops it from the cache, and it is closed when its last lease ends, so a
 * run never sees its session closed under it. Each entry records the registration (owner) it was built for, so a
 * segment replaced under the same key never gets its predecessor's session.
 *
 * <p>Not thread-safe: the runtime calls it under its lock. Methods never close anything themselves; they hand back
 * what the caller must close, so closing (which can take a while for big sessions) happens outside the lock.
 */
final class SessionCache<T extends AutoCloseable> {

    /** One built resource, leased by runs. */
    static final class Entry<T> {
        private final String key;
        private final Object owner;
        private final T resource;
        private final long bytes;
        private int leases;
        private boolean cached;

        private Entry(String key, Object owner, T resource, long bytes) {
            this.key = key;
            this.owner = owner;
            this.resource = resource;
            this.bytes = bytes;
        }

        T resource() {
            return resource;
        }
    }

    private final long limit;
    private final LinkedHashMap<String, Entry<T>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    SessionCache(long limit) {
        this.limit = limit;
    }

    /** A lease on the cached entry of {@code key} built for {@code owner}, marked most recently used; or null. */
    Entry<T> lease(String key, Object owner) {
        Entry<T> e = entries.get(key);
        if (e == null || e.owner != owner) {
            return null;
        }
        e.leases++;
        return e;
    }

    /**
     * Caches {@code resource} for {@code key}, replacing what is cached under it, and evicts least recently used
     * entries until the cache is within its limit. A resource larger than the whole limit is not cached: with
     * {@code lease} it lives for that lease only, without it goes straight to {@code toClose}.
     *
     * @return the entry, leased once when {@code lease}
     */
    Entry<T> put(String key, Object owner, T resource, long size, boolean lease, List<T> toClose) {
        remove(key, toClose);
        Entry<T> e = new Entry<>(key, owner, resource, size);
        e.leases = lease ? 1 : 0;
        if (size > limit) {
            if (!lease) {
                toClose.add(resource);
            }
            return e;
        }
        e.cached = true;
        entries.put(key, e);
        bytes += size;
        Iterator<Entry<T>> it = entries.values().iterator();
        while (bytes > limit && it.hasNext()) {
            Entry<T> victim = it.next();
            if (victim != e) {
                it.remove();
                evicted(victim, toClose);
            }
        }
        return e;
    }

    /** Ends a lease; returns the resource to close when it was evicted meanwhile and this was its last lease. */
    T release(Entry<T> e) {
        if (e.leases <= 0) {
            throw new IllegalStateException("entry " + e.key + " released more often than leased");
        }
        e.leases--;
        return !e.cached && e.leases == 0 ? e.resource : null;
    }

    /** Evicts what is cached under {@code key}. */
    void remove(String key, List<T> toClose) {
        Entry<T> old = entries.remove(key);
        if (old != null) {
            evicted(old, toClose);
        }
    }

    /** Evicts everything. */
    void clear(List<T> toClose) {
        for (Entry<T> e : new ArrayList<>(entries.values())) {
            evicted(e, toClose);
        }
        entries.clear();
    }

    private void evicted(Entry<T> e, List<T> toClose) {
        e.cached = false;
        bytes -= e.bytes;
        if (e.leases == 0) {
            toClose.add(e.resource);
        }
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }

    long limit() {
        return limit;
    }

    /** Whether {@code key} has a cached entry (for tests and stats). */
    boolean contains(String key) {
        return entries.containsKey(key);
    }
}
