package org.layerlift.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.layerlift.api.inference.TensorData;

class TensorCodecTest {

    private static TensorData floats(String name, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(i * 0.5f - 3);
        }
        b.flip();
        return new TensorData(name, 1, shape, b);
    }

    @Test
    void roundTripKeepsNamesTypesShapesAndBytes() throws Exception {
        ByteBuffer ints = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-9).flip();
        List<TensorData> in = List.of(floats("x", 1, 3, 4, 4), new TensorData("idx", 7, new long[] {2}, ints),
                floats("scalar"), floats("empty", 0, 5));
        byte[] wire = TensorCodec.encode(in);
        assertEquals(TensorCodec.size(in), wire.length);
        List<TensorData> out = TensorCodec.decode(ByteBuffer.wrap(wire));
        assertEquals(in, out);
        assertArrayEquals(new long[] {1, 3, 4, 4}, out.get(0).shape());
        assertEquals(-9, out.get(1).data().getLong(8));
        assertTrue(out.get(0).data().isReadOnly(), "decoded data are views, not copies to scribble on");
    }

    @Test
    void layoutIsTheDocumentedOne() throws Exception {
        byte[] wire = TensorCodec.encode(List.of(floats("ab", 2)));
        ByteBuffer b = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals('L', b.get(0));
        assertEquals('T', b.get(2));
        assertEquals('1', b.get(3));
        assertEquals(1, b.getInt(4));
        assertEquals(2, b.getShort(8));
        assertEquals('a', b.get(10));
        assertEquals(1, b.get(12)); // float
        assertEquals(1, b.get(13)); // rank
        assertEquals(2, b.getLong(14));
        assertEquals(8, b.getLong(22));
        assertEquals(-3f, b.getFloat(30));
        assertEquals(38, wire.length);
    }

    @Test
    void everyTruncationIsRefusedClearly() {
        byte[] wire = TensorCodec.encode(List.of(floats("x", 2, 3), floats("y", 4)));
        for (int n = 0; n < wire.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(wire, n);
            ProtocolException e = assertThrows(ProtocolException.class, () -> TensorCodec.decode(ByteBuffer.wrap(cut)));
            assertEquals(ErrorCode.MALFORMED, e.code());
        }
    }

    @Test
    void lyingHeadersAreRefused() {
        byte[] wire = TensorCodec.encode(List.of(floats("x", 2, 3)));
        ByteBuffer b = ByteBuffer.wrap(wire.clone()).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(13, 1L << 40); // dims[0] huge
        assertThrows(ProtocolException.class, () -> TensorCodec.decode(ByteBuffer.wrap(b.array())));
        ByteBuffer c = ByteBuffer.wrap(wire.clone()).order(ByteOrder.LITTLE_ENDIAN);
        c.put(11, (byte) 99); // element type
        assertThrows(ProtocolException.class, () -> TensorCodec.decode(ByteBuffer.wrap(c.array())));
        ByteBuffer d = ByteBuffer.wrap(wire.clone()).order(ByteOrder.LITTLE_ENDIAN);
        d.putInt(4, 1_000_000); // count
        assertThrows(ProtocolException.class, () -> TensorCodec.decode(ByteBuffer.wrap(d.array())));
        byte[] twice = TensorCodec.encode(List.of(floats("x", 1)));
        byte[] dup = new byte[twice.length * 2 - 8];
        System.arraycopy(twice, 0, dup, 0, twice.length);
        System.arraycopy(twice, 8, dup, twice.length, twice.length - 8);
        ByteBuffer.wrap(dup).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2);
        ProtocolException e = assertThrows(ProtocolException.class, () -> TensorCodec.decode(ByteBuffer.wrap(dup)));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
    }

    @Test
    void randomBytesNeverCrashTheDecoder() {
        SplittableRandom r = new SplittableRandom(5);
        byte[] good = TensorCodec.encode(List.of(floats("x", 2, 3), floats("y", 4)));
        for (int i = 0; i < 20_000; i++) {
            byte[] m = i % 2 == 0 ? new byte[r.nextInt(64)] : good.clone();
            if (i % 2 == 0) {
                for (int j = 0; j < m.length; j++) {
                    m[j] = (byte) r.nextInt(256);
                }
            } else {
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    m[r.nextInt(m.length)] = (byte) r.nextInt(256);
                }
            }
            try {
                TensorCodec.decode(ByteBuffer.wrap(m));
            } catch (ProtocolException expected) {
                assertEquals(ErrorCode.MALFORMED, expected.code());
            }
        }
    }
}
