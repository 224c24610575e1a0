package org.layerlift.transport.mqtt.internal;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.layerlift.api.transport.InboundMessage;
import org.layerlift.api.transport.MessageHandler;

/**
 * Hands received messages to their handlers on a bounded pool, so that the delivery thread never blocks and no
 * client can take more than its share: at most {@code perClient} messages of one client namespace are in progress
 * (from hand-over until the handler's stage completes), the pool's queue is bounded, and payloads over the limit are
 * never handed over. A message over any bound is refused at once ({@link MessageHandler#refused}), never queued.
 */
final class InboundDispatcher implements AutoCloseable {

    /** Bounds of inbound work. */
    record Limits(int workers, int queue, int perClient, int maxPayloadBytes) {
        Limits {
            if (workers < 1 || queue < 1 || perClient < 1 || maxPayloadBytes < 1024) {
                throw new IllegalArgumentException("bad dispatch limits: workers " + workers + ", queue " + queue
                        + ", per client " + perClient + ", max payload " + maxPayloadBytes);
            }
        }
    }

    private final Limits limits;
    private final ThreadPoolExecutor pool;
    private final ConcurrentHashMap<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();
    private final Consumer<Throwable> onHandlerFailure;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();

    InboundDispatcher(Limits limits, Consumer<Throwable> onHandlerFailure) {
        this.limits = limits;
        this.onHandlerFailure = onHandlerFailure;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(limits.workers(), limits.workers(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(limits.queue()), r -> {
                    Thread t = new Thread(r, "layerlift-mqtt-in-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /** Called on the delivery thread: hands the message over or refuses it, without blocking. */
    void dispatch(InboundMessage message, MessageHandler handler) {
        if (message.payload().length > limits.maxPayloadBytes()) {
            refuse(message, handler, "payload_too_large");
            return;
        }
        String client = message.clientId() == null ? "" : message.clientId();
        AtomicInteger count = inProgress.compute(client, (k, v) -> v == null ? new AtomicInteger() : v);
        if (count.incrementAndGet() > limits.perClient()) {
            release(client, count);
            refuse(message, handler, "overloaded");
            return;
        }
        try {
            pool.execute(() -> run(message, handler, client, count));
        } catch (RejectedExecutionException e) {
            release(client, count);
            refuse(message, handler, "overloaded");
        }
    }

    private void run(InboundMessage message, MessageHandler handler, String client, AtomicInteger count) {
        CompletionStage<?> stage;
        try {
            stage = handler.handle(message);
        } catch (RuntimeException | Error e) {
            release(client, count);
            onHandlerFailure.accept(e);
            return;
        }
        handled.incrementAndGet();
        if (stage == null) {
            release(client, count);
        } else {
            stage.whenComplete((r, e) -> release(client, count));
        }
    }

    private void release(String client, AtomicInteger count) {
        if (count.decrementAndGet() <= 0) {
            // drop idle clients' counters so the map holds only clients with work in progress
            inProgress.computeIfPresent(client, (k, v) -> v.get() <= 0 ? null : v);
        }
    }

    private void refuse(InboundMessage message, MessageHandler handler, String reason) {
        refused.incrementAndGet();
        try {
            handler.refused(message, reason);
        } catch (RuntimeException e) {
            onHandlerFailure.accept(e);
        }
    }

    /** Clients with messages in progress now. */
    int activeClients() {
        return inProgress.size();
    }

    long refusedCount() {
        return refused.get();
    }

    long handledCount() {
        return handled.get();
    }

    int queued() {
        return pool.getQueue().size();
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(2, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
