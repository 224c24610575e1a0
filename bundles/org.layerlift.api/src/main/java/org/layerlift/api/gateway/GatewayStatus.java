package org.layerlift.api.gateway;

import java.util.List;

/**
 * A snapshot of the gateway, as published on its status topic.
 *
 * @param version    LayerLift version of the gateway bundle
 * @param health     overall health: the worst of {@code checks}
 * @param bundles    every installed bundle
 * @param components LayerLift components with their state (and why they are not active)
 * @param checks     results of the health checks
 * @param problems   recent problems outside components, e.g. a dropped jar that is not a bundle (newest last)
 * @param timestamp  when the snapshot was taken, ms since the epoch
 */
public record GatewayStatus(
        String version,
        String health,
        List<BundleStatus> bundles,
        List<ComponentStatus> components,
        List<HealthStatus> checks,
        List<String> problems,
        long timestamp) {

    public GatewayStatus {
        bundles = List.copyOf(bundles);
        components = List.copyOf(components);
        checks = List.copyOf(checks);
        problems = List.copyOf(problems);
    }
}
