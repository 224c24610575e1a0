package org.layerlift.model.surgery;

/** A weight tensor a part needs is not available: not uploaded, not in the source, or its external file is absent. */
public class MissingWeightException extends SurgeryException {

    private static final long serialVersionUID = 1L;
    private final String tensor;

    public MissingWeightException(String tensor, String message) {
        super(message);
        this.tensor = tensor;
    }

    public MissingWeightException(String tensor, String message, Throwable cause) {
        super(message, cause);
        this.tensor = tensor;
    }

    /** The name of the missing tensor. */
    public String tensor() {
        return tensor;
    }
}
