package org.layerlift.gateway.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.layerlift.api.gateway.GatewayStatus;
import org.layerlift.api.gateway.GatewayStatusListener;

/**
 * Takes status snapshots and tells the listeners, on the one worker thread behind {@code worker} only. Requests
 * coalesce: at most one refresh is pending; requests while a refresh runs cause exactly one more. Snapshots are
 * published in the order they were taken, and nothing is published before {@code publishable} first accepts a
 * snapshot (the transport is up). No lock is held while a snapshot is taken or a listener is called.
 */
final class StatusRefresher {

    private final Executor worker;
    private final Supplier<GatewayStatus> snapshot;
    private final Predicate<GatewayStatus> publishable;
    private final Consumer<RuntimeException> snapshotFailed;
    private final BiConsumer<GatewayStatusListener, RuntimeException> listenerFailed;
    private final List<GatewayStatusListener> listeners = new CopyOnWriteArrayList<>();

    private final Object lock = new Object();
    /** Guarded by lock: requests so far, requests a finished refresh covered, whether a refresh is queued. */
    private long requested;
    private long completed;
    private boolean queued;
    private boolean closed;

    /** The thread running a refresh right now, so that a refresh asked for from that thread does not wait for itself. */
    private volatile Thread refreshing;
    private volatile GatewayStatus current;
    /** Worker thread only: the last status the listeners were told. */
    private GatewayStatus published;

    StatusRefresher(Executor worker, Supplier<GatewayStatus> snapshot, Predicate<GatewayStatus> publishable,
            Consumer<RuntimeException> snapshotFailed,
            BiConsumer<GatewayStatusListener, RuntimeException> listenerFailed) {
        this.worker = worker;
        this.snapshot = snapshot;
        this.publishable = publishable;
        this.snapshotFailed = snapshotFailed;
        this.listenerFailed = listenerFailed;
    }

    /** The newest snapshot, null before the first refresh. */
    GatewayStatus current() {
        return current;
    }

    /** Asks for a refresh on the worker; returns a ticket for {@link #awaitRefresh}. */
    long request() {
        long ticket;
        synchronized (lock) {
            ticket = ++requested;
            if (queued || closed) {
                return ticket;
            }
            queued = true;
        }
        try {
            worker.execute(this::runQueued);
        } catch (RejectedExecutionException e) {
            synchronized (lock) {
                queued = false; // shutting down
            }
        }
        return ticket;
    }

    /** Requests a refresh and waits at most {@code timeoutMillis} for it; returns the newest snapshot then. */
    GatewayStatus refreshNow(long timeoutMillis) {
        long ticket = request();
        if (Thread.currentThread() == refreshing) {
            return current; // asked from a listener: waiting would wait for ourselves
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (lock) {
            while (completed < ticket && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return current;
    }

    void addListener(GatewayStatusListener listener) {
        listeners.add(listener);
        // a newcomer (a publisher that just connected) gets the last published status at once, on the worker
        try {
            worker.execute(() -> {
                if (published != null && listeners.contains(listener)) {
                    notifyOne(listener, published);
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    void removeListener(GatewayStatusListener listener) {
        listeners.remove(listener);
    }

    /** Releases whoever waits in {@link #refreshNow}; later requests do nothing. */
    void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    private void runQueued() {
        long upTo;
        synchronized (lock) {
            queued = false; // a request from now on queues one more refresh
            upTo = requested;
            if (closed) {
                return;
            }
        }
        refreshing = Thread.currentThread();
        try {
            refreshOnce();
        } finally {
            refreshing = null;
            synchronized (lock) {
                completed = Math.max(completed, upTo);
                lock.notifyAll();
            }
        }
    }

    private void refreshOnce() {
        GatewayStatus next;
        try {
            next = snapshot.get();
        } catch (RuntimeException e) {
            snapshotFailed.accept(e);
            return;
        }
        current = next;
        if (published == null && !publishable.test(next)) {
            return; // the first status waits until it can say the transport is up
        }
        if (!GatewayStatusService.sameContent(published, next)) {
            published = next;
            for (GatewayStatusListener l : listeners) {
                notifyOne(l, next);
            }
        }
    }

    private void notifyOne(GatewayStatusListener listener, GatewayStatus status) {
        try {
            listener.statusChanged(status);
        } catch (RuntimeException e) {
            listenerFailed.accept(listener, e);
        }
    }
}
