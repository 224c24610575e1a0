package org.layerlift.inference.onnx.internal;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.layerlift.api.inference.SegmentException;
import org.layerlift.api.inference.SegmentSpec;
import org.layerlift.api.inference.TensorData;
import org.layerlift.api.inference.TensorSpec;

/**
 * Builds a segment's ONNX Runtime session from its spec: the graph bytes as they came (initializers marked
 * data_location EXTERNAL) and the weights from {@code spec.weights().load()}.
 *
 * <p>The weights are not copied into a protobuf: each external initializer becomes an {@link OnnxTensor} over a
 * direct buffer (dims and element type from the graph's TensorProto) handed to ORT with
 * {@code SessionOptions.addExternalInitializers}, which replaces initializers with external data by name. Verified
 * with ONNX Runtime 1.24.2 on cut squeezenet and resnet18 parts: ORT accepts it for initializers marked EXTERNAL whose
 * location names no file, and the outputs equal those of the same part with its weights embedded (the tests run
 * every server segment this way). Embedding copies the supplied weights three times (into the proto, into its
 * serialised bytes, into ORT's tensors); this copies them once, into direct buffers, which ORT requires to outlive
 * the session. The price, measured (docs/executor.md, SessionMemory): ORT still makes its own copies of the weights
 * that its graph optimisations transform (Conv+BatchNormalization fusion, prepacking; for resnet18 all of them),
 * while our buffers must stay; a resnet18 session then holds about 1.9× its weight bytes resident, against 1.4×
 * with the weights embedded. Building is faster this way; {@link WeightPassing#EMBEDDED} is one switch away
 * should memory become the tighter bound.
 *
 * <p>Embedded as raw_data instead, in a copy of the graph: external tensors that are not initializers (Constant
 * node values) and initializers of element types ORT's Java API cannot make tensors of; both are rare and small.
 */
final class SessionBuilder {

    /** How the weights reach ORT. */
    enum WeightPassing {
        /** As external initializers over direct buffers (the default; see the class comment). */
        EXTERNAL_INITIALIZERS,
        /** Embedded as raw_data in a copy of the graph; kept to measure against (SegmentRunSpeed, SessionMemory). */
        EMBEDDED
    }

    private final OrtEnvironment env;
    private final int intraOpThreads;
    private final WeightPassing passing;

    SessionBuilder(OrtEnvironment env, int intraOpThreads) {
        this(env, intraOpThreads, WeightPassing.EXTERNAL_INITIALIZERS);
    }

    SessionBuilder(OrtEnvironment env, int intraOpThreads, WeightPassing passing) {
        this.env = env;
        this.intraOpThreads = intraOpThreads;
        this.passing = passing;
    }

    BuiltSession build(SegmentSpec spec) throws SegmentException {
        String key = spec.key();
        ModelProto model;
        try {
            model = ModelProto.parseFrom(spec.graph());
        } catch (InvalidProtocolBufferException e) {
            throw failed(key, "the graph is not an ONNX model: " + e.getMessage(), e);
        }
        Map<String, ByteBuffer> weights;
        try {
            weights = spec.weights().load();
        } catch (Exception e) {
            throw failed(key, "loading its weights failed: " + e.getMessage(), e);
        }
        if (weights == null) {
            throw failed(key, "its weight source returned nothing", null);
        }
        List<OnnxTensor> initializers = new ArrayList<>();
        boolean done = false;
        try {
            Map<String, OnnxTensorLike> external = new LinkedHashMap<>();
            ModelProto graph = prepareGraph(key, model, weights, external, initializers);
            BuiltSession built = createSession(key, graph == model ? spec.graph() : graph.toByteArray(), external,
                    initializers);
            done = true;
            return built;
        } catch (RuntimeException e) {
            // overflowing dims, a buffer ORT's Java API refuses: still the spec's fault, reported as such
            throw failed(key, e.toString(), e);
        } finally {
            if (!done) {
                initializers.forEach(OnnxTensor::close);
            }
        }
    }

