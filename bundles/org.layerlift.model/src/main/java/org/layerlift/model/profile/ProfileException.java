package org.layerlift.model.profile;

/** A measurement set that cannot be planned from; the message names the model and, where known, the layer. */
public class ProfileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ProfileException(String model, String message) {
        super("measurement set '" + model + "': " + message);
    }

    public ProfileException(String model, String layer, String message) {
        super("measurement set '" + model + "', layer '" + layer + "': " + message);
    }
}
