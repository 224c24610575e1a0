package org.layerlift.planner.internal;

import org.junit.jupiter.api.Test;
import org.layerlift.testsupport.ShippedDefaults;

/**
 * The planner's code defaults (PlannerComponent.Config) are what the runtime ships in its configuration.json
 * ({@link ShippedDefaults}).
 */
class PlannerConfigDefaultsTest {

    @Test
    void everyShippedValueIsTheCodeDefault() throws Exception {
        ShippedDefaults.assertEveryShippedValueIsTheCodeDefault("org.layerlift.planner", PlannerComponent.Config.class);
    }
}
