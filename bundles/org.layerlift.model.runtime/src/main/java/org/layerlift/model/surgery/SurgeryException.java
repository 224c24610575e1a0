package org.layerlift.model.surgery;

/** A model, plan or weight source that cannot be cut or built; the message names the model, node, tensor or file. */
public class SurgeryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SurgeryException(String message) {
        super(message);
    }

    public SurgeryException(String message, Throwable cause) {
        super(message, cause);
    }
}
