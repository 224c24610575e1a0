package org.layerlift.planner.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The planner's code defaults (PlannerComponent.Config) are the values the runtime ships in its configuration.json, so that deleting
 * an override from deploy/ (which deletes the whole configuration) brings back what a fresh gateway runs with.
 */
class PlannerConfigDefaultsTest {

    static final Path SHIPPED = Path.of("../../runtime/src/main/resources/OSGI-INF/configurator/configuration.json");

    @Test
    void everyShippedValueIsTheCodeDefault() throws Exception {
        Map<String, String> shipped = shipped("org.layerlift.planner");
        assertFalse(shipped.isEmpty(), "configuration.json ships no block for org.layerlift.planner");
        Map<String, Object> defaults = defaults(PlannerComponent.Config.class);
        for (Map.Entry<String, String> e : shipped.entrySet()) {
            assertTrue(defaults.containsKey(e.getKey()),
                    () -> "configuration.json ships " + e.getKey() + ", which PlannerComponent.Config does not have: " + defaults.keySet());
            assertEquals(String.valueOf(defaults.get(e.getKey())), e.getValue(),
                    () -> "org.layerlift.planner " + e.getKey() + ": shipped value and code default differ");
        }
    }

    /** The shipped block of {@code pid}, key to value as written (strings without their quotes). */
    static Map<String, String> shipped(String pid) throws Exception {
        String json = Files.readString(SHIPPED);
        Matcher block = Pattern.compile("\"" + Pattern.quote(pid) + "\"\\s*:\\s*\\{([^}]*)}").matcher(json);
        Map<String, String> values = new LinkedHashMap<>();
        if (!block.find()) {
            return values;
        }
        Matcher pair = Pattern.compile("\"([^\"]+)\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s}]+))")
                .matcher(block.group(1));
        while (pair.find()) {
            values.put(pair.group(1), pair.group(2) != null ? pair.group(2) : pair.group(3));
        }
        return values;
    }

    /** Each property of a component property type (DS name mapping: {@code a_b} is a.b, {@code a__b} is a_b). */
    static Map<String, Object> defaults(Class<?> type) {
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
