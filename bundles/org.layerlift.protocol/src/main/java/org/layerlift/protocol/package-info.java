/**
 * Protocol version 1 between mobile clients and the LayerLift gateway over MQTT 5 (docs/protocol.md): the topic
 * layout ({@link org.layerlift.protocol.ProtocolTopics}), the message records ({@link org.layerlift.protocol.Messages}),
 * their JSON codec ({@link org.layerlift.protocol.Json}), the binary envelope ({@link org.layerlift.protocol.Envelope})
 * and the tensor wire format ({@link org.layerlift.protocol.TensorCodec}). Nothing else encodes a message.
 */
@Export
@Version("1.1.0")
package org.layerlift.protocol;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
