/** Measurement sets (per-layer costs) and their grouping into IONN's chain of partition units. */
@Export
@Version("1.0.0")
package org.layerlift.model.profile;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
