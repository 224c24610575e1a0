package org.layerlift.client.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;

/** Seeded inputs for a model's input specs: floats uniform in [0, 1), integers in [0, 10), booleans. */
final class RandomTensors {

    private RandomTensors() {}

    static List<TensorData> of(List<TensorSpec> specs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TensorData> out = new ArrayList<>();
        for (TensorSpec s : specs) {
            long[] shape = s.shape();
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0) {
                    shape[i] = 1;
                }
                count = Math.multiplyExact(count, shape[i]);
            }
            int size = TensorData.elementSize(s.elementType());
            ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(count * size)).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < count; i++) {
                switch (s.elementType()) {
                    case 1 -> b.putFloat((float) random.nextDouble());
                    case 11 -> b.putDouble(random.nextDouble());
                    case 6 -> b.putInt(random.nextInt(10));
                    case 7 -> b.putLong(random.nextInt(10));
                    case 2, 3 -> b.put((byte) random.nextInt(10));
                    case 9 -> b.put((byte) random.nextInt(2));
                    case 5, 4 -> b.putShort((short) random.nextInt(10));
                    default -> throw new IllegalArgumentException("input '" + s.name() + "': element type "
                            + s.elementType() + " cannot be generated");
                }
            }
            b.flip();
            out.add(new TensorData(s.name(), s.elementType(), shape, b));
        }
        return out;
    }
}
