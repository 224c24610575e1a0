package org.layerlift.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a refused broker value says (the shipped defaults themselves: {@link BrokerShippedDefaultsTest}). */
class BrokerConfigDefaultsTest {

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
