package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.BeforeClass;
import org.junit.Test;
import org.layerlift.client.SessionEvent;
import org.layerlift.itest.serving.FaultClient.Answer;
import org.layerlift.itest.serving.FaultClient.Seen;

/**
 * Faults during an upload, end to end (exported gateway, real brokers, the client library): the gateway killed and
 * restarted, the external Mosquitto restarted, the client's network cut. In each a second, independent client runs
 * at the same time. For every client: every answer equals the reference, no acknowledged chunk is sent again, every
 * wait has a deadline (no hang), the session finishes. The numbers go to docs/faults.md ("faults:" lines on stdout).
 * The strategy and disk-full faults are in {@link FaultsDeployAndStoreIT}.
 */
public class FaultsIT {

    /** a query during a fault: the hop's timeout (at least 1 s) plus the local run, with room for a loaded machine */
    static final double BOUNDED_QUERY_MS = 10_000;
    /**
     * a client reconnects within this after its gateway serves again: Paho's longest wait between attempts (4 s),
     * the connect, and room for a loaded machine
     */
    static final double RECONNECT_BOUND_MS = 10_000;

    /**
     * The main clients' device: 20 times slower than this machine, so that offloading resnet18 pays even when the
     * measured uplink is a fraction of the estimate (at 8 times a re-plan for a low measured rate may upload nothing:
     * then there is no upload to interrupt).
     */
    static final double MAIN_SLOWDOWN = 20;
    /**
     * The other client's device (squeezenet1_1 at 40 Mbit/s): slow enough that offloading clearly pays. At 8x its best
     * route saves a few ms, less than a hop's measured overhead on a loaded machine, and the client rightly stays local.
     * At 20x it saved about half of the local 143 ms here, but once the gateway's profile counted the fused kernels
     * (the server's time grew) a CI run got a plan of 12 partitions instead of 16 whose routes all priced above
     * running locally, and the client stayed local for the whole test. At 40x the saving is some 200 ms of 290.
     */
    static final double OTHER_SLOWDOWN = 40;

    static Path work;

