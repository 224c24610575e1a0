package org.layerlift.planner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.layerlift.api.partition.PartitionStrategy;
import org.layerlift.planner.internal.StrategySelectionTest.Fake;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.log.Logger;

/** The component without a framework: proxies stand in for its context, configuration and logger. */
class PlannerComponentTest {

    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler h) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    static PlannerComponent component(List<String> warnings) {
        Bundle system = proxy(Bundle.class, (p, m, a) -> m.getName().equals("getState") ? Bundle.ACTIVE : null);
        BundleContext context = proxy(BundleContext.class, (p, m, a) -> m.getName().equals("getBundle") ? system
                : null);
        PlannerComponent.Config config = proxy(PlannerComponent.Config.class,
                (p, m, a) -> switch (m.getName()) {
                    case "strategy", "default_strategy" -> "ionn";
                    default -> null;
                });
        Logger log = proxy(Logger.class, (p, m, a) -> {
            if (m.getName().equals("warn") && a != null && a.length > 1) {
                warnings.add(String.valueOf(a[1]));
            }
            return m.getReturnType() == boolean.class ? false : null;
        });
        return new PlannerComponent(config, context, log);
    }

    static Map<String, Object> props(long id, String name) {
        return Map.of(Constants.SERVICE_ID, id, PartitionStrategy.NAME, name);
    }

    /**
     * Each thread binds and unbinds services of its own name; right after its bind its name must be visible and right
     * after its unbind it must be gone, whatever the others do. With the change and the snapshot in separate locked
     * steps, another thread's older snapshot could be published after this thread's newer one.
     */
    @Test
    void concurrentBindAndUnbindNeverLeaveAStaleStrategyList() throws Exception {
        PlannerComponent planner = component(new ArrayList<>());
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        ConcurrentLinkedQueue<String> stale = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "s" + t;
            long base = 1000L * (t + 1);
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 400; i++) {
                        Map<String, Object> props = props(base + i, name);
                        PartitionStrategy s = new Fake(name);
                        planner.addStrategy(s, props);
                        if (!planner.state().available().contains(name)) {
                            stale.add(name + " missing after its bind");
                        }
                        planner.removeStrategy(s, props);
                        if (planner.state().available().contains(name)) {
                            stale.add(name + " still there after its unbind");
                        }
                    }
                } catch (Exception e) {
                    stale.add(e.toString());
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(List.of(), List.copyOf(stale).subList(0, Math.min(5, stale.size())));
        assertTrue(planner.state().available().isEmpty());
    }

    @Test
    void aStrategyBugIsLoggedOnceAndShownInTheState() {
        List<String> warnings = new ArrayList<>();
        PlannerComponent planner = component(warnings);
        planner.addStrategy(new Fake("ionn"), props(1, "ionn"));
        PartitionStrategy buggy = new Fake("efficiency", () -> new IllegalStateException("index bug"));
        planner.addStrategy(buggy, props(2, "efficiency"));
        planner.modified(proxy(PlannerComponent.Config.class, (p, m, a) -> switch (m.getName()) {
            case "strategy" -> "efficiency";
            case "default_strategy" -> "ionn";
            default -> null;
        }));
        warnings.clear();
        for (int i = 0; i < 3; i++) {
            assertEquals("ionn", planner.plan(StrategySelectionTest.REQUEST).strategy());
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("a bug in the strategy"), warnings.get(0));
        assertTrue(planner.state().problems().stream().anyMatch(p -> p.contains("strategy 'efficiency' failed")),
                planner.state().problems().toString());
        assertTrue(PlannerHealthCheck.log(planner.state()).toString().contains("index bug"));
        planner.removeStrategy(buggy, props(2, "efficiency"));
        assertFalse(planner.state().problems().stream().anyMatch(p -> p.contains("index bug")));
    }
}
