package org.layerlift.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BrokerConfigDefaultsTest {

    /** The shipped defaults (configuration.json) and the code's defaults are the same, so deleting an override is safe. */
    @Test
    void annotationDefaultsAreTheShippedDefaults() throws Exception {
        String json = Files.readString(Path.of("../../runtime/src/main/resources/OSGI-INF/configurator/configuration.json"));
        Matcher block = Pattern.compile("\"org\\.layerlift\\.broker\"\\s*:\\s*\\{([^}]*)}").matcher(json);
        block.find();
        String b = block.group(1);
        BrokerConfig d = ConfigDefaults.of(BrokerConfig.class);
        assertEquals(d.host(), value(b, "host"));
        assertEquals(Integer.toString(d.port()), value(b, "port"));
        assertEquals(Integer.toString(d.max_packet_size()), value(b, "max.packet.size"));
        assertEquals(d.persistence(), value(b, "persistence"));
        assertEquals(d.gateway_username(), value(b, "gateway.username"));
        assertEquals(d.gateway_password(), value(b, "gateway.password"));
    }

    private static String value(String block, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"?([^\",\\n]*)\"?").matcher(block);
        return m.find() ? m.group(1).trim() : null;
    }

    @Test
    void aRefusedPortIsNamedWithKeyValueAndWhatStillRuns() {
        BrokerSettings good = BrokerSettings.of("127.0.0.1", 1883, 1 << 20, "", "", "gw", "pw", "in-memory", "",
                Path.of("x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerSettings.of("127.0.0.1",
                70000, 1 << 20, "", "", "gw", "pw", "in-memory", "", Path.of("x")));
        assertEquals("configuration refused: port=70000 (must be 1..65535); still running with host=127.0.0.1, port=1883",
                EmbeddedBroker.refusal(e, "still running with " + good.listener()));
    }
}
