/** The MQTT-facing contract: publish to topics while connected. */
@Export
@Version("1.1.0")
package org.layerlift.api.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
