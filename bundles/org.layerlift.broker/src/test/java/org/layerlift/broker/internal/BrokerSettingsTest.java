package org.layerlift.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

    private static BrokerSettings settings(String host, String user, String pass, String gwUser, String gwPass) {
        return BrokerSettings.of(host, 1883, 1 << 20, user, pass, gwUser, gwPass, "in-memory", "", Path.of("data"));
    }

    private static String problem(String host, String user, String pass, String gwUser, String gwPass) {
        return assertThrows(IllegalArgumentException.class, () -> settings(host, user, pass, gwUser, gwPass))
                .getMessage();
    }

    @Test
    void loopbackListenersNeedNoCredentials() {
        for (String host : new String[] {"127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"}) {
            assertEquals(host, settings(host, "", "", "layerlift-gateway", "").host());
        }
    }

    @Test
    void aNetworkListenerNeedsTheClientLoginAndTheGatewayPassword() {
        String both = problem("0.0.0.0", "", "", "layerlift-gateway", "");
        assertTrue(both.contains("host '0.0.0.0' is not a loopback address"), both);
        assertTrue(both.contains("username and password"), both);
        assertTrue(both.contains("gateway.password"), both);
        String gateway = problem("0.0.0.0", "phone", "pw", "layerlift-gateway", "");
        assertTrue(gateway.contains("gateway.password") && !gateway.contains("username and password"), gateway);
        String clients = problem("192.168.1.10", "", "", "layerlift-gateway", "gw");
        assertTrue(clients.contains("username and password") && !clients.contains("gateway.password"), clients);
        assertEquals("0.0.0.0", settings("0.0.0.0", "phone", "pw", "layerlift-gateway", "gw").host());
    }

    @Test
    void anUnresolvableHostCountsAsNetwork() {
        assertFalse(BrokerSettings.isLoopback("no-such-host.invalid"));
        assertTrue(problem("no-such-host.invalid", "", "", "layerlift-gateway", "").contains("not a loopback"));
    }

    @Test
    void theGatewayLoginMustBeDistinctAndComplete() {
        assertTrue(problem("127.0.0.1", "", "", "", "gw").contains("gateway.username is empty"));
        assertTrue(problem("127.0.0.1", "same", "pw", "same", "gw").contains("must differ from username"));
    }

    @Test
    void theDescriptionNeverShowsPasswords() {
        String text = settings("127.0.0.1", "phone", "client-secret", "layerlift-gateway", "gw-secret").toString();
        assertFalse(text.contains("secret"), text);
        assertTrue(text.contains("gateway login 'layerlift-gateway'"), text);
    }

    /** HiveMQ logs to a file in its data folder, and to the console only as far as the gateway's console goes. */
    @Test
    void hivemqLogsToItsFileAndToTheConsoleUnderTheGatewaysThreshold() throws Exception {
        String xml = settings("127.0.0.1", "", "", "layerlift-gateway", "").hivemqLogbackXml();
        assertTrue(xml.contains("<level>${layerlift.console.level:-INFO}</level>"), xml);
        assertTrue(xml.contains("hivemq.log</file>"), xml);
        assertTrue(xml.contains("%-30(%d %level)- %msg%n%ex"), xml);
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
