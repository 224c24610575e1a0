/**
 * Partition units of ONNX graphs: IONN's dominator grouping and node-level units, with weight, cut and FLOP sizes,
 * and their conversion to the API's cost profile.
 */
@Export
@Version("1.0.0")
package org.layerlift.model.units;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
