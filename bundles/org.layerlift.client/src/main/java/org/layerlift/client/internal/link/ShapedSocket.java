package org.layerlift.client.internal.link;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * A plain TCP socket (Nagle off) whose streams pace writes through the uplink bucket and reads through the downlink
 * bucket, counting both on the meter. A null bucket leaves that direction unpaced (still counted).
 *
 * <p>Reads are paced after the bytes come off the socket and before they are handed to the caller, at most one burst
 * per read, so the caller sees each byte no earlier than the emulated link would deliver it. While the caller is held
 * back, the kernel's receive buffer fills and TCP flow control slows the peer down to the emulated rate.
 */
final class ShapedSocket extends Socket {

    private final TokenBucket up;
    private final TokenBucket down;
    private final LinkMeter meter;
    private InputStream in;
    private OutputStream out;

    ShapedSocket(TokenBucket up, TokenBucket down, LinkMeter meter) throws SocketException {
        super();
        this.up = up;
        this.down = down;
        this.meter = meter;
        setTcpNoDelay(true);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        super.connect(endpoint, timeout);
        setTcpNoDelay(true);
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        InputStream raw = super.getInputStream(); // checks closed / connected / shut down each time
        if (in == null) {
            in = new PacedInput(raw, down, meter);
        }
        return in;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        OutputStream raw = super.getOutputStream();
        if (out == null) {
            out = new PacedOutput(raw, up, meter);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Shaped" + super.toString();
    }

    private static final class PacedOutput extends FilterOutputStream {

        private final TokenBucket bucket;
        private final LinkMeter meter;

        PacedOutput(OutputStream out, TokenBucket bucket, LinkMeter meter) {
            super(out);
            this.bucket = bucket;
            this.meter = meter;
        }

        @Override
        public void write(int b) throws IOException {
            pace(1, 0);
            out.write(b);
            meter.sent(1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (bucket == null) {
                out.write(b, off, len);
                meter.sent(len);
                return;
            }
            int piece = bucket.burst();
            int done = 0;
            while (done < len) {
                int n = Math.min(piece, len - done);
                pace(n, done);
                out.write(b, off + done, n);
                meter.sent(n);
                done += n;
            }
        }

        private void pace(int n, int done) throws InterruptedIOException {
            if (bucket == null) {
                return;
            }
            try {
                bucket.acquire(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException io = new InterruptedIOException("interrupted while pacing the uplink");
                io.bytesTransferred = done;
                throw io;
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }

    private static final class PacedInput extends FilterInputStream {

        private final TokenBucket bucket;
        private final LinkMeter meter;

        PacedInput(InputStream in, TokenBucket bucket, LinkMeter meter) {
            super(in);
            this.bucket = bucket;
            this.meter = meter;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                pace(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            int n = in.read(b, off, bucket == null ? len : Math.min(len, bucket.burst()));
            if (n > 0) {
                pace(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // through read(), so skipped bytes are paced and counted like any others
            byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), 8192)];
            long skipped = 0;
            while (skipped < n) {
                int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** Bytes already read are handed over even when interrupted: the interrupt stays set for the caller. */
        private void pace(int n) {
            meter.received(n);
            if (bucket == null) {
                return;
            }
            try {
                bucket.acquire(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
