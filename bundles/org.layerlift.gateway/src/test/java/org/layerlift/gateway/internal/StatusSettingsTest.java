package org.layerlift.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusSettingsTest {

    private final List<String> refused = new ArrayList<>();

    @Test
    void badValuesAreRefusedWithOneLineEachAndTheDefaultIsKeptOnFirstActivation() {
        StatusSettings s = StatusSettings.of(config(-1, 0), null, refused::add);
        assertEquals(new StatusSettings(5, 20), s);
        assertEquals(2, refused.size());
        assertTrue(refused.get(0).contains("refresh.s=-1"), refused.get(0));
        assertTrue(refused.get(1).contains("problems.kept=0"), refused.get(1));
    }

    @Test
    void aBadValueKeepsThePreviousValidOne() {
        StatusSettings first = StatusSettings.of(config(10, 50), null, refused::add);
        assertEquals(new StatusSettings(10, 50), first);
        assertEquals(List.of(), refused);
        StatusSettings second = StatusSettings.of(config(3601, 1001), first, refused::add);
        assertEquals(first, second);
        assertEquals(2, refused.size());
        assertEquals(new StatusSettings(1, 1000), StatusSettings.of(config(1, 1000), second, refused::add));
        assertEquals(new StatusSettings(3600, 1), StatusSettings.of(config(3600, 1), second, refused::add));
        assertEquals(2, refused.size());
    }

    static StatusConfig config(int refreshS, int problemsKept) {
        return new StatusConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return StatusConfig.class;
            }

            @Override
            public int refresh_s() {
                return refreshS;
            }

            @Override
            public int problems_kept() {
                return problemsKept;
            }
        };
    }
}
