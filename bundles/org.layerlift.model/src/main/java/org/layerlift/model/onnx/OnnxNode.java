package org.layerlift.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.util.List;

/**
 * One node of an imported graph.
 *
 * @param index       position in the model file's node list (the index surgery uses)
 * @param name        the node's name, or a synthesized {@code <opType>_<index>} when the file leaves it empty or
 *                    repeats it
 * @param opType      operator type
 * @param domain      operator domain ("" is the default ONNX domain)
 * @param inputs      input tensor names ("" for an omitted optional input)
 * @param outputs     output tensor names
 * @param weightBytes bytes of the stored tensors (initializers, {@code Constant} values) this node is the first
 *                    consumer of, from dims and element type
 * @param proto       the node as stored
 */
public record OnnxNode(int index, String name, String opType, String domain, List<String> inputs,
        List<String> outputs, long weightBytes, NodeProto proto) {

    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** The attribute of that name, or {@code null}. */
    public AttributeProto attribute(String attribute) {
        for (AttributeProto a : proto.getAttributeList()) {
            if (a.getName().equals(attribute)) {
                return a;
            }
        }
        return null;
    }

    long intAttr(String attribute, long fallback) {
        AttributeProto a = attribute(attribute);
        return a == null ? fallback : a.getI();
    }

    float floatAttr(String attribute, float fallback) {
        AttributeProto a = attribute(attribute);
        return a == null ? fallback : a.getF();
    }

    String stringAttr(String attribute, String fallback) {
        AttributeProto a = attribute(attribute);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    /** The ints attribute, or {@code null} when absent. */
    long[] intsAttr(String attribute) {
        AttributeProto a = attribute(attribute);
        if (a == null) {
            return null;
        }
        long[] values = new long[a.getIntsCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = a.getInts(i);
        }
        return values;
    }

    /** The i-th input name, or "" when the node has fewer inputs. */
    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    @Override
    public String toString() {
        return name + " (" + opType + ")";
    }
}
