package org.layerlift.cli.offload;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.layerlift.cli.Main;

/** Runs the command line in-process with its output captured. */
final class Run {

    static final Path ROOT = Path.of(System.getProperty("layerlift.root", "..")).toAbsolutePath().normalize();

    record Result(int exitCode, String out, String err) {

        boolean noStackTrace() {
            String all = out + err;
            return !all.contains("\tat ") && !all.contains("Exception") && !all.contains("Error:");
        }

        long errLines() {
            return err.lines().filter(l -> !l.isBlank()).count();
        }
    }

    private Run() {
    }

    static Result of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
