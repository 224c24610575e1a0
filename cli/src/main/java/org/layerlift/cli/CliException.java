package org.layerlift.cli;

/** An error in what the user gave a command (a file, a value): printed as its message alone, exit code 1. */
public class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
