package org.igvm.cli;

import java.io.PrintWriter;
import java.util.List;
import org.igvm.bootstrap.IgvmConfig;
import org.igvm.bootstrap.IgvmRuntime;
import picocli.CommandLine;

/** Runs one igvm command line: reads the config, builds the runtime, lets picocli dispatch. */
public final class IgvmCli {
    private final PrintWriter out;
    private final PrintWriter err;
    private final Terminal terminal;

    public IgvmCli(PrintWriter out, PrintWriter err, boolean colour) {
        this.out = out;
        this.err = err;
        this.terminal = new Terminal(colour);
    }

    /** Runs the command and returns its exit code; never throws. */
    public int execute(String... args) {
        GlobalOptions options = GlobalOptions.scan(List.of(args));
        ErrorReporter reporter = new ErrorReporter(terminal, options.showStackTraces());
        IgvmRuntime runtime;
        try {
            IgvmConfig config = options.config() == null
                    ? IgvmConfig.load(IgvmConfig.defaultLocation(), false)
                    : IgvmConfig.load(options.config(), true);
            runtime = IgvmRuntime.start(config);
        } catch (RuntimeException e) {
            return reporter.report(e, err);
        }
        CancelOnSignal signals = CancelOnSignal.install(runtime, err);
        try {
            CommandLine commandLine = new CommandLine(IgvmCommand.class, new GuiceFactory(runtime.injector()))
                    .setOut(out)
                    .setErr(err)
                    .setExecutionExceptionHandler(reporter)
                    .setParameterExceptionHandler(reporter)
                    .setColorScheme(CommandLine.Help.defaultColorScheme(
                            terminal.colour() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
            return commandLine.execute(args);
        } catch (RuntimeException e) {
            return reporter.report(e, err);
        } finally {
            try {
                runtime.close();
            } catch (RuntimeException e) {
                reporter.report(e, err);
            }
            signals.close();
            out.flush();
            err.flush();
        }
    }
}
