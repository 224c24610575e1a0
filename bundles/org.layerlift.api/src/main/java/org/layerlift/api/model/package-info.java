/** A DNN as a chain of partition units with costs. */
@Export
@Version("1.1.0")
package org.layerlift.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
