package org.layerlift.cli;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.layerlift.model.surgery.Materializer;
import org.layerlift.model.surgery.SurgeryException;
import org.layerlift.model.surgery.Tensors;

/**
 * Where a {@code model} command's weights come from: the model's own external data files when they are all there
 * (or the model embeds its weights), else seeded random weights written into a temporary copy of the model
 * ({@link Materializer}; nothing is written next to the user's model). Close it to delete the copy.
 */
public final class ModelWeights implements AutoCloseable {

    private final Path model;
    private final Path temporary;
    private final String description;
    private final long externalBytes;

    private ModelWeights(Path model, Path temporary, String description, long externalBytes) {
        this.model = model;
        this.temporary = temporary;
        this.description = description;
        this.externalBytes = externalBytes;
    }

    /** The .onnx file to read (ONNX Runtime, {@code ExternalDataWeights}): the user's, or the temporary copy. */
    public Path model() {
        return model;
    }

    /** Whether the weights are seeded random ones in a temporary copy. */
    public boolean materialized() {
        return temporary != null;
    }

    /** Bytes of the external tensors (0 when the model embeds its weights). */
    long externalBytes() {
        return externalBytes;
    }

    /** One line for the output: where the weights come from. */
    public String describe() {
        return description;
    }

    /**
     * Each absent or too short external data file of {@code proto} (the model at {@code file}), with the first
     * tensor it fails: one message per file, empty when every external tensor can be read.
     */
    public static List<String> missing(ModelProto proto, Path file) {
        Path directory = file.toAbsolutePath().normalize().getParent();
        Map<String, String> problems = new LinkedHashMap<>();
        for (TensorProto t : externalTensors(proto)) {
            String location = Tensors.location(t);
            if (problems.containsKey(location)) {
                continue;
            }
            Path data = directory.resolve(location).normalize();
            if (Path.of(location).isAbsolute() || !data.startsWith(directory)) {
                throw new CliException("model " + file + ": tensor '" + t.getName() + "' names external data location '"
                        + location + "' outside the model's directory");
            }
            long end = Tensors.offset(t) + Tensors.externalLength(t);
            try {
                if (!Files.isRegularFile(data)) {
                    problems.put(location, "external data file " + data + " (location '" + location + "' of tensor '"
                            + t.getName() + "') does not exist");
                } else if (Files.size(data) < end) {
                    problems.put(location, "external data file " + data + " is " + Files.size(data)
                            + " bytes, too short for tensor '" + t.getName() + "' (ends at byte " + end + ")");
                }
            } catch (IOException e) {
                problems.put(location, "external data file " + data + " cannot be read: " + e.getMessage());
            }
        }
        return new ArrayList<>(problems.values());
    }

    /**
     * The weights to use for the model at {@code file}: its own when {@link #missing} finds nothing; otherwise, if
     * {@code materialize}, every external tensor filled with seeded random values in a temporary copy, else a
     * {@link CliException} naming the missing file and ending with {@code hint}.
     */
    public static ModelWeights resolve(Path file, ModelProto proto, boolean materialize, long seed, String hint) {
        List<TensorProto> external = externalTensors(proto);
        long bytes = external.stream().mapToLong(Tensors::externalLength).sum();
        List<String> missing = missing(proto, file);
        if (missing.isEmpty()) {
            String what = external.isEmpty() ? "embedded in the model"
                    : "the model's own external data (" + org.layerlift.model.units.InspectTable.bytes(bytes) + ")";
            return new ModelWeights(file, null, what, bytes);
        }
        if (!materialize) {
            throw new CliException("model " + file.getFileName() + ": " + missing.get(0) + hint);
        }
        Path temporary = null;
        try {
            temporary = Files.createTempDirectory("layerlift-weights-");
            Path copy = temporary.resolve(file.getFileName().toString());
            Files.copy(file, copy);
            Materializer.materialize(proto, copy, seed);
            return new ModelWeights(copy, temporary, "seeded random (seed " + seed + ", "
                    + org.layerlift.model.units.InspectTable.bytes(bytes) + ") in a temporary copy, since "
                    + missing.get(0), bytes);
        } catch (IOException | SurgeryException e) {
            delete(temporary);
            throw new CliException("model " + file.getFileName() + ": cannot write seeded weights"
                    + (temporary == null ? "" : " into " + temporary) + ": " + e.getMessage(), e);
        }
    }

    /** The external tensors: initializers and the values of Constant nodes. */
    static List<TensorProto> externalTensors(ModelProto proto) {
        List<TensorProto> out = new ArrayList<>();
        for (TensorProto t : proto.getGraph().getInitializerList()) {
            if (Tensors.isExternal(t)) {
                out.add(t);
            }
        }
        for (NodeProto n : proto.getGraph().getNodeList()) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasT() && Tensors.isExternal(a.getT())) {
                    out.add(a.getT());
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        delete(temporary);
    }

    private static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing the command for
        }
    }
}
