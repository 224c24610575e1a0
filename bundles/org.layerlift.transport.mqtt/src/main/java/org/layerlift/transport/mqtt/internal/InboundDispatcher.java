package org.layerlift.transport.mqtt.internal;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** client id → messages in progress */
    private final ConcurrentHashMap<String, Integer> inProgress = new ConcurrentHashMap<>();
    private final Consumer<Throwable> onHandlerFailure;

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
        if (!enter(client)) {
            refuse(message, handler, "overloaded");
            return;
        }
        try {
            pool.execute(() -> run(message, handler, client));
        } catch (RejectedExecutionException e) {
            leave(client);
            refuse(message, handler, "overloaded");
        }
    }

    private void run(InboundMessage message, MessageHandler handler, String client) {
        CompletionStage<?> stage;
        try {
            stage = handler.handle(message);
        } catch (RuntimeException | Error e) {
            leave(client);
            onHandlerFailure.accept(e);
            return;
        }
        if (stage == null) {
            leave(client);
        } else {
            stage.whenComplete((r, e) -> leave(client));
        }
    }

    /**
     * Counts a message of {@code client} in, unless it has {@code perClient} in progress. Counting and removing an
     * idle client's counter happen inside the map's per-key atomic updates, so no message is counted on a counter
     * that was just dropped.
     */
    private boolean enter(String client) {
        boolean[] admitted = {false};
        inProgress.compute(client, (k, v) -> {
            int now = v == null ? 0 : v;
            admitted[0] = now < limits.perClient();
            return admitted[0] ? now + 1 : v;
        });
        return admitted[0];
    }

    /** Counts a message out; the map holds only clients with work in progress. */
    private void leave(String client) {
        inProgress.computeIfPresent(client, (k, v) -> v <= 1 ? null : v - 1);
    }

    private void refuse(InboundMessage message, MessageHandler handler, String reason) {
        try {
            handler.refused(message, reason);
        } catch (RuntimeException e) {
            onHandlerFailure.accept(e);
        }
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
