package org.igvm.domain.spi.shell;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A command started on a host by {@link HostShell#start(ShellCommand, OutputSink, OutputSink)}
 * that may still be running: its stdin, its output, its end. Listeners ({@code nc -l … | dd …}),
 * watchers ({@code drbdsetup events2}) and downloads with progress are commands run this way.
 *
 * <p>Interruption is cancellation: when the thread blocked in {@link #waitFor} is interrupted, the
 * command is killed and the call throws {@link org.igvm.api.CancelledException} naming the command
 * and the host, with the thread's interrupt flag set again. When the shell loses its connection to
 * the host while the command runs, the calls that wait for it fail with {@link
 * org.igvm.api.UnreachableException}: the command's effect is then unknown, and it is never run
 * again on its own.
 *
 * <p>Closing the handle kills the command if it still runs and releases its streams.
 *
 * @since 0.2
 */
public interface RunningCommand extends AutoCloseable {
    /**
     * The host the command runs on.
     *
     * @since 0.2
     */
    String host();

    /**
     * The command as it was started.
     *
     * @since 0.2
     */
    ShellCommand command();

    /**
     * The command's stdin. Closing it sends end-of-file; until then a command that reads stdin
     * waits for more. Writes block while the command does not read.
     *
     * @since 0.2
     */
    OutputStream stdin();

    /**
     * The command's stdout as bytes, when it was started with {@link OutputSink#stream()} for
     * stdout; otherwise an {@link IllegalStateException}.
     *
     * @since 0.2
     */
    InputStream stdout();

    /**
     * The command's stderr as bytes, when it was started with {@link OutputSink#stream()} for
     * stderr; otherwise an {@link IllegalStateException}.
     *
     * @since 0.2
     */
    InputStream stderr();

    /**
     * Whether the command still runs; never blocks.
     *
     * @since 0.2
     */
    boolean isRunning();

    /**
     * The command's exit status once it has ended, empty while it runs; never blocks. A command
     * ended by a signal has the shell's status for it: 128 plus the signal's number (137 after
     * {@link #kill()}).
     *
     * @since 0.2
     */
    OptionalInt exitStatus();

    /**
     * Waits up to {@code timeout} for the command to end and for the output sent to its {@link
     * OutputSink#lines lines} and {@link OutputSink#collect collect} sinks to be delivered. Returns
     * the result (collected output in it, the empty string for the other sinks), or empty when the
     * command still runs at the timeout; the command is left running then.
     *
     * @throws org.igvm.api.CancelledException when the waiting thread is interrupted: the command
     *     is killed first and the interrupt flag is set again
     * @throws org.igvm.api.UnreachableException when the connection to the host dropped
     * @since 0.2
     */
    Optional<CommandResult> waitFor(Duration timeout);

    /**
     * Kills the command with {@code SIGKILL}, with every process it started (its process group),
     * and returns once the command has ended. Does nothing when it has ended already.
     *
     * @since 0.2
     */
    void kill();

    /**
     * Kills the command if it still runs and releases its streams and channel.
     *
     * @since 0.2
     */
    @Override
    void close();
}
