/**
 * The execution graph over a chain of partition units and its shortest path: what every offloading strategy plans
 * with. Arithmetic is float32 where the IONN authors' C++ uses {@code float}, so plans match theirs tie for tie.
 */
@Export
@Version("1.0.0")
package org.layerlift.planning;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
