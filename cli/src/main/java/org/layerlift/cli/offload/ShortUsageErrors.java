package org.layerlift.cli.offload;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/**
 * Command-line errors of {@code offload} and {@code demo}: one line, the error and where to read the options, exit
 * code 2; not the whole usage. Other commands keep {@code fallback}'s behaviour.
 */
public final class ShortUsageErrors implements IParameterExceptionHandler {

    private final IParameterExceptionHandler fallback;

    public ShortUsageErrors(IParameterExceptionHandler fallback) {
        this.fallback = fallback;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) throws Exception {
        CommandLine cl = ex.getCommandLine();
        Object command = cl.getCommand();
        if (!(command instanceof OffloadCommand) && !(command instanceof DemoCommand)) {
            return fallback.handleParseException(ex, args);
        }
        String name = cl.getCommandSpec().qualifiedName();
        PrintWriter err = cl.getErr();
        err.println(name + ": error: " + ex.getMessage() + " (see '" + name + " --help')");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }
}
