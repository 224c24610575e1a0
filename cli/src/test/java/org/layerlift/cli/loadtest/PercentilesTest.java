package org.layerlift.cli.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfOneToTwenty() {
        List<Double> v = new ArrayList<>();
        for (int i = 20; i >= 1; i--) {
            v.add((double) i);
        }
        Percentiles p = Percentiles.of(v);
        assertEquals(10.0, p.at(50));
        assertEquals(19.0, p.at(95)); // rank ceil(0.95 * 20) = 19, not 20 by a rounding error
        assertEquals(20.0, p.at(99));
        assertEquals(20.0, p.at(100));
        assertEquals(1.0, p.at(1));
        assertEquals(20.0, p.max());
        assertEquals(20, p.count());
    }

    @Test
    void hundredValuesAndOne() {
        List<Double> v = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            v.add(i * 1.5);
        }
        assertEquals(148.5, Percentiles.of(v).at(99));
        assertEquals(75.0, Percentiles.of(v).at(50));
        assertEquals(7.0, Percentiles.of(List.of(7.0)).at(99));
        assertEquals(7.0, Percentiles.of(List.of(7.0)).at(50));
    }

    @Test
    void noValuesNoPercentile() {
        assertNull(Percentiles.of(List.of()).at(50));
        assertNull(Percentiles.of(List.of()).max());
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(List.of(1.0)).at(0));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(List.of(1.0)).at(101));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(List.of(Double.NaN)));
    }
}
