package org.layerlift.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Planner;
import org.layerlift.api.partition.PlannerState;
import org.layerlift.api.partition.UploadPlan;
import org.layerlift.api.store.ChunkWrite;
import org.layerlift.api.store.UnitAddress;
import org.layerlift.inference.onnx.internal.ExecutorSettings;
import org.layerlift.inference.onnx.internal.SegmentRuntime;
import org.layerlift.store.internal.LocalLayerStore;
import org.layerlift.store.internal.StoreSettings;
import org.layerlift.strategy.frontier.FrontierStrategy;
import org.osgi.service.log.Logger;

/** The component's Gogo commands, health check and configuration checks, on the real store and executor. */
class SessionComponentTest {

    private static final Path WORK = Path.of(System.getProperty("layerlift.test.work", "target/test-work"));

    private static SessionConfig config(Path dir, long idle) {
        return new SessionConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return SessionConfig.class;
            }

            @Override
            public String data_dir() {
                return dir.toString();
            }

            @Override
            public long idle_expiry_s() {
                return idle;
            }

            @Override
            public int max_sessions() {
                return 16;
            }

            @Override
            public int max_sessions_per_client() {
                return 4;
            }

            @Override
            public int chunk_bytes() {
                return 1 << 20;
            }

            @Override
            public int profile_runs() {
                return 1;
            }

            @Override
            public int profile_threads() {
                return 1;
            }

            @Override
            public long strategy_poll_ms() {
                return 500;
            }
        };
    }

    private static Logger logger(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getName")) {
                        return "test";
                    }
                    if (method.getReturnType() == boolean.class) {
                        return true;
                    }
                    if (args != null && args.length > 0) {
                        lines.add(method.getName() + " " + args[0]);
                    }
                    return null;
                });
    }

    private static Planner planner() {
        FrontierStrategy frontier = new FrontierStrategy();
        return new Planner() {
            @Override
            public UploadPlan plan(PlanRequest request) {
                return frontier.plan(request);
            }

            @Override
            public PlannerState state() {
                return new PlannerState("frontier", "frontier", "frontier", new TreeSet<>(List.of("frontier")),
                        List.of());
            }
        };
    }

    @Test
    void commandsShowSessionsAndTheStoreAndEvictUnpinnedUnits() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(WORK), "component");
        List<String> log = new CopyOnWriteArrayList<>();
        try (LocalLayerStore store = new LocalLayerStore(new StoreSettings(dir.resolve("store"), 1L << 30, 1L << 30,
                0, 1L << 28, 8 << 20, 64, Duration.ofHours(1)));
                SegmentRuntime executor = new SegmentRuntime(ExecutorSettings.defaults())) {
            SessionComponent c = new SessionComponent(config(dir.resolve("serving"), 3600), planner(), store,
                    executor, logger(log));
            try {
                assertTrue(c.sessions().endsWith("0 sessions"), c.sessions());
                Result health = c.execute();
                assertTrue(health.isOk());
                StringBuilder messages = new StringBuilder();
                health.iterator().forEachRemaining(entry -> messages.append(entry.getMessage()));
                assertTrue(messages.toString().startsWith("0 sessions (0 uploading)"), messages.toString());
                assertTrue(c.session("abc").startsWith("no session"));
                // a unit in the store that no session pins: listed, then evicted
                byte[] bytes = new byte[4096];
                java.util.Arrays.fill(bytes, (byte) 7);
                String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(bytes));
                store.write(new ChunkWrite("someone", new UnitAddress(sha), bytes.length, 1 << 20, 0,
                        java.util.HexFormat.of().parseHex(sha), ByteBuffer.wrap(bytes)));
                String listing = c.store();
                assertTrue(listing.startsWith("1 units, 4096 bytes"), listing);
                assertTrue(listing.contains(sha), listing);
                assertTrue(c.evict("not-a-hash").startsWith("cannot evict"), "a bad address is refused");
                assertEquals("freed 4096 bytes", c.evict(sha));
                assertTrue(c.store().startsWith("0 units"), c.store());
                assertEquals("freed 0 bytes (pinned units stay)", c.evict("all"));
            } finally {
                c.deactivate();
            }
            // a bad value is refused, naming it
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SessionComponent(
                    config(dir.resolve("serving2"), 0), planner(), store, executor, logger(log)));
            assertTrue(e.getMessage().contains("idle.expiry.s"), e.getMessage());
        }
    }
}
