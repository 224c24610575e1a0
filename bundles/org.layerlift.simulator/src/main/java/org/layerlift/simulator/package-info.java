/** Discrete-event simulation of back-to-back queries while an upload plan's partitions arrive. */
@Export
@Version("1.4.0")
package org.layerlift.simulator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
