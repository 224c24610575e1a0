package org.layerlift.client;

/**
 * Something the client cannot do, with a reason code: a protocol error code of the gateway ({@code bad_manifest},
 * {@code unknown_strategy}, ...) or one of the client's own: {@code unreachable}, {@code refused}, {@code timeout},
 * {@code bad_model}, {@code bad_input}, {@code closed}.
 */
public class ClientException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String code;

    public ClientException(String code, String message) {
        super(message);
        this.code = code;
    }

    public ClientException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The reason code. */
    public String code() {
        return code;
    }
}
