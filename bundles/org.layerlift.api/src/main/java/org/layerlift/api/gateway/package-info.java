/** What the gateway reports about itself: bundles, components, health. */
@Export
@Version("1.0.0")
package org.layerlift.api.gateway;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
