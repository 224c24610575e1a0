package org.layerlift.model.profile;

/**
 * A measurement set or profile file that cannot be planned from; the message names the model (or file) and, where
 * known, the layer or unit.
 */
public class ProfileException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ProfileException(String model, String message) {
        super("measurement set '" + model + "': " + message);
    }

    public ProfileException(String model, String layer, String message) {
        super("measurement set '" + model + "', layer '" + layer + "': " + message);
    }

    private ProfileException(String message, boolean raw) {
        super(message);
    }

    /** A bad profile file (our format); {@code unit} may be null. */
    static ProfileException profile(String model, String unit, String message) {
        return new ProfileException("profile '" + model + "'" + (unit == null ? "" : ", unit '" + unit + "'") + ": "
                + message, true);
    }
}
