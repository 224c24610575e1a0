package org.layerlift.cli;

import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * What a command's failure prints. Errors in the user's input ({@link CliException}, and the
 * {@link IllegalArgumentException}s with which the model, planning and simulator code reject bad data) print one line
 * naming the cause; anything else is a bug and prints its stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        String command = commandLine.getCommandSpec().qualifiedName();
        if (e instanceof CliException || e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
            commandLine.getErr().println(command + ": error: " + e.getMessage());
            return ExitCodes.INPUT;
        }
        commandLine.getErr().println(command + ": internal error (please report it):");
        e.printStackTrace(commandLine.getErr());
        return ExitCodes.INTERNAL;
    }
}
