package org.layerlift.transport.mqtt.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * An instance of a component property type that answers every method with its declared default (the shipped
 * defaults, see {@link MqttConnection}), or with a value given by method name.
 */
final class ConfigDefaults {

    private ConfigDefaults() {}

    static <A> A of(Class<A> type) {
        return with(type, Map.of());
    }

    /** The defaults, except {@code values} (by method name, e.g. {@code receive_maximum}). */
    static <A> A with(Class<A> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            Object value = method.getDefaultValue();
            if (value != null) {
                return value;
            }
            return switch (method.getName()) {
                case "toString" -> "defaults of " + type.getName();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                case "annotationType" -> type;
                default -> throw new IllegalStateException(type.getName() + "." + method.getName() + " has no default");
            };
        }));
    }
}
