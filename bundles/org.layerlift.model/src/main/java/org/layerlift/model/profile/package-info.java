/** Measurement sets (per-layer costs) and their grouping into IONN's chain of partition units; LayerLift's own profile JSON and {@link org.layerlift.model.profile.Profiles#read}, which reads either. */
@Export
@Version("1.1.0")
package org.layerlift.model.profile;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
