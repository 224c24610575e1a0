package org.layerlift.inference.onnx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache's bookkeeping with stand-in resources: LRU within the byte limit, leases delay closing. */
class SessionCacheTest {

    record Resource(String name) implements AutoCloseable {
        @Override
        public void close() {}
    }

    final SessionCache<Resource> cache = new SessionCache<>(100);
    final Object owner = new Object();
    final List<Resource> toClose = new ArrayList<>();

    @Test
    void leastRecentlyUsedGoesFirst() {
        Resource a = new Resource("a");
        Resource b = new Resource("b");
        Resource c = new Resource("c");
        cache.put("a", owner, a, 40, false, toClose);
        cache.put("b", owner, b, 40, false, toClose);
        assertEquals(80, cache.bytes());
        cache.release(cache.lease("a", owner)); // a is now more recent than b
        cache.put("c", owner, c, 40, false, toClose);
        assertEquals(List.of(b), toClose);
        assertTrue(cache.contains("a") && cache.contains("c") && !cache.contains("b"));
        assertEquals(80, cache.bytes());
        assertEquals(2, cache.size());
    }

    @Test
    void anEvictedSessionInUseClosesWithItsLastLease() {
        Resource a = new Resource("a");
        cache.put("a", owner, a, 60, false, toClose);
        SessionCache.Entry<Resource> first = cache.lease("a", owner);
        SessionCache.Entry<Resource> second = cache.lease("a", owner);
        cache.put("b", owner, new Resource("b"), 60, false, toClose);
        assertTrue(toClose.isEmpty(), "a is leased: evicted, not closed");
        assertFalse(cache.contains("a"));
        assertNull(cache.lease("a", owner), "an evicted entry is not leased again");
        assertNull(cache.release(first));
        assertSame(a, cache.release(second));
        assertThrows(IllegalStateException.class, () -> cache.release(second));
    }

    @Test
    void aSessionLargerThanTheCacheLivesForItsLeaseOnly() {
        Resource big = new Resource("big");
        SessionCache.Entry<Resource> lease = cache.put("big", owner, big, 101, true, toClose);
        assertEquals(0, cache.size());
        assertTrue(toClose.isEmpty());
        assertSame(big, cache.release(lease));
        Resource unleased = new Resource("unleased");
        cache.put("u", owner, unleased, 101, false, toClose);
        assertEquals(List.of(unleased), toClose);
    }

    @Test
    void aReplacedOwnerGetsNothing() {
        Object newer = new Object();
        cache.put("k", owner, new Resource("old"), 10, false, toClose);
        assertNull(cache.lease("k", newer));
        assertNotNull(cache.lease("k", owner));
    }

    @Test
    void removeAndClearHandBackWhatIsUnused() {
        Resource a = new Resource("a");
        Resource b = new Resource("b");
        cache.put("a", owner, a, 10, false, toClose);
        cache.put("b", owner, b, 10, false, toClose);
        SessionCache.Entry<Resource> leased = cache.lease("b", owner);
        cache.remove("a", toClose);
        assertEquals(List.of(a), toClose);
        cache.clear(toClose);
        assertEquals(List.of(a), toClose, "b is leased");
        assertEquals(0, cache.size());
        assertEquals(0, cache.bytes());
        assertSame(b, cache.release(leased));
    }
}
