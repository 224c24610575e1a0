/**
 * Running and measuring cut models with ONNX Runtime: {@link org.layerlift.model.runtime.PlanRunner} runs the parts
 * of a plan over one tensor map, {@link org.layerlift.model.runtime.Outputs} compares outputs,
 * {@link org.layerlift.model.runtime.RandomInputs} makes seeded inputs, and
 * {@link org.layerlift.model.runtime.OrtProfiler} measures per-node, per-part and load times.
 */
@Export
@Version("1.1.0")
package org.layerlift.model.runtime;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
