package org.igvm.cli;

import com.google.inject.ProvisionException;
import java.io.PrintWriter;
import org.igvm.api.ExitCodes;
import org.igvm.api.IgvmException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Turns failures into one clear line and a stable exit code; stack traces only with -vv. */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final Terminal terminal;
    private final boolean stackTraces;

    ErrorReporter(Terminal terminal, boolean stackTraces) {
        this.terminal = terminal;
        this.stackTraces = stackTraces;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        return report(e, command.getErr());
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        terminal.error(
                command.getErr(),
                e.getMessage() + " (see: " + command.getCommandSpec().qualifiedName() + " --help)");
        return ExitCodes.INVALID_INPUT;
    }

    int report(Throwable e, PrintWriter err) {
        // slf4j prints the trace only at trace level, which -vv turns on.
        // The logger is made here, not at class load: --help and argument errors need no logging.
        org.slf4j.LoggerFactory.getLogger(ErrorReporter.class).trace("failure", e);
        if (e instanceof ProvisionException provision && igvmCause(provision) != null) {
            // An adapter that failed while Guice built it: its own message, not Guice's report.
            e = igvmCause(provision);
        }
        if (e instanceof IgvmException igvm) {
            terminal.error(err, igvm.getMessage());
            return igvm.exitCode();
        }
        terminal.error(
                err,
                "internal error: " + e
                        + (stackTraces ? "" : " (run again with -vv for details, and please report it)"));
        return ExitCodes.INTERNAL_ERROR;
    }

    private static IgvmException igvmCause(Throwable e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof IgvmException igvm) {
                return igvm;
            }
        }
        return null;
    }
}
