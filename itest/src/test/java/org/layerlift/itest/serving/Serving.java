package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.layerlift.api.partition.Segment;
import org.layerlift.protocol.Json;
import org.layerlift.protocol.Messages;
import org.layerlift.protocol.ProtocolTopics;

/** Steps of the protocol the serving tests share. */
final class Serving {

    static final double TOLERANCE = 1e-4;

    private Serving() {}

    /** Sends the manifest and returns the plan (fails the test on an error reply). */
    static Messages.Plan open(ProtocolClient c, TestModel m, double mbps, String strategy) throws Exception {
        byte[] reply = c.request(ProtocolTopics.MANIFEST, m.manifest(mbps, strategy), 1).get(300, TimeUnit.SECONDS);
        Messages.ErrorBody e = Json.error(reply);
        if (e != null) {
            fail("manifest refused: " + e.code() + ": " + e.message());
        }
        return Json.read(reply, Messages.Plan.class, "plan");
    }

    static List<Segment> segments(Messages.PlanPartition p) {
        return p.segments().stream().map(s -> new Segment(s.first(), s.last())).toList();
    }

    static Messages.HaveReply have(ProtocolClient c, String session) throws Exception {
        byte[] reply = c.call(ProtocolTopics.HAVE, Json.write(new Messages.HaveRequest(session)));
        return Json.read(reply, Messages.HaveReply.class, "have");
    }

    /**
     * Waits for an event of a type (and partition, when not null) among every event the client has received, in
     * any order (partitions may get ready out of order: builds run in parallel); fails after the timeout.
     */
    static Messages.Event await(ProtocolClient c, String type, Integer partition, long timeoutMs) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            for (Messages.Event e : c.seen()) {
                if (e.type().equals(type) && (partition == null || partition.equals(e.partition()))) {
                    return e;
                }
            }
            Thread.sleep(50);
        }
        fail("no " + type + " event" + (partition == null ? "" : " for partition " + partition) + " within "
                + timeoutMs + " ms; seen: " + c.seen());
        return null;
    }

    /** Waits until the gateway answers a protocol request on its broker (it is up and listening). */
    static void awaitServing(GatewayProcess gw) throws Exception {
        awaitServing(gw, gw.uri());
    }

    /** The same through the broker at {@code brokerUri}. */
    static void awaitServing(GatewayProcess gw, String brokerUri) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            if (!gw.alive()) {
                fail("the gateway exited:\n" + gw.output());
            }
            try (ProtocolClient probe = new ProtocolClient(brokerUri, "probe-" + System.nanoTime())) {
                byte[] reply = probe.request(ProtocolTopics.HAVE,
                        Json.write(new Messages.HaveRequest("0".repeat(32))), 1).get(3, TimeUnit.SECONDS);
                assertEquals("unknown_session", Json.error(reply).code());
                return;
            } catch (Exception e) {
                last = e;
                Thread.sleep(500);
            }
        }
        throw new AssertionError("the gateway did not serve within 120 s (" + last + "):\n" + gw.output());
    }

    /**
     * Calls {@code call}, again while the gateway answers {@code overloaded} (right after a flood its bounded queues
     * may still be full: a refusal, not a failure), at most 100 times 100 ms apart.
     */
    static <T> T whenNotOverloaded(java.util.concurrent.Callable<T> call) throws Exception {
        for (int i = 0; ; i++) {
            try {
                return call.call();
            } catch (TestModel.HopRefused e) {
                if (!e.code.equals("overloaded") || i >= 100) {
                    throw e;
                }
            } catch (org.layerlift.protocol.ProtocolException e) {
                if (e.code() != org.layerlift.protocol.ErrorCode.OVERLOADED || i >= 100) {
                    throw e;
                }
            }
            Thread.sleep(100);
        }
    }

    static void assertClose(java.util.Map<String, double[]> expected, java.util.Map<String, double[]> actual,
            String what) {
        double d = TestModel.maxAbsDiff(expected, actual);
        assertTrue(what + ": max abs difference " + d + " over " + TOLERANCE, d <= TOLERANCE);
    }
}
