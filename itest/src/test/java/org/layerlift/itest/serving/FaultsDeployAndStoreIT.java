package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;
import org.layerlift.client.SessionEvent;
import org.layerlift.client.SessionProgress;
import org.layerlift.itest.serving.FaultClient.Answer;
import org.layerlift.itest.serving.FaultClient.Seen;

/**
 * The operator's faults (the second half of {@link FaultsIT}): the strategy a session is planned with uninstalled
 * from deploy/ mid-upload and a new one hot-deployed, and the store's disk full (a small tmpfs). Another client runs
 * at the same time in each and must not notice.
 */
public class FaultsDeployAndStoreIT {

    /** The strategy only deploy/ has: the third-party example. */
    static final String DEPLOYED = "smallest-first";
    static final String DEPLOYED_JAR = "smallest-first.jar";

    static Path work;

    @BeforeClass
    public static void workFolder() throws Exception {
        work = Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "faults-ops"));
    }

    /**
     * The planner selects a strategy that only deploy/ has: the third-party example ({@code smallest-first},
     * {@code examples/strategy-example}, built by {@link ExampleBuild}; a built-in strategy would not do, since deleting
     * a deployed copy of a built-in brings the built-in back). Mid-upload its jar is deleted (the bundle is uninstalled:
     * the session is re-planned by the default, ionn), then a new jar of it is dropped in (hot-deployed: re-planned
     * by smallest-first again). The upload follows each new plan, stored units stay free, answers stay right. The other
     * client asked for ionn itself, which stays installed: it is never re-planned.
     */
    @Test
    public void strategyUninstalledThenANewOneHotDeployedMidUpload() throws Exception {
        Path example = ExampleBuild.build(Files.createTempDirectory(work, "example"));
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw-deploy"), "faults-deploy");
        gw.config("org.layerlift.planner", "strategy", DEPLOYED, "default.strategy", "ionn");
        Files.createDirectories(gw.deploy());
        Files.copy(example, gw.deploy().resolve(DEPLOYED_JAR), StandardCopyOption.REPLACE_EXISTING);
        long epoch = System.nanoTime();
        try {
            gw.start();
            Serving.awaitServing(gw);
            try (FaultClient other = new FaultClient(epoch, gw.uri(), "faults-deploy-b", work, "squeezenet1_1", 81,
                    "40mbit", FaultsIT.OTHER_SLOWDOWN, "ionn", 100);
                    FaultClient main = new FaultClient(epoch, gw.uri(), "faults-deploy-a", work, "resnet18", 82,
                            "20mbit", FaultsIT.MAIN_SLOWDOWN, null, 50)) {
                other.open();
                assertTrue(other.summary(), other.awaitUploaded(Duration.ofMinutes(2)));
                main.open();
                assertEquals(main.summary(), DEPLOYED, main.progress().strategy());
                main.await("a fifth uploaded", p -> p.bytesUploaded() * 5 > p.bytesToUpload(),
                        Duration.ofMinutes(3));
                assertFalse("still uploading when the strategy goes", main.progress().uploadDone());

                double removedAt = main.nowMs();
                Files.delete(gw.deploy().resolve(DEPLOYED_JAR));
                main.await("re-planned by ionn", p -> "ionn".equals(p.strategy()), Duration.ofSeconds(60));
                Seen first = main.awaitEvent(SessionEvent.REPLAN, "strategy", removedAt, Duration.ofSeconds(5));
                SessionProgress afterRemoval = main.progress();
                assertFalse("still uploading when the new strategy comes", afterRemoval.uploadDone());

                double deployedAt = main.nowMs();
                Path tmp = gw.deploy().resolve("smallest-first-new.jar.tmp");
                Files.copy(example, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, gw.deploy().resolve("smallest-first-new.jar"), StandardCopyOption.ATOMIC_MOVE);
                main.await("re-planned by smallest-first again", p -> DEPLOYED.equals(p.strategy()),
                        Duration.ofSeconds(60));
                Seen second = main.awaitEvent(SessionEvent.REPLAN, "strategy", deployedAt, Duration.ofSeconds(5));

                assertTrue(main.summary(), main.awaitUploaded(Duration.ofMinutes(4)));
                Answer back = main.awaitOffloadedAfter(main.uploadDoneAtMs(), 3, Duration.ofMinutes(2));
                main.stopQueries();
                other.stopQueries();

                main.assertAllCorrect(5);
                main.assertNothingResent();
                assertTrue("re-planned twice: " + main.progress(), main.progress().replans() >= 2);
                assertEquals("the plan in force is the gateway's newest", DEPLOYED, main.session().plan()
                        .strategy());
                FaultsIT.assertUntouched(other, removedAt);
                // (a re-plan for its measured bandwidth is its own business, not the fault's)
                assertTrue("the other client (ionn by request) was never re-planned for a strategy:\n"
                        + other.summary(), other.events(SessionEvent.REPLAN).stream()
                                .noneMatch(e -> e.event().detail().startsWith("strategy")));
                assertEquals("the other client kept its strategy", "ionn", other.progress().strategy());
                assertTrue("the other client kept offloading:\n" + other.summary(),
                        other.between(removedAt, main.nowMs()).stream().anyMatch(a -> a.result().offloaded()));
                FaultsIT.report("strategy uninstalled", "re-planned by ionn " + FaultsIT.ms(first.atMs() - removedAt)
                        + " after the jar was deleted; by the new smallest-first " + FaultsIT.ms(second.atMs()
                                - deployedAt) + " after the jar was dropped in; replans " + main.progress().replans()
                        + ", fallbacks " + main.progress().fallbacks() + ", chunks resent "
                        + main.progress().chunksResent() + ", upload done at " + FaultsIT.ms(main.progress()
                                .uploadDoneMs()) + ", first offloaded " + FaultsIT.ms(back.atMs()
                                        - main.uploadDoneAtMs()) + " after it"
                        + "; the other client: " + other.answers().size() + " answers, no strategy re-plan");
                System.out.println(main.summary() + other.summary());
            }
        } finally {
            FaultsIT.stopAndTidy(gw);
        }
    }

    /**
     * The store's directory is a 24 MiB tmpfs (min.free.disk.bytes 0, so the disk itself runs full): squeezenet1_1
     * (4.7 MiB) fits, resnet18 (45 MiB) does not. The resnet18 session fails with {@code no_space} while the
     * squeezenet session goes on offloading; the gateway keeps serving; nothing half-written is served (every answer
     * right); with room again (the tmpfs enlarged) the same client opens the model again and its upload completes,
     * resuming the chunks the store kept, none sent twice.
     */
    @Test
    public void storeDiskFull() throws Exception {
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work, "gw-full"), "faults-full");
        Path store = Files.createDirectories(gw.work().resolve("data/store"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", store.toString())
                .redirectErrorStream(true).start();
        String mountOut = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assume.assumeTrue("mounting a tmpfs is not permitted here (" + mountOut.strip() + "): the disk-full test needs"
                + " root or CAP_SYS_ADMIN", mount.waitFor() == 0);
        gw.config("org.layerlift.store", "min.free.disk.bytes", "0");
        long epoch = System.nanoTime();
        try {
            gw.start();
            Serving.awaitServing(gw);
            try (FaultClient other = new FaultClient(epoch, gw.uri(), "faults-full-b", work, "squeezenet1_1", 91,
                    "40mbit", FaultsIT.OTHER_SLOWDOWN, null, 100);
                    FaultClient main = new FaultClient(epoch, gw.uri(), "faults-full-a", work, "resnet18", 92,
                            "80mbit", FaultsIT.MAIN_SLOWDOWN, null, 50)) {
                other.open();
                assertTrue(other.summary(), other.awaitUploaded(Duration.ofMinutes(2)));
                double startedAt = main.nowMs();
                main.open();
                Seen failed = main.awaitEvent(SessionEvent.UPLOAD_FAILED, startedAt, Duration.ofMinutes(3));
                String detail = failed.event().detail();
                assertNotNull(detail);
                assertTrue("the failure names the cause: " + detail, detail.startsWith("no_space: "));
                SessionProgress atFailure = main.progress();
                assertFalse("a 45 MiB model cannot fit in 24 MiB", atFailure.uploadDone());
                assertFalse("the session says it will not finish", main.awaitUploaded(Duration.ofSeconds(1)));
                // queries go on (locally, or through partitions complete before the disk ran full)
                long answered = main.answers().size();
                main.await("queries after the failure", p -> p.queries() >= answered + 5, Duration.ofSeconds(60));

                // the gateway: alive, serving, its store check a warning at most
                assertTrue(gw.output(), gw.alive());
                Serving.awaitServing(gw);
                JsonNode storeCheck = check(GatewayStatus.status(gw), "LayerLift layer store");
                assertNotNull("a store check in the status", storeCheck);
                assertFalse("the store is not broken, only full: " + storeCheck,
                        "CRITICAL".equals(storeCheck.path("status").asText()));
                other.awaitOffloadedAfter(failed.atMs(), 3, Duration.ofSeconds(60));

                // room again: the same model from the same client finishes, resuming what the store kept
                Process remount = new ProcessBuilder("mount", "-o", "remount,size=160m", store.toString())
                        .redirectErrorStream(true).start();
                assertEquals(new String(remount.getInputStream().readAllBytes(), StandardCharsets.UTF_8), 0,
                        remount.waitFor());
                main.closeSession();
                double reopenedAt = main.nowMs();
                main.openSession();
                main.startQueries();
                assertTrue(main.summary(), main.awaitUploaded(Duration.ofMinutes(3)));
                SessionProgress done = main.progress();
                Answer back = main.awaitOffloadedAfter(main.uploadDoneAtMs(), 3, Duration.ofMinutes(2));
                main.stopQueries();
                other.stopQueries();

                main.assertAllCorrect(5);
                main.assertNothingResent();
                assertEquals("no chunk the store kept was sent again: " + done, 0, done.chunksAlreadyHeld());
                // every byte of the model sent once: the first session's acknowledged ones, then only the rest
                assertEquals("the second session sent only what was missing: " + atFailure + " then " + done,
                        atFailure.bytesToUpload(), atFailure.bytesUploaded() + done.bytesUploaded());
                FaultsIT.assertUntouched(other, startedAt);
                FaultsIT.report("disk full", "upload failed " + FaultsIT.ms(failed.atMs() - startedAt)
                        + " after open with '" + detail + "'; acknowledged before " + atFailure.bytesUploaded()
                        + " of " + atFailure.bytesToUpload() + " bytes; queries meanwhile: "
                        + FaultsIT.localDuring(main, failed.atMs(), reopenedAt) + "; store check "
                        + storeCheck.path("status").asText() + "; reopened with room: " + done.bytesUploaded()
                        + " bytes sent, " + done.chunksAlreadyHeld() + " chunks already held, done "
                        + FaultsIT.ms(done.uploadDoneMs()) + " after the new session's plan; first offloaded "
                        + FaultsIT.ms(back.atMs() - reopenedAt) + " after reopening");
                System.out.println(main.summary() + other.summary());
            }
        } finally {
            FaultsIT.stopAndTidy(gw);
            Process umount = new ProcessBuilder("umount", store.toString()).redirectErrorStream(true).start();
            umount.getInputStream().readAllBytes();
            umount.waitFor();
        }
    }

    static JsonNode check(JsonNode status, String name) {
        for (JsonNode c : status.path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        return null;
    }
}
