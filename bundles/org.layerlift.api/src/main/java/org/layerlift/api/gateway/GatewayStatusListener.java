package org.layerlift.api.gateway;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service: told whenever the gateway's status changes (bundles come and go, components change state,
 * health changes). Called on a single status thread; implementations must not block for long.
 */
@ConsumerType
public interface GatewayStatusListener {

    void statusChanged(GatewayStatus status);
}
