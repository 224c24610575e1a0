/**
 * The LayerLift client library (docs/client.md): what a mobile app embeds to offload an ONNX model to a LayerLift
 * gateway while the model uploads. {@link org.layerlift.client.LayerLiftClient#connect} opens the MQTT 5 connection,
 * {@link org.layerlift.client.LayerLiftClient#open} an offloading session for one model, and
 * {@link org.layerlift.client.OffloadSession#infer} answers queries, choosing per query between running locally and
 * offloading the plan's server segments. Plain Java 17: no OSGi and no desktop classes at run time.
 */
@Export
@Version("1.1.0")
package org.layerlift.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
