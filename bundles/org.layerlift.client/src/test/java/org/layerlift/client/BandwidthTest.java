package org.layerlift.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BandwidthTest {

    @Test
    void parsesEveryUnitInAnyCase() {
        assertEquals(40, Bandwidth.parse("40mbit").mbps(), 1e-9);
        assertEquals(0.512, Bandwidth.parse("512kbit").mbps(), 1e-9);
        assertEquals(1500, Bandwidth.parse("1.5Gbit").mbps(), 1e-9);
        assertEquals(40, Bandwidth.parse(" 40 Mbit/s ").mbps(), 1e-9);
        assertEquals(10, Bandwidth.parse("10mbitps").mbps(), 1e-9);
        assertEquals(5_000_000, Bandwidth.parse("40mbit").bytesPerSecond(), 1e-6);
        assertEquals("40mbit", Bandwidth.parse("40mbit").toString());
        assertEquals("512kbit", Bandwidth.parse("512kbit").toString());
    }

    @Test
    void refusesWhatDoesNotParseWithAnExample() {
        for (String bad : new String[] {"40mbps", "fast", "40", "-5mbit", "", "mbit", "1e3mbit"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bandwidth.parse(bad), bad);
            assertTrue(e.getMessage().contains("40mbit"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Bandwidth.parse("0mbit"));
        assertThrows(IllegalArgumentException.class, () -> new Bandwidth(Double.NaN));
    }

    @Test
    void optionsRefuseBadValues() {
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.of("tcp://h:1", "a/b"));
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.of("tcp://h:1", "+"));
        assertThrows(IllegalArgumentException.class, () -> DeviceEmulation.slowdown(0.5));
        assertThrows(IllegalArgumentException.class, () -> DeviceEmulation.profile(java.util.List.of(1.0, -1.0), 0));
        assertTrue(!ClientOptions.of("tcp://h:1", "a").withLogin("u", "secret").toString().contains("secret"));
    }
}
