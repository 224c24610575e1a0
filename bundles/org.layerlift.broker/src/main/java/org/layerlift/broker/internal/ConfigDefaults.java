package org.layerlift.broker.internal;

import java.lang.reflect.Proxy;

/** An instance of a component property type that answers every method with its declared default. */
final class ConfigDefaults {

    private ConfigDefaults() {}

    static <A> A of(Class<A> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
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
