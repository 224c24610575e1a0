/** Running ONNX models on the gateway. */
@Export
@Version("1.1.0")
package org.layerlift.api.inference;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
