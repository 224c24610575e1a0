package org.layerlift.cli.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;
import org.layerlift.cli.CliException;

class QueryInputsTest {

    @TempDir
    Path dir;

    private static final List<TensorSpec> INPUTS = List.of(new TensorSpec("image", 1, new long[] {1, 2, 3}),
            new TensorSpec("ids", 7, new long[] {-1, 2}));

    private Path write(String file, TensorProto t) throws Exception {
        return Files.write(dir.resolve(file), t.toByteArray());
    }

    private static TensorProto image(String name, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(1);
        long n = 1;
        for (long d : dims) {
            b.addDims(d);
            n *= d;
        }
        for (int i = 0; i < n; i++) {
            b.addFloatData(i * 0.5f);
        }
        return b.build();
    }

    private static TensorProto ids(String name) {
        ByteBuffer raw = ByteBuffer.allocate(4 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v = 0; v < 4; v++) {
            raw.putLong(v + 10);
        }
        return TensorProto.newBuilder().setName(name).setDataType(7).addDims(2).addDims(2)
                .setRawData(ByteString.copyFrom(raw.array())).build();
    }

    @Test
    void roundTripByNameInAnyOrder() throws Exception {
        Path a = write("ids.pb", ids("ids"));
        Path b = write("image.pb", image("image", 1, 2, 3));
        List<TensorData> got = QueryInputs.read(List.of(a, b), INPUTS);
        assertEquals("image", got.get(0).name());
        assertArrayEquals(new long[] {1, 2, 3}, got.get(0).shape());
        assertEquals(2.5f, got.get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(5 * 4));
        assertEquals("ids", got.get(1).name());
        assertEquals(13, got.get(1).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(3 * 8));
    }

    @Test
    void unnamedTensorsGoByPosition() throws Exception {
        List<TensorData> got = QueryInputs.read(List.of(write("a.pb", image("", 1, 2, 3)), write("b.pb", ids(""))),
                INPUTS);
        assertEquals(List.of("image", "ids"), got.stream().map(TensorData::name).toList());
    }

    @Test
    void wrongShapeNameCountOrFile() throws Exception {
        Path good = write("ids.pb", ids("ids"));
        CliException shape = assertThrows(CliException.class, () -> QueryInputs.read(
                List.of(write("bad.pb", image("image", 1, 3, 2)), good), INPUTS));
        assertTrue(shape.getMessage().contains("does not fit model input 'image'"), shape.getMessage());
        CliException name = assertThrows(CliException.class, () -> QueryInputs.read(
                List.of(write("x.pb", image("other", 1, 2, 3)), good), INPUTS));
        assertTrue(name.getMessage().contains("'other' is not an input"), name.getMessage());
        CliException count = assertThrows(CliException.class, () -> QueryInputs.read(List.of(good), INPUTS));
        assertTrue(count.getMessage().contains("1 --input file for 2 model inputs"), count.getMessage());
        Path junk = Files.write(dir.resolve("junk.pb"), new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
        CliException notPb = assertThrows(CliException.class, () -> QueryInputs.read(List.of(junk, good), INPUTS));
        assertTrue(notPb.getMessage().contains("junk.pb"), notPb.getMessage());
    }

    @Test
    void seededRandomInputs() {
        List<TensorData> a = QueryInputs.random(INPUTS, 1);
        List<TensorData> b = QueryInputs.random(INPUTS, 1);
        assertEquals(a, b);
        assertTrue(QueryInputs.maxAbsDiff(a, b) == 0);
        assertArrayEquals(new long[] {1, 2}, a.get(1).shape());
        float f = a.get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getFloat(0);
        assertTrue(f >= 0 && f < 1);
        assertTrue(QueryInputs.maxAbsDiff(a, QueryInputs.random(INPUTS, 2)) > 0);
    }
}
