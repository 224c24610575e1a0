package org.layerlift.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.layerlift.api.gateway.GatewayStatus;
import org.layerlift.api.gateway.HealthStatus;

class StatusRefresherTest {

    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final List<GatewayStatus> told = new ArrayList<>();
    private int taken;

    private StatusRefresher refresher(Supplier<GatewayStatus> snapshot, Predicate<GatewayStatus> publishable) {
        return new StatusRefresher(queue::add, snapshot, publishable, e -> {
            throw e;
        }, (l, e) -> {
            throw e;
        });
    }

    private void runAll() {
        for (Runnable r; (r = queue.poll()) != null;) {
            r.run();
        }
    }

    @Test
    void requestsCoalesceAndOnesDuringARefreshCauseExactlyOneMore() {
        AtomicReference<StatusRefresher> self = new AtomicReference<>();
        StatusRefresher r = refresher(() -> {
            taken++;
            if (taken == 1) { // bundle events while the first refresh runs
                self.get().request();
                self.get().request();
                self.get().request();
            }
            return status("h" + taken);
        }, s -> true);
        self.set(r);
        r.addListener(told::add);
        queue.clear(); // the newcomer task: nothing published yet
        for (int i = 0; i < 5; i++) {
            r.request();
        }
        assertEquals(1, queue.size(), "five requests before a refresh ran are one refresh");
        queue.poll().run();
        assertEquals(1, taken);
        assertEquals(1, queue.size(), "requests during the refresh cause exactly one more");
        runAll();
        assertEquals(2, taken);
        assertEquals(List.of("h1", "h2"), told.stream().map(GatewayStatus::health).toList());
    }

    @Test
    void refreshNowRunsOnTheWorkerAndListenersAreCalledThereOnly() throws Exception {
        BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
        List<Thread> snapshotThreads = new CopyOnWriteArrayList<>();
        List<Thread> listenerThreads = new CopyOnWriteArrayList<>();
        StatusRefresher r = new StatusRefresher(tasks::add, () -> {
            snapshotThreads.add(Thread.currentThread());
            return status("OK" + snapshotThreads.size());
        }, s -> true, e -> {
        }, (l, e) -> {
        });
        r.addListener(s -> listenerThreads.add(Thread.currentThread()));
        tasks.take().run(); // the newcomer task
        AtomicReference<GatewayStatus> got = new AtomicReference<>();
        Thread shell = new Thread(() -> got.set(r.refreshNow(600_000)), "shell");
        shell.start();
        tasks.take().run(); // this thread plays the status worker
        shell.join();
        assertEquals(List.of(Thread.currentThread()), snapshotThreads);
        assertEquals(List.of(Thread.currentThread()), listenerThreads);
        assertEquals("OK1", got.get().health());
        assertTrue(tasks.isEmpty());
    }

    @Test
    void nothingIsPublishedUntilTheTransportIsUpAndNewcomersThenGetTheLastStatus() {
        List<GatewayStatus> snapshots = new ArrayList<>(List.of(status("CRITICAL"), status("OK")));
        StatusRefresher r = refresher(() -> snapshots.remove(0), s -> s.health().equals("OK"));
        r.addListener(told::add);
        r.request();
        runAll();
        assertEquals(List.of(), told, "the first status waits for the transport");
        assertEquals("CRITICAL", r.current().health());
        r.request();
        runAll();
        assertEquals(List.of("OK"), told.stream().map(GatewayStatus::health).toList());
        List<GatewayStatus> late = new ArrayList<>();
        r.addListener(late::add);
        runAll();
        assertSame(told.get(0), late.get(0));
    }

    static GatewayStatus status(String health) {
        return new GatewayStatus("0.1.0", health, List.of(), List.of(), List.of(new HealthStatus("h", health, "")),
                List.of(), 0);
    }
}
