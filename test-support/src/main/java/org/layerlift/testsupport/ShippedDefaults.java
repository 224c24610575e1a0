package org.layerlift.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A component's code defaults (its config annotation type) must be the values the runtime ships in its
 * configuration.json: deleting an override from deploy/ deletes the whole configuration, and what comes back must be
 * what a fresh gateway runs with.
 */
public final class ShippedDefaults {

    /** The runtime's shipped configuration, from a bundle's folder ({@code bundles/<name>}). */
    public static final Path SHIPPED = Path.of("../../runtime/src/main/resources/OSGI-INF/configurator/"
            + "configuration.json");

    private ShippedDefaults() {}

    /** Every value shipped for {@code pid} is a property of {@code configType} with that value as its default. */
    public static void assertEveryShippedValueIsTheCodeDefault(String pid, Class<?> configType) throws IOException {
        Map<String, String> shipped = shipped(SHIPPED, pid);
        assertFalse(shipped.isEmpty(), "configuration.json ships no block for " + pid);
        Map<String, Object> defaults = defaults(configType);
        for (Map.Entry<String, String> e : shipped.entrySet()) {
            assertTrue(defaults.containsKey(e.getKey()), () -> "configuration.json ships " + e.getKey() + ", which "
                    + configType.getSimpleName() + " does not have: " + defaults.keySet());
            assertEquals(String.valueOf(defaults.get(e.getKey())), e.getValue(),
                    () -> pid + " " + e.getKey() + ": shipped value and code default differ");
        }
    }

    /** The shipped block of {@code pid}: key to value as text (empty when there is none). */
    public static Map<String, String> shipped(Path configuration, String pid) throws IOException {
        JsonNode block = new ObjectMapper().readTree(configuration.toFile()).get(pid);
        Map<String, String> values = new LinkedHashMap<>();
        if (block == null) {
            return values;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            values.put(e.getKey(), e.getValue().asText());
        }
        return values;
    }

    /** Each property of a component property type (DS name mapping: {@code a_b} is a.b, {@code a__b} is a_b). */
    public static Map<String, Object> defaults(Class<?> type) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (Method m : type.getDeclaredMethods()) {
            if (m.getDefaultValue() != null) {
                String key = m.getName().replace("__", "\0").replace('_', '.').replace('\0', '_');
                defaults.put(key, m.getDefaultValue());
            }
        }
        return defaults;
    }
}
