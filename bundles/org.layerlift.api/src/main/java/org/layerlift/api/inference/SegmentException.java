package org.layerlift.api.inference;

/**
 * A segment could not be built or run; {@link #reason()} says which way.
 *
 * @since 1.1
 */
public final class SegmentException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why. Each maps to one protocol reason code. */
    public enum Reason {
        /** No segment is registered under the key. */
        UNKNOWN_SEGMENT,
        /** The inputs do not match the segment's input names, element types or shapes. */
        BAD_INPUT,
        /** The run took longer than the executor's per-query timeout and was cancelled. */
        TIMEOUT,
        /** Every worker is busy and the bounded queue is full: try again later. */
        OVERLOADED,
        /** The graph or its weights could not be turned into a session. */
        BUILD_FAILED,
        /** ONNX Runtime failed while running. */
        RUN_FAILED
    }

    private final Reason reason;

    public SegmentException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SegmentException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
