package org.layerlift.model.surgery;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Node names: ONNX does not require them to be unique or present; profiles and messages do. */
public final class ModelNames {

    private ModelNames() {}

    /**
     * The node names after {@link #withUniqueNodeNames}: a node keeps a name that is present and not taken by an
     * earlier node; others get {@code <OpType>_<index>} (with a suffix if even that is taken).
     */
    public static List<String> uniqueNodeNames(GraphProto graph) {
        Set<String> taken = new HashSet<>();
        for (NodeProto n : graph.getNodeList()) {
            if (!n.getName().isEmpty()) {
                taken.add(n.getName());
            }
        }
        Set<String> used = new HashSet<>();
        List<String> names = new ArrayList<>(graph.getNodeCount());
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            String name = n.getName();
            if (name.isEmpty() || used.contains(name)) {
                String base = (n.getOpType().isEmpty() ? "node" : n.getOpType()) + "_" + i;
                name = base;
                for (int k = 1; taken.contains(name) || used.contains(name); k++) {
                    name = base + "_" + k;
                }
            }
            used.add(name);
            names.add(name);
        }
        return names;
    }

    /** The model with every node named, uniquely (see {@link #uniqueNodeNames}); the same model if they were. */
    public static ModelProto withUniqueNodeNames(ModelProto model) {
        List<String> names = uniqueNodeNames(model.getGraph());
        GraphProto g = model.getGraph();
        boolean same = true;
        for (int i = 0; i < names.size() && same; i++) {
            same = names.get(i).equals(g.getNode(i).getName());
        }
        if (same) {
            return model;
        }
        ModelProto.Builder m = model.toBuilder();
        GraphProto.Builder gb = m.getGraphBuilder();
        for (int i = 0; i < names.size(); i++) {
            if (!names.get(i).equals(gb.getNode(i).getName())) {
                gb.getNodeBuilder(i).setName(names.get(i));
            }
        }
        return m.build();
    }
}
