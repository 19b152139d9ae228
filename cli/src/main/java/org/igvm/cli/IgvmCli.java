package org.igvm.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import org.igvm.bootstrap.IgvmConfig;
import org.igvm.bootstrap.IgvmRuntime;
import org.igvm.bootstrap.InventoryRuntime;
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
        Supplier<IgvmConfig> config = once(() -> loadConfig(options));
        LazyRuntime runtime =
                new LazyRuntime(() -> IgvmRuntime.start(config.get()), () -> InventoryRuntime.start(config.get()));
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

    /** Reads the config; called on a command's first use of the API. */
    private static IgvmConfig loadConfig(GlobalOptions options) {
        return options.config() == null
                ? IgvmConfig.load(IgvmConfig.defaultLocation(), false)
                : IgvmConfig.load(options.config(), true);
    }

    /** The value, computed on the first call only. */
    private static <T> Supplier<T> once(Supplier<T> compute) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = compute.get();
                }
                return value;
            }
        };
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
