package org.layerlift.itest.serving;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.Test;

/**
 * Configuration that goes wrong, on the exported gateway: a refused broker value, a refused transport value, and a
 * deleted override.
 */
public class ConfigurationIT {

    private static final String BROKER_CHECK = "LayerLift embedded MQTT broker";
    private static final String TRANSPORT_CHECK = "LayerLift MQTT transport";

    private static Path work() throws Exception {
        return Files.createDirectories(Path.of(GatewayProcess.required("layerlift.itest.work"), "configuration"));
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    private static String awaitLog(GatewayProcess gw, Predicate<String> done, long ms, String what) throws Exception {
        long deadline = System.currentTimeMillis() + ms;
        String log = gw.gatewayLog();
        while (!done.test(log)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " not in data/log/gateway.log within " + ms + " ms:\n"
                        + (log.length() > 6000 ? log.substring(log.length() - 6000) : log));
            }
            Thread.sleep(250);
            log = gw.gatewayLog();
        }
        return log;
    }

    /**
     * port=70000 written into a running gateway's deploy/org.layerlift.broker.cfg: refused with one log line naming
     * key and value, the broker keeps serving on the old port (it is the status channel), and the retained status
     * names the reason in the broker's health check.
     */
    @Test
    public void badBrokerPortIsRefusedOnceAndTheBrokerKeepsItsLastGoodConfiguration() throws Exception {
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work(), "gw"), "cfg-port-gw");
        try {
            gw.start();
            Serving.awaitServing(gw);
            Map<String, String> bad = gw.brokerCfg();
            bad.put("port", "70000");
            gw.deployCfg("org.layerlift.broker", bad);

            awaitLog(gw, l -> count(l, "port=70000") >= 1, 15_000, "a line naming port=70000");
            Thread.sleep(7_000); // more than one status refresh (5 s): nothing repeats it
            String log = gw.gatewayLog();
            assertEquals("exactly one log line names port=70000:\n" + log, 1, count(log, "port=70000"));
            String line = log.lines().filter(l -> l.contains("port=70000")).findFirst().orElseThrow();
            assertTrue(line, line.contains("(must be 1..65535)"));
            assertTrue(line, line.contains("still running with host=127.0.0.1, port=" + gw.port()));
            assertFalse("no 'Service factory returned null':\n" + log, log.contains("Service factory returned null"));

            Serving.awaitServing(gw); // still on the old port
            JsonNode status = GatewayStatus.status(gw);
            JsonNode broker = null;
            for (JsonNode check : status.path("checks")) {
                if (BROKER_CHECK.equals(check.path("name").asText())) {
                    broker = check;
                }
            }
            assertTrue("the broker's check in " + status, broker != null);
            String message = broker.path("message").asText();
            assertTrue(message, message.contains("configuration refused: port=70000 (must be 1..65535)"));
            assertEquals(broker.toString(), "WARN", broker.path("status").asText());
            for (JsonNode c : status.path("components")) {
                String state = c.path("state").asText();
                assertTrue("every component stays active or satisfied: " + c,
                        state.equals("ACTIVE") || state.equals("SATISFIED"));
            }

            // a good configuration again: accepted, the warning goes
            gw.deployCfg("org.layerlift.broker", gw.brokerCfg());
            awaitLog(gw, l -> l.contains("configuration accepted again"), 15_000, "the accepted configuration");
            Serving.awaitServing(gw);
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\nconsole:\n" + gw.output(), e);
        } finally {
            gw.close();
        }
    }

    /** The transport configuration {@link GatewayProcess#start()} writes, with {@code keyValues} added. */
    private static Map<String, String> transportCfg(GatewayProcess gw, String... keyValues) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("broker.uri", gw.uri());
        m.put("client.id", gw.gatewayId());
        m.put("username", GatewayProcess.GATEWAY_USER);
        m.put("password", GatewayProcess.GATEWAY_PASSWORD);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** The named health check in the retained status, once it matches (statuses are refreshed every 5 s). */
    private static JsonNode awaitCheck(GatewayProcess gw, String name, Predicate<JsonNode> done, long ms)
            throws Exception {
        long deadline = System.currentTimeMillis() + ms;
        JsonNode last = null;
        while (System.currentTimeMillis() < deadline) {
            JsonNode status = GatewayStatus.status(gw);
            for (JsonNode check : status.path("checks")) {
                if (name.equals(check.path("name").asText())) {
                    last = check;
                }
            }
            if (last != null && done.test(last)) {
                return last;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the '" + name + "' check did not get there within " + ms + " ms; last: " + last);
    }

    /**
     * receive.maximum=0 and then broker.uri=gopher://x written into a running gateway's
     * deploy/org.layerlift.transport.mqtt.cfg: each refused with one log line naming key, value and the settings
     * kept, the connection (the way to the clients and the status channel) stays up on its last good settings, and
     * the transport's health check says WARN with the same text. A good change after that applies: the transport
     * reconnects on it and the warning goes. (Before, the settings were final and a bad value failed activation: no
     * connection, no status.)
     */
    @Test
    public void badTransportValueIsRefusedOnceAndTheConnectionKeepsItsLastGoodSettings() throws Exception {
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work(), "gw"), "cfg-transport-gw");
        try {
            gw.start();
            Serving.awaitServing(gw);
            String kept = "still running with " + gw.uri() + " as '" + gw.gatewayId() + "'";
            gw.deployCfg("org.layerlift.transport.mqtt", transportCfg(gw, "receive.maximum", "0"));

            awaitLog(gw, l -> count(l, "receive.maximum=0") >= 1, 15_000, "a line naming receive.maximum=0");
            Thread.sleep(7_000); // more than one status refresh (5 s): nothing repeats it
            String log = gw.gatewayLog();
            assertEquals("exactly one log line names receive.maximum=0:\n" + log, 1, count(log, "receive.maximum=0"));
            String line = log.lines().filter(l -> l.contains("receive.maximum=0")).findFirst().orElseThrow();
            assertTrue(line, line.contains("configuration refused: receive.maximum=0 (must be 1..65535); " + kept));
            assertFalse("no 'Service factory returned null':\n" + log, log.contains("Service factory returned null"));
            Serving.awaitServing(gw); // the same connection still serves
            JsonNode check = awaitCheck(gw, TRANSPORT_CHECK, c -> c.path("status").asText().equals("WARN"), 20_000);
            assertTrue(check.toString(), check.path("message").asText()
                    .startsWith("configuration refused: receive.maximum=0 (must be 1..65535); " + kept));

            int before = gw.gatewayLog().length();
            gw.deployCfg("org.layerlift.transport.mqtt", transportCfg(gw, "broker.uri", "gopher://x"));
            String after = awaitLog(gw, l -> l.length() > before && l.substring(before).contains("broker.uri=gopher://x"),
                    15_000, "a line naming broker.uri=gopher://x").substring(before);
            assertTrue(after, after.contains("configuration refused: broker.uri=gopher://x (unknown scheme 'gopher'"));
            assertTrue(after, after.contains(kept));
            assertFalse("no reconnect on a refused value:\n" + after, after.contains("MQTT transport: connecting"));

            // a good change after the bad ones applies: a new connection on the new settings, the warning gone
            gw.deployCfg("org.layerlift.transport.mqtt", transportCfg(gw, "receive.maximum", "32"));
            awaitLog(gw, l -> l.substring(before).contains("MQTT transport: configuration accepted again")
                    && l.substring(before).contains("MQTT transport: configuration changed, reconnecting"), 15_000,
                    "the accepted configuration");
            Serving.awaitServing(gw);
            awaitCheck(gw, TRANSPORT_CHECK, c -> c.path("status").asText().equals("OK"), 30_000);
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\nconsole:\n" + gw.output(), e);
        } finally {
            gw.close();
        }
    }

    /** Deleting an override from deploy/ brings back the shipped default (frontier), not the code's old default. */
    @Test
    public void deletedPlannerOverrideBringsBackTheShippedDefault() throws Exception {
        GatewayProcess gw = new GatewayProcess(Files.createTempDirectory(work(), "gw"), "cfg-delete-gw");
        gw.config("org.layerlift.planner", "strategy", "ionn");
        try {
            gw.start();
            Serving.awaitServing(gw);
            // at boot the planner may log before the logging configuration (and its file appender) is in place:
            // that line is on the console only
            long deadline = System.currentTimeMillis() + 30_000;
            while (!(Files.readString(gw.log(), java.nio.charset.StandardCharsets.UTF_8) + gw.gatewayLog())
                    .contains("Planner: strategy 'ionn', default 'ionn'")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the override not logged within 30 s");
                }
                Thread.sleep(250);
            }
            int before = gw.gatewayLog().length();
            Files.delete(gw.deploy().resolve("org.layerlift.planner.cfg"));
            String log = awaitLog(gw, l -> l.length() > before
                    && l.substring(before).contains("Planner: strategy 'frontier', default 'ionn'"), 15_000,
                    "the shipped default after the delete");
            assertFalse(log.substring(before), log.substring(before).contains("Planner: strategy 'ionn'"));
            Serving.awaitServing(gw);
        } catch (AssertionError | Exception e) {
            throw new AssertionError(e.getMessage() + "\nconsole:\n" + gw.output(), e);
        } finally {
            gw.close();
        }
    }
}
