package org.layerlift.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Command-line errors of every command: one line, {@code layerlift <command>: error: <what is wrong> (see
 * 'layerlift <command> --help')}, and exit code {@link ExitCodes#USAGE}; never the whole usage. The same for
 * errors found while parsing and for the {@link ParameterException}s a command throws when it checks its options.
 */
final class ShortUsageErrors implements IParameterExceptionHandler {

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String name = cl.getCommandSpec().qualifiedName();
        PrintWriter err = cl.getErr();
        err.println(line(name, ex));
        err.flush();
        return ExitCodes.USAGE;
    }

    /** The one line printed for {@code ex} of the command {@code name}. */
    static String line(String name, ParameterException ex) {
        String message = ex.getMessage() == null ? "invalid command line" : ex.getMessage().strip();
        if (ex instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += "; did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))
                        + "?";
            }
        }
        // picocli joins several problems with line breaks; the message stays one line
        message = message.replaceAll("\\s*\\R\\s*", "; ");
        return name + ": error: " + message + " (see '" + name + " --help')";
    }
}
