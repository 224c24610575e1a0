package org.layerlift.model.surgery;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.io.IOException;

/** Embedding external weights into a model. */
public final class Weights {

    private Weights() {}

    /**
     * {@code model} with every external tensor (initializers and Constant values of the main graph) embedded as
     * raw_data from {@code weights}; the same model when nothing is external. The bytes are shared, not copied.
     *
     * @param context how messages name the model or part
     * @throws MissingWeightException naming the tensor when the source lacks it
     */
    public static ModelProto embed(ModelProto model, WeightSource weights, String context) {
        boolean any = model.getGraph().getInitializerList().stream().anyMatch(Tensors::isExternal)
                || model.getGraph().getNodeList().stream().flatMap(n -> n.getAttributeList().stream())
                        .anyMatch(a -> a.hasT() && Tensors.isExternal(a.getT()));
        if (!any) {
            return model;
        }
        ModelProto.Builder m = model.toBuilder();
        GraphProto.Builder g = m.getGraphBuilder();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (Tensors.isExternal(t)) {
                g.setInitializer(i, embed(t, weights, context));
            }
        }
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            for (int a = 0; a < n.getAttributeCount(); a++) {
                if (n.getAttribute(a).hasT() && Tensors.isExternal(n.getAttribute(a).getT())) {
                    g.getNodeBuilder(i).getAttributeBuilder(a).setT(embed(n.getAttribute(a).getT(), weights, context));
                }
            }
        }
        return m.build();
    }

    /** One tensor with its bytes from {@code weights} as raw_data. */
    public static TensorProto embed(TensorProto t, WeightSource weights, String context) {
        ByteString bytes;
        try {
            bytes = weights.bytes(t);
        } catch (IOException e) {
            throw new SurgeryException(context + ": reading weight tensor '" + t.getName() + "' from "
                    + weights.describe() + " failed: " + e.getMessage(), e);
        }
        if (bytes == null) {
            throw new MissingWeightException(t.getName(), context + " needs weight tensor '" + t.getName() + "' "
                    + t.getDimsList() + ", which " + weights.describe() + " does not hold");
        }
        long expected = Tensors.byteLength(t);
        if (expected >= 0 && bytes.size() != expected) {
            throw new SurgeryException(context + ": weight tensor '" + t.getName() + "' " + t.getDimsList()
                    + " needs " + expected + " bytes, " + weights.describe() + " gave " + bytes.size());
        }
        return t.toBuilder().clearExternalData().clearDataLocation().setRawData(bytes).build();
    }
}
