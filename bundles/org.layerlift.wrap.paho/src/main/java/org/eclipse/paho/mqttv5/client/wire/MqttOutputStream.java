package org.eclipse.paho.mqttv5.client.wire;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.paho.mqttv5.client.internal.MqttState;
import org.eclipse.paho.mqttv5.common.ExceptionHelper;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;

/**
 * LayerLift's replacement for Paho 1.2.5's class of the same name (same public API; written here, not copied).
 * Paho's version hands a packet's payload to its buffered stream 1 KiB at a time, so an 800 KB PUBLISH left as about
 * a hundred 8 KiB socket writes; this one writes the header, then the payload in one call (the buffered stream passes
 * a write larger than its buffer straight to the socket). The outgoing maximum packet size is still enforced.
 */
public class MqttOutputStream extends OutputStream {

    private final MqttState clientState;
    private final BufferedOutputStream out;

    public MqttOutputStream(MqttState clientState, OutputStream out, String clientId) {
        this.clientState = clientState;
        this.out = new BufferedOutputStream(out);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void write(byte[] b) throws IOException {
        out.write(b);
        clientState.notifySentBytes(b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        clientState.notifySentBytes(len);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
    }

    /** Writes one MQTT packet: header, then payload. */
    public void write(MqttWireMessage message) throws IOException, MqttException {
        byte[] header = message.getHeader();
        byte[] payload = message.getPayload();
        Long maximum = clientState.getOutgoingMaximumPacketSize();
        if (maximum != null && header.length + payload.length > maximum) {
            throw ExceptionHelper.createMqttException(51002); // as Paho: the packet exceeds the maximum size
        }
        out.write(header, 0, header.length);
        out.write(payload, 0, payload.length);
        clientState.notifySentBytes(header.length + payload.length);
    }
}
