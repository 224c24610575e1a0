/**
 * ONNX import: a model file as an operator DAG ({@link org.layerlift.model.onnx.OnnxGraph}) with weight bytes per
 * node, and concrete activation shapes, sizes and FLOPs for one binding of its inputs
 * ({@link org.layerlift.model.onnx.GraphShapes}, {@link org.layerlift.model.onnx.InputShapes}).
 */
@Export
@Version("1.0.0")
package org.layerlift.model.onnx;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
