package org.layerlift.cli;

/** The exit codes of every {@code layerlift} command. */
public final class ExitCodes {

    /** Done. */
    public static final int OK = 0;
    /** The input could not be used: an unreadable or malformed file, a strategy that refused to plan. */
    public static final int INPUT = 1;
    /** A check failed: {@code model verify} found a plan whose outputs differ beyond the tolerance. */
    public static final int CHECK_FAILED = 1;
    /** The command line itself is wrong (picocli's usage-error code). */
    public static final int USAGE = 2;
    /** A bug: an unexpected exception, reported with its stack trace. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }
}
