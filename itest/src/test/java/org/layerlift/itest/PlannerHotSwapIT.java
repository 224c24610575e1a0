package org.layerlift.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import javax.inject.Inject;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.layerlift.api.gateway.GatewayStatus;
import org.layerlift.api.gateway.GatewayStatusListener;
import org.layerlift.api.gateway.HealthStatus;
import org.layerlift.api.model.CostProfile;
import org.layerlift.api.model.UnitCost;
import org.layerlift.api.partition.EarlyQueryPolicy;
import org.layerlift.api.partition.PlanRequest;
import org.layerlift.api.partition.Planner;
import org.layerlift.api.partition.PlannerState;
import org.layerlift.api.partition.UploadPlan;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The planner with the gateway's bundles, but without the efficiency strategy: install it at run time, select it,
 * uninstall it (the default takes over and the status says so), reinstall it; a thread plans all the while and never
 * fails. Also: configuration the planner must refuse or fall back from, and the Gogo command's path.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlannerHotSwapIT {

    private static final String PLANNER_PID = "org.layerlift.planner";
    private static final String STATUS_PID = "org.layerlift.gateway.status";
    private static final String CHECK = "LayerLift planner";
    private static final long WAIT_MS = 30_000;

    /** Six units: convolutions that are cheap to upload, a classifier that is heavy. */
    private static final CostProfile PROFILE = new CostProfile("itest-net", List.of(
            new UnitCost("conv1", 40, 2, 100_000, 1, 600_000, 300_000, List.of("conv1")),
            new UnitCost("conv2", 60, 3, 300_000, 2, 300_000, 200_000, List.of("conv2")),
            new UnitCost("conv3", 50, 3, 600_000, 2, 200_000, 100_000, List.of("conv3")),
            new UnitCost("conv4", 30, 2, 900_000, 3, 100_000, 50_000, List.of("conv4")),
            new UnitCost("fc1", 80, 4, 20_000_000, 20, 50_000, 16_000, List.of("fc1")),
            new UnitCost("fc2", 20, 1, 4_000_000, 5, 16_000, 4_000, List.of("fc2"))), 3);
    private static final PlanRequest REQUEST = new PlanRequest(PROFILE, 20, Set.of());

    @Inject
    private BundleContext context;
    @Inject
    private ConfigurationAdmin configAdmin;
    @Inject
    private Planner planner;

    private final AtomicReference<GatewayStatus> lastStatus = new AtomicReference<>();
    private ServiceRegistration<GatewayStatusListener> statusListener;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() throws IOException {
        return GatewayOptions.gateway();
    }

    @Before
    public void plannerWithIonn() throws Exception {
        put(STATUS_PID, "refresh.s", 1);
        put(PLANNER_PID, "strategy", "ionn", "default.strategy", "ionn");
        awaitTrue(() -> "ionn".equals(planner.activeStrategy()) && "ionn".equals(planner.selectedStrategy()),
                "planning with ionn");
        statusListener = context.registerService(GatewayStatusListener.class, lastStatus::set, null);
    }

    @After
    public void stopListening() {
        statusListener.unregister();
    }

    @Test
    public void strategyBundleSwapsInAndOutWhilePlanningNeverFails() throws Exception {
        assertTrue(planner.strategies().containsAll(List.of("ionn", "local", "all-at-once", "one-shot")));
        assertTrue("the efficiency bundle must not be provisioned", !planner.strategies().contains("efficiency"));
        assertEquals("ionn", planner.plan(REQUEST).strategy());

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong plans = new AtomicLong();
        Map<String, Long> byStrategy = new ConcurrentHashMap<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        Thread planning = new Thread(() -> {
            while (running.get()) {
                try {
                    byStrategy.merge(planner.plan(REQUEST).strategy(), 1L, Long::sum);
                    plans.incrementAndGet();
                    Thread.yield();
                } catch (Throwable t) {
                    failures.add(t);
                }
            }
        }, "itest-planning-loop");
        planning.start();
        Path jar = Path.of(context.getProperty(GatewayOptions.STRATEGIES_DIR), "org.layerlift.strategy.efficiency.jar");
        Bundle efficiency = null;
        try {
            efficiency = context.installBundle(jar.toUri().toString());
            efficiency.start();
            awaitTrue(() -> planner.strategies().contains("efficiency"), "efficiency registered");
            assertEquals("installed but not selected: IONN still plans", "ionn", planner.plan(REQUEST).strategy());

            long t0 = System.nanoTime();
            put(PLANNER_PID, "strategy", "efficiency", "default.strategy", "ionn");
            awaitTrue(() -> "efficiency".equals(planner.plan(REQUEST).strategy()), "a plan from efficiency");
            System.out.printf("planner swap: configuration change -> first plan from 'efficiency' after %.1f ms%n",
                    ms(t0));
            assertEquals("efficiency", planner.activeStrategy());
            awaitStatus(c -> c.status().equals("OK") && c.message().contains("planning with 'efficiency'"),
                    "planner check OK with efficiency");

            t0 = System.nanoTime();
            efficiency.uninstall();
            efficiency = null;
            // the unbind is synchronous: the very next request is planned by the default
            assertEquals("ionn", planner.plan(REQUEST).strategy());
            System.out.printf("planner swap: uninstall -> plan from the default 'ionn' after %.1f ms%n", ms(t0));
            PlannerState state = planner.state();
            assertEquals("efficiency", state.selected());
            assertEquals("ionn", state.active());
            assertTrue(state.fallback());
            assertTrue(state.problems().toString(), state.problems().get(0).startsWith(
                    "selected strategy 'efficiency' is not available; planning with the default 'ionn'"));
            HealthStatus check = awaitStatus(c -> c.status().equals("WARN")
                    && c.message().contains("selected strategy 'efficiency' is not available"), "fallback in status");
            System.out.printf("planner swap: uninstall -> fallback in the gateway status after %.1f ms: %s%n", ms(t0),
                    check.message());

            // it stays selected: reinstalling is enough, no reselection
            t0 = System.nanoTime();
            efficiency = context.installBundle(jar.toUri().toString());
            efficiency.start();
            awaitTrue(() -> "efficiency".equals(planner.plan(REQUEST).strategy()), "efficiency plans again");
            System.out.printf("planner swap: reinstall -> plan from 'efficiency' after %.1f ms%n", ms(t0));
            assertTrue(planner.state().problems().toString(), planner.state().problems().isEmpty());
            awaitStatus(c -> c.status().equals("OK"), "planner check OK again");
        } finally {
            running.set(false);
            planning.join(WAIT_MS);
            if (efficiency != null) {
                efficiency.uninstall();
            }
        }
        System.out.printf("planner swap: %d plans from another thread during the swaps, by strategy %s, %d failed%n",
                plans.get(), byStrategy, failures.size());
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(failures.size() + " plan requests failed during the swaps");
            e.initCause(failures.get(0));
            throw e;
        }
        assertTrue(byStrategy.toString(), byStrategy.getOrDefault("efficiency", 0L) > 0
                && byStrategy.getOrDefault("ionn", 0L) > 0);
    }

    @Test
    public void unknownOrBlankNamesFallBackOrAreRefusedAndBadRequestsFailClearly() throws Exception {
        put(PLANNER_PID, "strategy", "no-such-strategy", "default.strategy", "ionn");
        awaitTrue(() -> "no-such-strategy".equals(planner.selectedStrategy()), "unknown name selected");
        assertEquals("ionn", planner.plan(REQUEST).strategy());
        awaitStatus(c -> c.status().equals("WARN") && c.message().contains(
                "selected strategy 'no-such-strategy' is not available; planning with the default 'ionn'"),
                "unknown strategy in the status");

        // a blank name is refused: the previous configuration stays, and the status says why
        put(PLANNER_PID, "strategy", "  ", "default.strategy", "ionn");
        awaitTrue(() -> planner.state().problems().toString().contains(
                "invalid planner configuration: strategy must name a strategy, got '  '"), "blank name refused");
        assertEquals("no-such-strategy", planner.selectedStrategy());
        assertEquals("ionn", planner.plan(REQUEST).strategy());

        // neither the selected nor the default: requests fail, naming both, and the status is CRITICAL
        put(PLANNER_PID, "strategy", "gone", "default.strategy", "also-gone");
        awaitTrue(() -> "also-gone".equals(planner.state().defaultStrategy()), "default changed");
        assertNull(planner.activeStrategy());
        try {
            planner.plan(REQUEST);
            fail("a plan without any usable strategy");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("'gone'") && e.getMessage().contains("'also-gone'"));
        }
        awaitStatus(c -> c.status().equals("CRITICAL") && c.message().contains("no strategy can plan"),
                "nothing can plan, in the status");

        // bad requests are refused where they are made, before any strategy runs
        for (double mbps : new double[] {0, -5, Double.NaN}) {
            try {
                new PlanRequest(PROFILE, mbps, Set.of());
                fail("bandwidth " + mbps);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage(), expected.getMessage().contains("bandwidth"));
            }
        }
    }

    @Test
    public void gogoStrategyCommandSelectsKnownNamesAndRefusesUnknownOnes() throws Exception {
        Object commands = commands();
        Method strategy = commands.getClass().getMethod("strategy", String.class);
        try {
            strategy.invoke(commands, "eficiency");
            fail("an unknown name was accepted");
        } catch (InvocationTargetException e) {
            assertTrue(e.getCause().toString(), e.getCause() instanceof IllegalArgumentException
                    && e.getCause().getMessage().startsWith("unknown strategy 'eficiency'; known: all-at-once, frontier,"
                            + " ionn, local, one-shot"));
        }
        assertEquals("ionn", planner.selectedStrategy());
        String answer = (String) strategy.invoke(commands, "one-shot");
        assertTrue(answer, answer.startsWith("selected 'one-shot' (was 'ionn')\nplanning with 'one-shot'"));
        assertEquals("one-shot", planner.plan(REQUEST).strategy());
        assertEquals("one-shot", configAdmin.getConfiguration(PLANNER_PID, "?").getProperties().get("strategy"));
        String listing = (String) commands.getClass().getMethod("strategies").invoke(commands);
        assertTrue(listing, listing.contains("* one-shot (selected)\n") && listing.contains("  ionn (default)\n"));
        // the gateway's own strategy, as shipped: every unit its own partition, queries routed by arrival estimates
        strategy.invoke(commands, "frontier");
        UploadPlan frontier = planner.plan(REQUEST);
        assertEquals("frontier", frontier.strategy());
        assertEquals(EarlyQueryPolicy.ROUTE_BY_ETA, frontier.earlyQueries());
        assertFalse(frontier.partitions().isEmpty());
    }

    /** The Gogo command object, as the shell would call it (the shell itself is not in this framework). */
    private Object commands() throws Exception {
        awaitTrue(() -> commandReference() != null, "planner commands");
        return context.getService(commandReference());
    }

    private ServiceReference<?> commandReference() {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null,
                    "(&(osgi.command.scope=layerlift)(osgi.command.function=strategy))");
            return refs == null ? null : refs[0];
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a status, as the gateway publishes it, whose planner check meets the condition. */
    private HealthStatus awaitStatus(Predicate<HealthStatus> condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (true) {
            GatewayStatus status = lastStatus.get();
            HealthStatus check = status == null ? null : status.checks().stream()
                    .filter(c -> c.name().equals(CHECK)).findFirst().orElse(null);
            if (check != null && condition.test(check)) {
                return check;
            }
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what + "; the planner check is " + check);
            }
            Thread.sleep(20);
        }
    }

    private static double ms(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Updates a configuration, unless it already holds these values (an update restarts some components). */
    private void put(String pid, Object... keyValues) throws IOException {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration(pid, "?");
        Dictionary<String, Object> props = new Hashtable<>();
        boolean same = c.getProperties() != null;
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
            same &= c.getProperties() != null && keyValues[i + 1].equals(c.getProperties().get((String) keyValues[i]));
        }
        if (!same) {
            c.update(props);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
