package org.layerlift.model.surgery;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Weights read from a model's external data files as ONNX Runtime reads them: {@code location} relative to the
 * directory of the model file, {@code offset} (default 0) and {@code length} (default: the size the dims give).
 * Files are opened on first use and kept open until {@link #close()}.
 */
public final class ExternalDataWeights implements WeightSource, AutoCloseable {

    private final Path modelFile;
    private final Path directory;
    private final Map<String, FileChannel> open = new HashMap<>();

    /** @param modelFile the .onnx file whose external data this reads (only its directory and name are used) */
    public ExternalDataWeights(Path modelFile) {
        this.modelFile = modelFile.toAbsolutePath().normalize();
        this.directory = this.modelFile.getParent();
    }

    @Override
    public synchronized ByteString bytes(TensorProto tensor) throws IOException {
        if (!Tensors.isExternal(tensor)) {
            return null;
        }
        String location = Tensors.location(tensor);
        Path file = resolve(tensor, location);
        long offset = Tensors.offset(tensor);
        long length = Tensors.externalLength(tensor);
        if (length > Integer.MAX_VALUE - 8) {
            throw new SurgeryException("model " + modelFile + ": tensor '" + tensor.getName() + "' is " + length
                    + " bytes, more than one part can embed");
        }
        FileChannel channel = channel(tensor, location, file);
        long size = channel.size();
        if (offset + length > size) {
            throw new MissingWeightException(tensor.getName(), "model " + modelFile + ": external data file " + file
                    + " is " + size + " bytes, too short for tensor '" + tensor.getName() + "' at offset " + offset
                    + " length " + length);
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) length);
        long at = offset;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of " + file + " reading tensor '" + tensor.getName() + "'");
            }
            at += n;
        }
        return UnsafeByteOperations.unsafeWrap(buffer.array());
    }

    private Path resolve(TensorProto tensor, String location) {
        Path relative = Path.of(location);
        Path file = directory.resolve(relative).normalize();
        if (relative.isAbsolute() || !file.startsWith(directory)) {
            throw new SurgeryException("model " + modelFile + ": tensor '" + tensor.getName()
                    + "' names external data location '" + location + "' outside the model's directory");
        }
        return file;
    }

    private FileChannel channel(TensorProto tensor, String location, Path file) throws IOException {
        FileChannel channel = open.get(location);
        if (channel == null) {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                throw new MissingWeightException(tensor.getName(), "model " + modelFile + ": external data file "
                        + file + " (location '" + location + "' of tensor '" + tensor.getName() + "') does not exist",
                        e);
            }
            open.put(location, channel);
        }
        return channel;
    }

    @Override
    public String describe() {
        return "external data of " + modelFile;
    }

    /** Whether the external data file at {@code location} exists next to the model. */
    public boolean exists(String location) {
        return Files.isRegularFile(directory.resolve(location));
    }

    @Override
    public synchronized void close() throws IOException {
        IOException failure = null;
        for (FileChannel c : open.values()) {
            try {
                c.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        open.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
