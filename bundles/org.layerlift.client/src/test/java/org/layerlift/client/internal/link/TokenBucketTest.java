package org.layerlift.client.internal.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Timing here is checked only loosely: lower bounds follow from the arithmetic (a bucket can never be faster), upper
 * bounds are generous so a loaded machine does not fail them.
 */
class TokenBucketTest {

    @Test
    void burstIsFourKibOrTwoMillisecondsOfRate() {
        assertEquals(4096, new TokenBucket(125_000).burst()); // 1 Mbit/s: 2 ms = 250 B
        assertEquals(4096, new TokenBucket(1_250_000).burst()); // 10 Mbit/s: 2 ms = 2500 B
        assertEquals(75_000, new TokenBucket(37_500_000).burst()); // 300 Mbit/s
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1000).acquire(-1));
    }

    @Test
    void idleCreditIsCappedAtTheBurst() throws Exception {
        TokenBucket b = new TokenBucket(10_000_000); // burst 20,000 B
        Thread.sleep(30); // would earn 300,000 B without the cap
        assertTrue(b.available() <= b.burst(), "credit " + b.available());
        assertTrue(b.available() >= b.burst() - 1, "credit " + b.available());
    }

    @Test
    void debtIsPaidAtTheRate() throws Exception {
        TokenBucket b = new TokenBucket(1_000_000); // 1 B/us, burst 4096
        long before = System.nanoTime();
        assertTrue(b.reserve(4096) <= System.nanoTime(), "a full bucket passes a burst at once");
        long between = System.nanoTime();
        long due = b.reserve(4096); // the bucket is empty: 4096 B more are due 4.096 ms after the first reserve
        long after = System.nanoTime();
        // bounds from the arithmetic alone, whatever the scheduler did between the calls: never before 4.096 ms
        // after the first reserve, and no later than that or than the second reserve (when the pause refilled it)
        assertTrue(due - before >= 4_095_000, "due " + (due - before) + " ns after the first reserve");
        assertTrue(due <= Math.max(between + 4_097_000, after), "due " + (due - between) + " ns after it, "
                + (after - between) + " ns for the second reserve");
    }

    @Test
    void refillsWithElapsedTime() throws Exception {
        TokenBucket b = new TokenBucket(100_000); // burst 4096 = 41 ms of rate
        b.reserve(4096);
        assertTrue(b.available() < 100);
        Thread.sleep(10);
        double credit = b.available();
        assertTrue(credit >= 900 && credit <= 4096, "credit after 10 ms: " + credit);
    }

    @Test
    void aLoneWriterGetsTheRate() throws Exception {
        TokenBucket b = new TokenBucket(1_000_000);
        int total = 250_000;
        long t0 = System.nanoTime();
        for (int sent = 0; sent < total; sent += 1460) {
            b.acquire(Math.min(1460, total - sent));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        double ideal = (total - b.burst()) / 1e6;
        assertTrue(s >= ideal * 0.98, "took " + s + " s, cannot be under " + ideal);
        assertTrue(s <= ideal * 2 + 0.5, "took " + s + " s");
    }

    @Test
    void concurrentWritersShareTheRate() throws Exception {
        TokenBucket b = new TokenBucket(800_000);
        int each = 100_000;
        long t0 = System.nanoTime();
        AtomicLong[] done = {new AtomicLong(), new AtomicLong()};
        Thread[] writers = new Thread[2];
        for (int i = 0; i < 2; i++) {
            AtomicLong end = done[i];
            writers[i] = new Thread(() -> {
                try {
                    for (int sent = 0; sent < each; sent += 1000) {
                        b.acquire(1000);
                    }
                    end.set(System.nanoTime() - t0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            writers[i].start();
        }
        for (Thread w : writers) {
            w.join(10_000);
        }
        double total = Math.max(done[0].get(), done[1].get()) / 1e9;
        double first = Math.min(done[0].get(), done[1].get()) / 1e9;
        double ideal = (2.0 * each - b.burst()) / 800_000;
        assertTrue(total >= ideal * 0.98, "two writers took " + total + " s, cannot be under " + ideal);
        assertTrue(total <= ideal * 2 + 0.5, "two writers took " + total + " s");
        assertTrue(first >= 0.6 * total, "interleaved: first done at " + first + " s of " + total);
    }

    @Test
    void aLargeRequestDoesNotStarveASmallOne() throws Exception {
        TokenBucket b = new TokenBucket(1_000_000);
        Thread big = new Thread(() -> {
            try {
                b.acquire(3_000_000); // 3 s
            } catch (InterruptedException e) {
                // stopped below
            }
        });
        big.start();
        Thread.sleep(100);
        long t0 = System.nanoTime();
        b.acquire(1000);
        double waited = (System.nanoTime() - t0) / 1e9;
        big.interrupt();
        big.join(5000);
        assertTrue(waited < 0.5, "a 1000 B write behind a 3 MB one waited " + waited + " s");
    }

    @Test
    void aWaitIsInterruptible() throws Exception {
        TokenBucket b = new TokenBucket(10_000);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch over = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                b.acquire(1_000_000); // 100 s
            } catch (Throwable e) {
                thrown.set(e);
            }
            over.countDown();
        });
        t.start();
        Thread.sleep(50);
        t.interrupt();
        assertTrue(over.await(2, TimeUnit.SECONDS), "an interrupted wait ends");
        assertTrue(thrown.get() instanceof InterruptedException, "threw " + thrown.get());
    }
}
