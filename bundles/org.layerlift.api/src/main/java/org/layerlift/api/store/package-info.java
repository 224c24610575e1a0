/** The layer store: units of model weights, content-addressed by SHA-256, uploaded in chunks, shared by clients. */
@Export
@Version("1.0.0")
package org.layerlift.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
