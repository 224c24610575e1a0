package org.layerlift.transport.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.layerlift.api.transport.InboundMessage;
import org.layerlift.api.transport.MessageHandler;

class InboundDispatcherTest {

    /** Holds every message's stage open until released; records what was refused and why. */
    static final class Holding implements MessageHandler {
        final List<CompletableFuture<Void>> open = new CopyOnWriteArrayList<>();
        final List<String> refused = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<?> handle(InboundMessage m) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            open.add(f);
            return f;
        }

        @Override
        public void refused(InboundMessage m, String reason) {
            refused.add(m.clientId() + ":" + reason);
        }
    }

    private static InboundMessage from(String client, int bytes) {
        return new InboundMessage("layerlift/v1/c/" + client + "/chunk", new byte[bytes], 1, null, null);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void eachClientGetsItsShareAndMoreIsRefusedNotQueued() {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Holding h = new Holding();
            try (InboundDispatcher d = new InboundDispatcher(new InboundDispatcher.Limits(2, 16, 3, 1024),
                    e -> { })) {
                for (int i = 0; i < 5; i++) {
                    d.dispatch(from("a", 10), h);
                }
                d.dispatch(from("b", 10), h);
                await(() -> h.open.size() == 4);
                assertEquals(4, h.open.size(), "three of a's, one of b's in progress");
                assertEquals(List.of("a:overloaded", "a:overloaded"), h.refused);
                // a's work done: a gets its share again, and its counter is gone while it has none
                h.open.forEach(f -> f.complete(null));
                for (int i = 0; i < 3; i++) {
                    d.dispatch(from("a", 10), h);
                }
                await(() -> h.open.size() == 7);
                assertEquals(7, h.open.size());
                assertEquals(2, h.refused.size());
                d.dispatch(from("c", 2048), h);
                assertEquals("c:payload_too_large", h.refused.get(2));
                h.open.forEach(f -> f.complete(null));
            }
        });
    }

    @Test
    void aFullQueueRefusesAtOnce() {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            List<String> refused = new CopyOnWriteArrayList<>();
            MessageHandler blocking = new MessageHandler() {
                @Override
                public CompletionStage<?> handle(InboundMessage m) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }

                @Override
                public void refused(InboundMessage m, String reason) {
                    refused.add(reason);
                }
            };
            try (InboundDispatcher d = new InboundDispatcher(new InboundDispatcher.Limits(1, 1, 100, 1024),
                    e -> { })) {
                for (int i = 0; i < 6; i++) {
                    d.dispatch(from("client" + i, 10), blocking); // different clients: only the pool bounds them
                    Thread.sleep(20);
                }
                assertTrue(refused.size() >= 4, "one running, one queued, the rest refused: " + refused);
                assertTrue(refused.stream().allMatch("overloaded"::equals));
                release.countDown();
            }
        });
    }
}
