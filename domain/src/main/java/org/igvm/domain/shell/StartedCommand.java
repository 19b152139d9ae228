package org.igvm.domain.shell;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.igvm.api.CancelledException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.RunningCommand;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * What every shell adapter's {@link RunningCommand} has in common: the output sinks, waiting with
 * a timeout, and interruption as cancellation (kill, restore the interrupt flag, {@link
 * CancelledException}). An adapter supplies how its process ends, is killed and is released.
 */
public abstract class StartedCommand implements RunningCommand {
    private final String host;
    private final ShellCommand command;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final OutputPump stdoutPump;
    private final OutputPump stderrPump;
    private final Object killing = new Object();
    private volatile boolean closed;

    /** Pumps every output whose sink is not {@link OutputSink#stream()}, starting now. */
    protected StartedCommand(
            String host,
            ShellCommand command,
            OutputStream stdin,
            InputStream stdout,
            OutputSink stdoutSink,
            InputStream stderr,
            OutputSink stderrSink) {
        this.host = host;
        this.command = command;
        this.stdin = stdin;
        String name = "shell-" + host + "-";
        this.stdout = stdoutSink instanceof OutputSink.Stream ? stdout : null;
        this.stderr = stderrSink instanceof OutputSink.Stream ? stderr : null;
        this.stdoutPump = this.stdout == null ? OutputPump.start(stdout, stdoutSink, name + "out") : null;
        this.stderrPump = this.stderr == null ? OutputPump.start(stderr, stderrSink, name + "err") : null;
    }

    /** Waits up to the time for the process to end; true when it has. */
    protected abstract boolean awaitExit(long nanos) throws InterruptedException;

    /** The exit status if the process has ended, never blocking. */
    protected abstract OptionalInt exitStatusNow();

    /** Kills the process and its process group, returning once it has ended (within a bound). */
    protected abstract void killProcess();

    /** Releases streams, channels and registrations; the process has ended or been killed. */
    protected abstract void release();

    @Override
    public String host() {
        return host;
    }

    @Override
    public ShellCommand command() {
        return command;
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        if (stdout == null) {
            throw new IllegalStateException("stdout of '" + command + "' goes to a sink; start it with "
                    + "OutputSink.stream() to read it as bytes");
        }
        return stdout;
    }

    @Override
    public InputStream stderr() {
        if (stderr == null) {
            throw new IllegalStateException("stderr of '" + command + "' goes to a sink; start it with "
                    + "OutputSink.stream() to read it as bytes");
        }
        return stderr;
    }

    @Override
    public boolean isRunning() {
        return exitStatusNow().isEmpty();
    }

    @Override
    public OptionalInt exitStatus() {
        return exitStatusNow();
    }

    @Override
    public Optional<CommandResult> waitFor(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!awaitExit(left(deadline))) {
                return Optional.empty();
            }
            if (stdoutPump != null && !stdoutPump.await(left(deadline))) {
                return Optional.empty();
            }
            if (stderrPump != null && !stderrPump.await(left(deadline))) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            throw cancelled();
        }
        return Optional.of(new CommandResult(
                host,
                command.text(),
                exitStatusNow().orElseThrow(),
                stdoutPump == null ? "" : stdoutPump.collected(),
                stderrPump == null ? "" : stderrPump.collected()));
    }

    /**
     * For the thread whose wait was interrupted (its flag is clear now): kills the command, sets
     * the flag again and returns the exception to throw.
     */
    protected final CancelledException cancelled() {
        try {
            kill();
        } finally {
            Thread.currentThread().interrupt();
        }
        return new CancelledException("cancelled: the command on " + host + " was killed: " + command);
    }

    @Override
    public void kill() {
        synchronized (killing) {
            if (isRunning()) {
                killProcess();
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            kill();
        } finally {
            release();
        }
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