    @BeforeClass
    public static void workFolder() throws Exception {
        work = Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "faults"));
    }

    /**
     * Stops the gateway and deletes its Felix cache (data/framework, some 200 MB a gateway: five tests a run fill a
     * disk otherwise); its logs stay for a failure's post-mortem.
     */
    static void stopAndTidy(GatewayProcess gw) throws Exception {
        gw.stop();
        Path cache = gw.work().resolve("data/framework");
        if (Files.isDirectory(cache)) {
            try (java.util.stream.Stream<Path> all = Files.walk(cache)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The first reconnect of {@code c} after {@code afterMs} (ms on the test's clock). */
    static double reconnectedAt(FaultClient c, double afterMs) {
        return c.events(SessionEvent.RECONNECTED).stream().mapToDouble(Seen::atMs).filter(t -> t >= afterMs)
                .min().orElse(Double.NaN);
    }

    static void report(String fault, String line) {
        System.out.println("faults: " + fault + ": " + line);
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, "%.0f ms", v);
    }

    /** Answers in [from, to) that ran locally (or fell back), and the slowest of them. */
    static String localDuring(FaultClient c, double from, double to) {
        List<Answer> in = c.between(from, to);
        long local = in.stream().filter(a -> !a.result().offloaded()).count();
        double worst = in.stream().mapToDouble(a -> a.result().latencyMs()).max().orElse(0);
        return in.size() + " queries (" + local + " local, slowest " + ms(worst) + ")";
    }

    /** No query that started in [from, to) took longer than the bound. */
    static void assertBounded(FaultClient c, double from, double to) {
        for (Answer a : c.between(from, to)) {
            assertTrue(c.clientId + ": a query during the fault took too long (" + FaultClient.describe(a) + ")",
                    a.result().latencyMs() < BOUNDED_QUERY_MS);
        }
    }

    /** The other client saw nothing of a fault that started at {@code faultAtMs}. */
    static void assertUntouched(FaultClient other, double faultAtMs) {
        other.assertAllCorrect(5);
        other.assertNothingResent();
        assertTrue("the other client saw no disconnect:\n" + other.summary(),
                other.events(SessionEvent.DISCONNECTED).isEmpty());
        // (a fallback during its own upload, a partition late by its estimate, is its own business)
        assertTrue("the other client saw no fallback from " + (long) faultAtMs + " ms:\n" + other.summary(),
                other.answers().stream().noneMatch(a -> a.atMs() >= faultAtMs && a.result().fallback()));
        assertTrue("the other client saw no failure:\n" + other.summary(),
                other.events(SessionEvent.UPLOAD_FAILED).isEmpty());
    }

    /**
     * kill -9 of the gateway while resnet18 uploads (a third acknowledged), restarted 5 s later on the same folder:
     * both clients detect it, run locally meanwhile, resume from the gateway's durable store ('have'), nothing
     * acknowledged is sent again, and the upload finishes.
     */
    @Test
    public void gatewayKilledMidUploadAndRestarted() throws Exception {
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw-kill"), "faults-kill");
        long epoch = System.nanoTime();
        try {
            gw.start();
            Serving.awaitServing(gw);
            try (FaultClient other = new FaultClient(epoch, gw.uri(), "faults-kill-b", work, "squeezenet1_1", 51,
                    "40mbit", FaultsIT.OTHER_SLOWDOWN, null, 100);
                    FaultClient main = new FaultClient(epoch, gw.uri(), "faults-kill-a", work, "resnet18", 52,
                            "20mbit", MAIN_SLOWDOWN, null, 50)) {
                other.open();
                assertTrue(other.summary(), other.awaitUploaded(Duration.ofMinutes(2)));
                main.open();
                main.await("a third uploaded", p -> p.bytesUploaded() * 3 > p.bytesToUpload()
                        && p.partitionsReady() >= 1, Duration.ofMinutes(3));
                assertFalse("still uploading when killed", main.progress().uploadDone());
                double killedAt = main.nowMs();
                gw.kill();
                Seen detected = main.awaitEvent(SessionEvent.DISCONNECTED, killedAt, Duration.ofSeconds(60));
                other.awaitEvent(SessionEvent.DISCONNECTED, killedAt, Duration.ofSeconds(60));
                Thread.sleep(5000);
                double restartAt = main.nowMs();
                gw.start();
                Serving.awaitServing(gw);
                double servingAt = main.nowMs();
                Seen resumed = main.awaitEvent(SessionEvent.RESUMED, restartAt, Duration.ofMinutes(3));
                assertTrue(main.summary(), main.awaitUploaded(Duration.ofMinutes(4)));
                Answer otherBack = other.awaitOffloadedAfter(restartAt, 3, Duration.ofMinutes(2));
                Answer mainBack = main.awaitOffloadedAfter(resumed.atMs(), 3, Duration.ofMinutes(2));
                main.stopQueries();
                other.stopQueries();

                for (FaultClient c : List.of(main, other)) {
                    c.assertAllCorrect(5);
                    c.assertNothingResent();
                    assertTrue(c.clientId + " ran queries locally while the gateway was away:\n" + c.summary(),
                            c.between(killedAt, restartAt).stream().anyMatch(a -> !a.result().offloaded()));
                    assertTrue(c.clientId + ": nothing offloaded while the gateway was dead",
                            c.between(killedAt + 1000, restartAt).stream().noneMatch(a -> a.result().offloaded()));
                    assertBounded(c, killedAt, resumed.atMs());
                    // Paho retries at most MAX_RECONNECT_DELAY_MS apart; with its default back-off (to 128 s,
                    // doubled by every client's failure) one client came back 22 s after the gateway served again
                    Seen back = c.awaitEvent(SessionEvent.RECONNECTED, killedAt, Duration.ofSeconds(1));
                    assertTrue(c.clientId + " reconnected " + ms(back.atMs() - servingAt) + " after the gateway"
                            + " served again:\n" + c.summary(), back.atMs() - servingAt < RECONNECT_BOUND_MS);
                }
                report("gateway kill -9", "detected after " + ms(detected.atMs() - killedAt) + ", restarted at +"
                        + ms(restartAt - killedAt) + ", serving again at +" + ms(servingAt - killedAt)
                        + ", reconnected " + ms(reconnectedAt(main, killedAt) - servingAt) + " (main), "
                        + ms(reconnectedAt(other, killedAt) - servingAt) + " (other) after that"
                        + ", resumed " + ms(resumed.atMs() - restartAt)
                        + " after the restart; first offloaded query " + ms(mainBack.atMs() - restartAt) + " (main), "
                        + ms(otherBack.atMs() - restartAt) + " (other) after the restart; main during the outage: "
                        + localDuring(main, killedAt, resumed.atMs()) + "; chunks resent " + main.progress()
                        .chunksResent() + "/" + other.progress().chunksResent() + ", already held "
                        + main.progress().chunksAlreadyHeld() + "; upload done at "
                        + ms(main.progress().uploadDoneMs()));
                System.out.println(main.summary() + other.summary());
            }
        } finally {
            stopAndTidy(gw);
        }
    }

    /**
     * The external Mosquitto (shipped configuration and ACL) stopped while resnet18 uploads and started again on the
     * same port 2 s later: the gateway and both clients reconnect, subscribe again, and the clients resume.
     */
    @Test
    public void mosquittoRestartedMidUpload() throws Exception {
        Path dir = Files.createTempDirectory(work, "mosquitto");
        ShippedMosquitto mosquitto = new ShippedMosquitto(dir.resolve("1"));
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw-mq"), "faults-mq");
        long epoch = System.nanoTime();
        try {
            gw.start(mosquitto.uri());
            Serving.awaitServing(gw, mosquitto.uri());
            try (FaultClient other = new FaultClient(epoch, mosquitto.uri(), "faults-mq-b", work, "squeezenet1_1",
                    61, "40mbit", FaultsIT.OTHER_SLOWDOWN, null, 100);
                    FaultClient main = new FaultClient(epoch, mosquitto.uri(), "faults-mq-a", work, "resnet18", 62,
                            "20mbit", MAIN_SLOWDOWN, null, 50)) {
                other.open();
                assertTrue(other.summary(), other.awaitUploaded(Duration.ofMinutes(2)));
                main.open();
                main.await("a third uploaded", p -> p.bytesUploaded() * 3 > p.bytesToUpload()
                        && p.partitionsReady() >= 1, Duration.ofMinutes(3));
                assertFalse("still uploading when the broker stops", main.progress().uploadDone());
                double stoppedAt = main.nowMs();
                mosquitto.close();
                Seen detected = main.awaitEvent(SessionEvent.DISCONNECTED, stoppedAt, Duration.ofSeconds(60));
                Thread.sleep(2000);
                double restartAt = main.nowMs();
                mosquitto = new ShippedMosquitto(dir.resolve("2"), mosquitto.port);
                Seen resumed = main.awaitEvent(SessionEvent.RESUMED, restartAt, Duration.ofMinutes(2));
                other.awaitEvent(SessionEvent.RESUMED, restartAt, Duration.ofMinutes(2));
                assertTrue(main.summary(), main.awaitUploaded(Duration.ofMinutes(4)));
                Answer otherBack = other.awaitOffloadedAfter(restartAt, 3, Duration.ofMinutes(2));
                Answer mainBack = main.awaitOffloadedAfter(resumed.atMs(), 3, Duration.ofMinutes(2));
                main.stopQueries();
                other.stopQueries();
                for (FaultClient c : List.of(main, other)) {
                    c.assertAllCorrect(5);
                    c.assertNothingResent();
                    assertBounded(c, stoppedAt, resumed.atMs());
                }
                assertTrue("the gateway still serves through the restarted broker", gw.alive());
                report("mosquitto restart", "detected after " + ms(detected.atMs() - stoppedAt) + ", broker back at +"
                        + ms(restartAt - stoppedAt) + ", resumed " + ms(resumed.atMs() - restartAt)
                        + " after it; first offloaded query " + ms(mainBack.atMs() - restartAt) + " (main), "
                        + ms(otherBack.atMs() - restartAt) + " (other) after it; main during the outage: "
                        + localDuring(main, stoppedAt, resumed.atMs()) + "; chunks resent "
                        + main.progress().chunksResent() + "/" + other.progress().chunksResent() + ", already held "
                        + main.progress().chunksAlreadyHeld() + "; upload done at "
                        + ms(main.progress().uploadDoneMs()));
                System.out.println(main.summary() + other.summary());
            }
        } finally {
            stopAndTidy(gw);
            mosquitto.close();
        }
    }

    /**
     * The main client's network (a TCP proxy between it and the broker) goes dark for 10 s without closing the
     * connection, later its connection is dropped and new ones refused for 10 s: its queries run locally within a
     * bounded time meanwhile, its upload continues afterwards without sending an acknowledged chunk again. The other
     * client, on its own connection, sees nothing.
     */
    @Test
    public void clientNetworkCutFor10sMidRun() throws Exception {
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw-cut"), "faults-cut");
        long epoch = System.nanoTime();
        try {
            gw.start();
            Serving.awaitServing(gw);
            try (TcpProxy proxy = new TcpProxy("127.0.0.1", gw.port());
                    FaultClient other = new FaultClient(epoch, gw.uri(), "faults-cut-b", work, "squeezenet1_1", 71,
                            "40mbit", FaultsIT.OTHER_SLOWDOWN, null, 100);
                    FaultClient main = new FaultClient(epoch, proxy.uri(), "faults-cut-a", work, "resnet18", 72,
                            "20mbit", MAIN_SLOWDOWN, null, 50)) {
                other.open();
                assertTrue(other.summary(), other.awaitUploaded(Duration.ofMinutes(2)));
                main.open();
                main.await("a fifth uploaded", p -> p.bytesUploaded() * 5 > p.bytesToUpload()
                        && p.partitionsReady() >= 1, Duration.ofMinutes(3));
                assertFalse("still uploading when the network goes dark", main.progress().uploadDone());

                // 1. dark for 10 s: nothing forwarded, nothing closed
                long before = main.progress().bytesUploaded();
                double darkAt = main.nowMs();
                proxy.blackhole(true);
                Thread.sleep(10_000);
                double lightAt = main.nowMs();
                proxy.blackhole(false);
                List<Answer> dark = main.between(darkAt + 500, lightAt);
                assertTrue("queries ran during the cut:\n" + main.summary(), dark.size() >= 2);
                assertTrue("no query offloaded while dark:\n" + main.summary(),
                        dark.stream().noneMatch(a -> a.result().offloaded()));
                main.await("uploading again after the cut", p -> p.bytesUploaded() > before || p.uploadDone(),
                        Duration.ofSeconds(60));
                double flowingAt = main.nowMs();
                // (before step 2, which drops the connection on purpose)
                boolean noDisconnect = main.events(SessionEvent.DISCONNECTED).stream()
                        .noneMatch(e -> e.atMs() >= darkAt && e.atMs() <= flowingAt);
                String darkLine = localDuring(main, darkAt, lightAt);
                int fallbacksDark = (int) dark.stream().filter(a -> a.result().fallback()).count();
                double firstLocalAfter = dark.isEmpty() ? 0 : dark.get(0).atMs() - darkAt;

                // 2. dropped, and refused for 10 s
                Double droppedAt = null;
                Seen detected = null;
                Seen resumed = null;
                if (!main.progress().uploadDone()) {
                    droppedAt = main.nowMs();
                    proxy.refuse(true);
                    proxy.dropAll();
                    detected = main.awaitEvent(SessionEvent.DISCONNECTED, droppedAt, Duration.ofSeconds(30));
                    Thread.sleep(10_000);
                    proxy.refuse(false);
                    resumed = main.awaitEvent(SessionEvent.RESUMED, droppedAt + 10_000, Duration.ofMinutes(1));
                }
                assertTrue(main.summary(), main.awaitUploaded(Duration.ofMinutes(4)));
                Answer back = main.awaitOffloadedAfter(main.uploadDoneAtMs(), 3, Duration.ofMinutes(2));
                main.stopQueries();
                other.stopQueries();

                main.assertAllCorrect(5);
                main.assertNothingResent();
                assertBounded(main, darkAt, main.nowMs());
                assertUntouched(other, darkAt);
                assertTrue("the other client kept offloading during the cut:\n" + other.summary(),
                        other.between(darkAt, lightAt).stream().anyMatch(a -> a.result().offloaded()));
                report("network cut (dark 10 s)", "first query during the cut started " + ms(firstLocalAfter)
                        + " after it; during the cut " + darkLine + ", " + fallbacksDark + " of them fallbacks after a"
                        + " hop timeout; upload moving again " + ms(flowingAt - lightAt) + " after the link came back"
                        + "; no disconnect seen: " + noDisconnect);
                if (droppedAt != null) {
                    report("network cut (dropped, refused 10 s)", "disconnect detected after "
                            + ms(detected.atMs() - droppedAt) + ", resumed " + ms(resumed.atMs() - droppedAt - 10_000)
                            + " after connections were accepted again; during it "
                            + localDuring(main, droppedAt, resumed.atMs()) + "; reconnect attempts "
                            + proxy.accepted());
                }
                report("network cut", "chunks resent " + main.progress().chunksResent() + ", already held "
                        + main.progress().chunksAlreadyHeld() + ", upload done at " + ms(main.progress().uploadDoneMs())
                        + ", first offloaded " + ms(back.atMs() - main.uploadDoneAtMs())
                        + " after it; the other client: "
                        + other.answers().size() + " answers, " + other.answers().stream()
                        .filter(a -> a.result().offloaded()).count() + " offloaded, no fallback");
                System.out.println(main.summary() + other.summary());
            }
        } finally {
            stopAndTidy(gw);
        }
    }

    /**
     * The link is slow (every reply from the broker held 300 ms) while the session opens, and fast from right after:
     * the hop overhead timed at open prices every route above running locally, and no query offloads to find out.
     * The queries that run locally while a route is ready time round trips again, and once the overhead follows them
     * the client offloads; without those probes it stays local for good. (The warmer happens to build routes here
     * before the calibration ends, so this passes too when probes need a built route: docs/faults.md, section 6.)
     */
    @Test
    public void slowLinkWhileOpening() throws Exception {
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw-slow"), "faults-slow");
        long epoch = System.nanoTime();
        try {
            gw.start();
            Serving.awaitServing(gw);
            try (TcpProxy proxy = new TcpProxy("127.0.0.1", gw.port());
                    FaultClient c = new FaultClient(epoch, proxy.uri(), "faults-slow-a", work, "squeezenet1_1", 81,
                            "40mbit", OTHER_SLOWDOWN, null, 100)) {
                proxy.delayDown(300);
                c.open();
                double fastAt = c.nowMs();
                proxy.delayDown(0);
                assertTrue(c.summary(), c.awaitUploaded(Duration.ofMinutes(2)));
                double doneAt = c.uploadDoneAtMs();
                Answer back = c.awaitOffloadedAfter(doneAt, 3, Duration.ofSeconds(60));
                c.stopQueries();
                c.assertAllCorrect(5);
                c.assertNothingResent();
                report("slow link while opening", "the link fast again at " + ms(fastAt) + ", upload done "
                        + ms(doneAt - fastAt) + " after it; first offloaded query " + ms(back.atMs() - doneAt)
                        + " after the upload; " + c.answers().size() + " answers, " + c.answers().stream()
                        .filter(a -> a.result().offloaded()).count() + " offloaded");
                System.out.println(c.summary());
            }
        } finally {
            stopAndTidy(gw);
        }
    }
}
