package org.layerlift.cli.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceMeterTest {

    @Test
    void statLineWithSpacesAndParenthesesInTheName() {
        String line = "4242 (MQTT Rec: a (b)) S 1 2 3 4 5 6 7 8 9 10 150 25 0 0 20 0 1 0 100 0 0";
        ResourceMeter.ThreadTicks t = ResourceMeter.parseStat(line);
        assertEquals("MQTT Rec: a (b)", t.name());
        assertEquals(175, t.ticks());
        assertNull(ResourceMeter.parseStat("garbage"));
        assertNull(ResourceMeter.parseStat("1 (x) S 1 2"));
    }

    @Test
    void threadsGroupedByNameWithoutDigitsLargestFirst() {
        Map<String, ResourceMeter.ThreadTicks> start = Map.of(
                "1", new ResourceMeter.ThreadTicks("hivemq-eventloop-1", 100),
                "2", new ResourceMeter.ThreadTicks("hivemq-eventloop-2", 50),
                "3", new ResourceMeter.ThreadTicks("store-1", 10));
        Map<String, ResourceMeter.ThreadTicks> end = Map.of(
                "1", new ResourceMeter.ThreadTicks("hivemq-eventloop-1", 300),
                "2", new ResourceMeter.ThreadTicks("hivemq-eventloop-2", 150),
                "3", new ResourceMeter.ThreadTicks("store-1", 20),
                "4", new ResourceMeter.ThreadTicks("session-build-7", 500)); // born during the run
        List<Usage.ThreadGroupCpu> g = ResourceMeter.group(start, end, 2);
        assertEquals(2, g.size());
        assertEquals("session-build-#", g.get(0).name());
        assertEquals(5.0, g.get(0).cpuS());
        assertEquals("hivemq-eventloop-#", g.get(1).name());
        assertEquals(2, g.get(1).threads());
        assertEquals(3.0, g.get(1).cpuS());
    }

    @Test
    void measuresThisJvmAndNoGatewayWithoutItsPid() throws Exception {
        try (ResourceMeter m = new ResourceMeter(null)) {
            long until = System.nanoTime() + 50_000_000L;
            double x = 0;
            while (System.nanoTime() < until) {
                x += Math.sqrt(x + 1);
            }
            Usage u = m.usage();
            assertTrue(u.loadtestCores() > 0, "busy for 50 ms: " + u + x);
            assertNull(u.gatewayCpuS());
            assertTrue(u.gatewayThreads().isEmpty());
            assertTrue(u.machineCores() >= 1);
        }
    }
}
