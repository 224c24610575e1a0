package org.layerlift.model.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Building both sides of a plan takes under 200 ms (weight I/O excluded) for every test model. */
class SurgerySpeedTest {

    @Test
    void buildingAPlanIsFast() throws Exception {
        for (SurgerySpeed.Row r : SurgerySpeed.measureAll()) {
            System.out.printf("speed %-14s nodes %4d  index %.2f ms  build median %.2f ms max %.2f ms"
                    + "  serialise median %.1f ms%n", r.model(), r.nodes(), r.indexMs(), r.medianBuildMs(),
                    r.maxBuildMs(), r.medianSerializeMs());
            assertTrue(r.maxBuildMs() < 200, r.toString());
        }
    }
}
