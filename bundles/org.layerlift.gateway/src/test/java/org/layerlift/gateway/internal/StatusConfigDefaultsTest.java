package org.layerlift.gateway.internal;

import org.junit.jupiter.api.Test;
import org.layerlift.testsupport.ShippedDefaults;

/**
 * The gateway status's code defaults (StatusConfig) are what the runtime ships in its configuration.json
 * ({@link ShippedDefaults}).
 */
class StatusConfigDefaultsTest {

    @Test
    void everyShippedValueIsTheCodeDefault() throws Exception {
        ShippedDefaults.assertEveryShippedValueIsTheCodeDefault("org.layerlift.gateway.status", StatusConfig.class);
    }
}
