package org.layerlift.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.layerlift.api.inference.TensorData;

/**
 * The tensor wire format: a block of named dense tensors, all integers little-endian.
 *
 * <pre>
 * magic "LLT1", u32 count
 * per tensor: u16 name length N, N bytes UTF-8 name, u8 ONNX element type, u8 rank R (&le; 8),
 *             R &times; i64 dims, u64 data length L (= product of dims &times; element size), L bytes raw data
 * </pre>
 *
 * No padding, no compression, no Java serialization. Decoding validates every field and never allocates more than
 * the payload holds; the decoded tensors' data are read-only views into the payload (no copy).
 */
public final class TensorCodec {

    /** "LLT1" */
    public static final int MAGIC = 0x3154_4C4C;
    public static final int MAX_TENSORS = 256;
    public static final int MAX_NAME_BYTES = 1024;
    public static final int MAX_RANK = 8;

    private TensorCodec() {}

    /** The encoded size of {@code tensors}. */
    public static int size(List<TensorData> tensors) {
        long n = 8;
        for (TensorData t : tensors) {
            n += 2 + t.name().getBytes(StandardCharsets.UTF_8).length + 2 + 8L * t.shape().length + 8 + t.byteSize();
        }
        if (n > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("tensors of " + n + " bytes do not fit one message");
        }
        return (int) n;
    }

    public static byte[] encode(List<TensorData> tensors) {
        ByteBuffer out = ByteBuffer.allocate(size(tensors)).order(ByteOrder.LITTLE_ENDIAN);
        write(tensors, out);
        return out.array();
    }

    /** Writes {@code tensors} at the buffer's position (it must have {@link #size} bytes left). */
    public static void write(List<TensorData> tensors, ByteBuffer out) {
        if (tensors.size() > MAX_TENSORS) {
            throw new IllegalArgumentException(tensors.size() + " tensors; at most " + MAX_TENSORS);
        }
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).putInt(tensors.size());
        for (TensorData t : tensors) {
            byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
            if (name.length > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("tensor name longer than " + MAX_NAME_BYTES + " bytes");
            }
            long[] shape = t.shape();
            if (shape.length > MAX_RANK) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' has rank " + shape.length);
            }
            out.putShort((short) name.length).put(name).put((byte) t.elementType()).put((byte) shape.length);
            for (long d : shape) {
                out.putLong(d);
            }
            out.putLong(t.byteSize());
            out.put(t.data().duplicate());
        }
    }

    /**
     * Decodes a tensor block that fills {@code in} from its position to its limit.
     *
     * @throws ProtocolException MALFORMED naming the field that is wrong
     */
    public static List<TensorData> decode(ByteBuffer in) throws ProtocolException {
        ByteBuffer b = in.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        need(b, 8, "the tensor block header");
        if (b.getInt() != MAGIC) {
            throw malformed("the tensor block does not start with the LLT1 magic");
        }
        long count = Integer.toUnsignedLong(b.getInt());
        if (count > MAX_TENSORS) {
            throw malformed("the tensor block claims " + count + " tensors; at most " + MAX_TENSORS);
        }
        List<TensorData> tensors = new ArrayList<>((int) count);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            need(b, 2, "tensor " + i + "'s name length");
            int nameLength = Short.toUnsignedInt(b.getShort());
            if (nameLength == 0 || nameLength > MAX_NAME_BYTES) {
                throw malformed("tensor " + i + ": name length " + nameLength + " (1.." + MAX_NAME_BYTES + ")");
            }
            need(b, nameLength + 2, "tensor " + i + "'s name, element type and rank");
            byte[] nameBytes = new byte[nameLength];
            b.get(nameBytes);
            String name = utf8(nameBytes, i);
            if (!names.add(name)) {
                throw malformed("tensor '" + name + "' appears twice");
            }
            int type = Byte.toUnsignedInt(b.get());
            if (TensorData.elementSize(type) <= 0) {
                throw malformed("tensor '" + name + "': unsupported ONNX element type " + type);
            }
            int rank = Byte.toUnsignedInt(b.get());
            if (rank > MAX_RANK) {
                throw malformed("tensor '" + name + "': rank " + rank + " (at most " + MAX_RANK + ")");
            }
            need(b, 8L * rank + 8, "tensor '" + name + "''s dims and length");
            long[] shape = new long[rank];
            long expected = TensorData.elementSize(type);
            for (int d = 0; d < rank; d++) {
                shape[d] = b.getLong();
                if (shape[d] < 0 || shape[d] > Integer.MAX_VALUE) {
                    throw malformed("tensor '" + name + "': dimension " + d + " is " + shape[d]);
                }
                expected = multiply(expected, shape[d], name);
            }
            long length = b.getLong();
            if (length != expected) {
                throw malformed("tensor '" + name + "': shape " + Arrays.toString(shape) + " of element type " + type
                        + " needs " + expected + " bytes, the header says " + length);
            }
            need(b, length, "tensor '" + name + "''s data");
            ByteBuffer data = b.slice().limit((int) length).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
            b.position(b.position() + (int) length);
            tensors.add(new TensorData(name, type, shape, data));
        }
        if (b.hasRemaining()) {
            throw malformed(b.remaining() + " bytes after the last tensor");
        }
        return tensors;
    }

    private static long multiply(long a, long b, String name) throws ProtocolException {
        long r = a * b;
        if (b != 0 && (r / b != a || r > Integer.MAX_VALUE)) {
            throw malformed("tensor '" + name + "' is larger than one message can hold");
        }
        return r;
    }

    private static String utf8(byte[] bytes, int i) throws ProtocolException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw malformed("tensor " + i + ": the name is not UTF-8");
        }
    }

    private static void need(ByteBuffer b, long n, String what) throws ProtocolException {
        if (b.remaining() < n) {
            throw malformed("truncated: " + what + " needs " + n + " bytes, " + b.remaining() + " left");
        }
    }

    private static ProtocolException malformed(String message) {
        return new ProtocolException(ErrorCode.MALFORMED, message);
    }
}
