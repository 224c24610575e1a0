package org.layerlift.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the command line in-process with its output captured. */
final class Cli {

    /** The repository root (surefire sets it; tests run from the module directory otherwise). */
    static final Path ROOT = Path.of(System.getProperty("layerlift.root", "..")).toAbsolutePath().normalize();
    static final String ALEXNET = ROOT.resolve("profiles/alexnet.json").toString();
    static final String GOOGLENET = ROOT.resolve("profiles/googlenet.json").toString();

    record Result(int exitCode, String out, String err) {

        /** Neither stream shows a Java stack trace or exception class name. */
        boolean noStackTrace() {
            String all = out + err;
            return !all.contains("\tat ") && !all.contains("Exception") && !all.contains("Error:");
        }

        /**
         * A command-line error of {@code command} (e.g. "model inspect"): exit code 2 and one line on standard error,
         * {@code layerlift <command>: error: ... (see 'layerlift <command> --help')}, no usage, nothing on stdout.
         */
        boolean isShortUsageError(String command) {
            String name = command.isEmpty() ? "layerlift" : "layerlift " + command;
            String line = err.strip();
            return exitCode == ExitCodes.USAGE && line.lines().count() == 1 && out.isEmpty()
                    && line.startsWith(name + ": error: ") && line.endsWith("(see '" + name + " --help')")
                    && !line.contains("Usage:") && noStackTrace();
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
