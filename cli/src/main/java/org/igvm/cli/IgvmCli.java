package org.igvm.cli;

import java.io.PrintWriter;
import java.util.List;
import org.igvm.bootstrap.IgvmConfig;
import org.igvm.bootstrap.IgvmRuntime;
import picocli.CommandLine;

/**
 * Runs one igvm command line. Parses first: {@code --help}, {@code --version} and argument errors
 * are answered by picocli alone. The config is read and the runtime built only when a command
 * first asks for the API.
 */
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
        LazyRuntime runtime = new LazyRuntime(() -> startRuntime(options));
        try {
            CommandLine commandLine = new CommandLine(IgvmCommand.class, new CommandFactory(runtime))
                    .setOut(out)
                    .setErr(err)
                    .setExecutionExceptionHandler(reporter)
                    .setParameterExceptionHandler(reporter)
                    .setColorScheme(CommandLine.Help.defaultColorScheme(
                            terminal.colour() ? CommandLine.Help.Ansi.ON : CommandLine.Help.Ansi.OFF));
            return run(commandLine, runtime, reporter, args);
        } catch (RuntimeException e) {
            return reporter.report(e, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Reads the config and builds the runtime; called on a command's first use of the API. */
    private static IgvmRuntime startRuntime(GlobalOptions options) {
        IgvmConfig config = options.config() == null
                ? IgvmConfig.load(IgvmConfig.defaultLocation(), false)
                : IgvmConfig.load(options.config(), true);
        return IgvmRuntime.start(config);
    }

    /**
     * Executes the parsed command; Ctrl-C and SIGTERM cancel it cooperatively ({@link
     * CancelOnSignal}), and whatever the runtime holds is released at the end.
     */
    private int run(CommandLine commandLine, LazyRuntime runtime, ErrorReporter reporter, String[] args) {
        CancelOnSignal signals = CancelOnSignal.install(runtime, err);
        try {
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
        }
    }
}
