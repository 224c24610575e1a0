/** Upload planning: strategies turn unit costs and bandwidth into ordered partitions; the planner picks one. */
@Export
@Version("1.2.0")
package org.layerlift.api.partition;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
