package org.eclipse.paho.mqttv5.common.packet.util;

import java.io.IOException;
import java.io.InputStream;

/**
 * LayerLift's replacement for Paho 1.2.5's class of the same name (same public API; written here, not copied).
 * Paho parses every received packet from a byte array through this stream, and its version implements only the
 * one-byte {@code read()}: a PUBLISH payload was then read one virtual call per byte (JFR: an 800 KB message spent
 * about 10 ms in {@code InputStream.read(byte[], int, int)}). This one passes bulk reads through and counts them.
 */
public class CountingInputStream extends InputStream {

    private final InputStream in;
    private int counter;

    public CountingInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b != -1) {
            counter++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            counter += n;
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    /** Bytes read since construction or the last reset. */
    public int getCounter() {
        return counter;
    }

    public void resetCounter() {
        counter = 0;
    }
}
