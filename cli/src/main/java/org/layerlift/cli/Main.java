package org.layerlift.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code layerlift} command line. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line with the process's standard output and error; returns the exit code. */
    public static int run(String... args) {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
    }

    /**
     * The configured command line: {@code layerlift} with its subcommands, writing to the given streams. Input
     * errors print one line and exit non-zero, never with a stack trace: command-line errors
     * ({@link ShortUsageErrors}) exit 2 and name the command's {@code --help}, unusable input ({@link ErrorHandler})
     * exits 1.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        // charts are drawn off screen; the launcher sets this too, tests and embedders may not
        System.setProperty("java.awt.headless", "true");
        CommandLine commandLine = new CommandLine(new LayerLiftCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(new ShortUsageErrors());
        return commandLine;
    }
}
