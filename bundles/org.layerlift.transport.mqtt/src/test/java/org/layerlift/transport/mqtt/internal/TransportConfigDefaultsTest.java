package org.layerlift.transport.mqtt.internal;

import org.junit.jupiter.api.Test;
import org.layerlift.testsupport.ShippedDefaults;

/**
 * The MQTT transport's code defaults (TransportConfig) are what the runtime ships in its configuration.json
 * ({@link ShippedDefaults}).
 */
class TransportConfigDefaultsTest {

    @Test
    void everyShippedValueIsTheCodeDefault() throws Exception {
        ShippedDefaults.assertEveryShippedValueIsTheCodeDefault("org.layerlift.transport.mqtt", TransportConfig.class);
    }
}
