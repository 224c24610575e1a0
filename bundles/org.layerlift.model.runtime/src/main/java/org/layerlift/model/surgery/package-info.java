/**
 * ONNX model surgery on the protobuf graph (no ONNX Runtime): the canonical bytes of each unit's weights
 * ({@link org.layerlift.model.surgery.UnitWeights}), cut a model into the client and server parts of a
 * partition plan ({@link org.layerlift.model.surgery.ModelCutter}), build parts from the graph plus the weights of
 * their own units only ({@link org.layerlift.model.surgery.WeightSource}), and materialise seeded pseudo-random
 * weights for graphs whose weights were stripped to external data ({@link org.layerlift.model.surgery.Materializer}).
 */
@Export
@Version("1.1.0")
package org.layerlift.model.surgery;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