    /**
     * Fills {@code external} with a tensor per external initializer ORT can take that way and returns the model
     * with everything else external embedded (the same instance when nothing had to be).
     */
    private ModelProto prepareGraph(String key, ModelProto model, Map<String, ByteBuffer> weights,
            Map<String, OnnxTensorLike> external, List<OnnxTensor> owned) throws SegmentException {
        GraphProto g = model.getGraph();
        ModelProto.Builder changed = null;
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
                continue;
            }
            ByteBuffer bytes = weightBytes(key, t, weights);
            OnnxJavaType type = passing == WeightPassing.EXTERNAL_INITIALIZERS
                    ? TensorConversion.javaType(t.getDataType()) : null;
            if (type != null) {
                OnnxTensor tensor;
                try {
                    tensor = OnnxTensor.createTensor(env, TensorConversion.directCopy(bytes), dims(t), type);
                } catch (OrtException e) {
                    throw failed(key, "weight tensor '" + t.getName() + "' cannot be made a tensor: "
                            + e.getMessage(), e);
                }
                owned.add(tensor);
                external.put(t.getName(), tensor);
            } else {
                changed = changed != null ? changed : model.toBuilder();
                changed.getGraphBuilder().setInitializer(i, embed(t, bytes));
            }
        }
        for (int n = 0; n < g.getNodeCount(); n++) {
            NodeProto node = g.getNode(n);
            for (int a = 0; a < node.getAttributeCount(); a++) {
                AttributeProto attribute = node.getAttribute(a);
                if (attribute.hasT() && attribute.getT().getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                    changed = changed != null ? changed : model.toBuilder();
                    TensorProto t = attribute.getT();
                    changed.getGraphBuilder().getNodeBuilder(n).getAttributeBuilder(a)
                            .setT(embed(t, weightBytes(key, t, weights)));
                }
            }
        }
        return changed == null ? model : changed.build();
    }

    private BuiltSession createSession(String key, byte[] graph, Map<String, OnnxTensorLike> external,
            List<OnnxTensor> initializers) throws SegmentException {
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            if (!external.isEmpty()) {
                options.addExternalInitializers(external);
            }
            session = env.createSession(graph, options);
            List<TensorSpec> inputs = new ArrayList<>();
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                if (!(e.getValue().getInfo() instanceof TensorInfo info)) {
                    throw failed(key, "input '" + e.getKey() + "' is a " + e.getValue().getInfo()
                            + ", not a tensor", null);
                }
                int code = TensorConversion.onnxCode(info.onnxType);
                if (TensorData.elementSize(code) <= 0 || TensorConversion.javaType(code) == null) {
                    throw failed(key, "input '" + e.getKey() + "' has element type "
                            + TensorConversion.typeName(code) + ", which cannot be passed in", null);
                }
                inputs.add(new TensorSpec(e.getKey(), code, info.getShape()));
            }
            List<String> outputs = new ArrayList<>(session.getOutputNames());
            warmUp(session, inputs);
            BuiltSession built = new BuiltSession(session, initializers, inputs, outputs);
            session = null;
            return built;
        } catch (OrtException e) {
            throw failed(key, "ONNX Runtime cannot build it: " + e.getMessage(), e);
        } finally {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException e) {
                    // already failing
                }
            }
        }
    }

    /**
     * One run on zero inputs before the session is handed out: ONNX Runtime's first run allocates its buffers and is
     * several times slower than the next, and it would otherwise be a client's query right after "ready". A graph
     * that refuses zeros (data-dependent shapes) is simply not warmed.
     */
    private void warmUp(OrtSession session, List<TensorSpec> inputs) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (TensorSpec spec : inputs) {
                long[] shape = spec.shape();
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shape[i] < 0 ? 1 : shape[i];
                    count *= shape[i];
                }
                ByteBuffer zeros = ByteBuffer.allocateDirect(Math.toIntExact(count * TensorData.elementSize(
                        spec.elementType()))).order(java.nio.ByteOrder.nativeOrder());
                feed.put(spec.name(), OnnxTensor.createTensor(env, zeros, shape,
                        TensorConversion.javaType(spec.elementType())));
            }
            try (OrtSession.RunOptions options = new OrtSession.RunOptions()) {
                // a segment whose one run takes longer than this is not warmed but cut short (ORT's terminate flag)
                boolean[] done = {false};
                java.util.concurrent.CompletableFuture.delayedExecutor(WARM_UP_LIMIT_MS,
                        java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> {
                            synchronized (done) {
                                if (!done[0]) {
                                    try {
                                        options.setTerminate(true);
                                    } catch (OrtException e) {
                                        // the run ends by itself
                                    }
                                }
                            }
                        });
                try (OrtSession.Result r = session.run(feed, options)) {
                    // only the run matters
                } finally {
                    synchronized (done) {
                        done[0] = true;
                    }
                }
            }
        } catch (OrtException | RuntimeException e) {
            // not warmed (or cut short): the first query pays, nothing else changes
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    /** The longest a warm-up run may take. */
    static final long WARM_UP_LIMIT_MS = 1000;

    private static ByteBuffer weightBytes(String key, TensorProto t, Map<String, ByteBuffer> weights)
            throws SegmentException {
        ByteBuffer bytes = weights.get(t.getName());
        if (bytes == null) {
            throw failed(key, "weight tensor '" + t.getName() + "' " + t.getDimsList()
                    + " is not among the weights supplied", null);
        }
        long expected = byteLength(t);
        if (expected < 0) {
            throw failed(key, "weight tensor '" + t.getName() + "' has element type "
                    + TensorConversion.typeName(t.getDataType()) + ", which has no fixed size", null);
        }
        if (bytes.remaining() != expected) {
            throw failed(key, "weight tensor '" + t.getName() + "' " + t.getDimsList() + " of type "
                    + TensorConversion.typeName(t.getDataType()) + " needs " + expected + " bytes, got "
                    + bytes.remaining(), null);
        }
        return bytes;
    }

    private static long byteLength(TensorProto t) {
        int size = TensorData.elementSize(t.getDataType());
        if (size <= 0) {
            return -1;
        }
        long n = size;
        for (long d : t.getDimsList()) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static long[] dims(TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    private static TensorProto embed(TensorProto t, ByteBuffer bytes) {
        return t.toBuilder().clearExternalData().clearDataLocation()
                .setRawData(ByteString.copyFrom(bytes.duplicate())).build();
    }

    private static SegmentException failed(String key, String message, Throwable cause) {
        return new SegmentException(SegmentException.Reason.BUILD_FAILED, "segment " + key + ": " + message, cause);
    }
}
