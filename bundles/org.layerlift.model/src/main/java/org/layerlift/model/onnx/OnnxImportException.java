package org.layerlift.model.onnx;

/**
 * An ONNX model (or a caller's input shape for it) that cannot be imported or sized. The message always names the
 * model (file) and, where the problem is local, the node and tensor.
 */
public class OnnxImportException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public OnnxImportException(String message) {
        super(message);
    }

    public OnnxImportException(String message, Throwable cause) {
        super(message, cause);
    }

    static OnnxImportException model(String model, String message) {
        return new OnnxImportException("ONNX model '" + model + "': " + message);
    }

    static OnnxImportException node(String model, OnnxNode node, String message) {
        return new OnnxImportException("ONNX model '" + model + "', node '" + node.name() + "' (" + node.opType()
                + ", #" + node.index() + "): " + message);
    }
}
