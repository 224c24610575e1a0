package org.layerlift.broker.internal;

import org.junit.jupiter.api.Test;
import org.layerlift.testsupport.ShippedDefaults;

/**
 * The embedded broker's code defaults (BrokerConfig) are what the runtime ships in its configuration.json
 * ({@link ShippedDefaults}).
 */
class BrokerShippedDefaultsTest {

    @Test
    void everyShippedValueIsTheCodeDefault() throws Exception {
        ShippedDefaults.assertEveryShippedValueIsTheCodeDefault("org.layerlift.broker", BrokerConfig.class);
    }
}
