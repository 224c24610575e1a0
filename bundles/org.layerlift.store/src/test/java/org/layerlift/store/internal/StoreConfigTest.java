package org.layerlift.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

    /** A configuration as DS would make it: the annotation's defaults, with some values given. */
    static StoreConfig config(Map<String, Object> given) {
        return (StoreConfig) Proxy.newProxyInstance(StoreConfig.class.getClassLoader(),
                new Class<?>[] {StoreConfig.class},
                (proxy, method, args) -> given.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        StoreSettings settings = LayerStoreComponent.settings(config(Map.of()));
        assertEquals(new StoreSettings(Path.of("data/store"), 8L << 30, 2L << 30, 256L << 20, 1L << 30, 8 << 20, 64,
                Duration.ofDays(1)), settings);
    }

    @Test
    void aBadValueFailsActivationNamingKeyAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerStoreComponent.settings(config(Map.of("max_chunk_bytes", -8))));
        assertEquals("invalid layer store configuration: max.chunk.bytes must be at least 1, got -8", e.getMessage());
    }
}
