package org.igvm.domain.spi.shell;

import java.time.Duration;

/**
 * A shell on one host (the local machine, a hypervisor, a VM). Reaching the host fails with {@link
 * org.igvm.api.UnreachableException}; a command's non-zero exit is a result, not an exception.
 *
 * <p>Interruption is cancellation: when the thread blocked in {@link #run} is interrupted, the
 * command is killed (with the processes it started) and the call throws {@link
 * org.igvm.api.CancelledException} naming the command and the host, with the thread's interrupt
 * flag set again. A thread that is interrupted already is refused before anything runs.
 *
 * <p>When the connection to the host drops while a command runs, the command is run again on a new
 * connection only when it is {@link ShellCommand#idempotent() marked idempotent}; any other command
 * fails with an {@link org.igvm.api.UnreachableException} saying that the connection dropped
 * during the command and that its effect is unknown, so that the operation rolls back.
 */
public interface HostShell extends AutoCloseable {
    /** The host this shell runs on. */
    String host();

    /** Runs the command with the shell's default timeout. */
    CommandResult run(ShellCommand command);

    /**
     * Runs the command; past the timeout it is killed and an {@link
     * org.igvm.api.OperationFailedException} names the command and the timeout.
     */
    CommandResult run(ShellCommand command, Duration timeout);

    /** Writes the file atomically (temporary name, then rename) with the given mode. */
    void put(byte[] content, String path, int mode);

    /** Reads the whole file. */
    byte[] get(String path);

    /**
     * Starts the command and returns at once with a handle to it, while the command runs; its
     * stdout and stderr go where the sinks say. The command runs without the shell's default
     * timeout: the caller waits, kills or closes it. A command started here is never run again
     * after a dropped connection, whatever its marking.
     *
     * @throws org.igvm.api.CancelledException when the calling thread is interrupted
     * @throws UnsupportedOperationException when this shell cannot start background commands
     * @since 0.2
     */
    default RunningCommand start(ShellCommand command, OutputSink stdout, OutputSink stderr) {
        throw new UnsupportedOperationException(
                getClass().getName() + " cannot start background commands on " + host());
    }

    /**
     * Starts the command with its stdout as a byte stream and its stderr collected: {@code
     * start(command, OutputSink.stream(), OutputSink.collect())}.
     *
     * @since 0.2
     */
    default RunningCommand start(ShellCommand command) {
        return start(command, OutputSink.stream(), OutputSink.collect());
    }

    /** Runs the command and returns its stdout, failing with its stderr when it exits non-zero. */
    default String check(ShellCommand command) {
        CommandResult r = run(command);
        if (!r.succeeded()) {
            throw new org.igvm.api.OperationFailedException("command on " + host() + " failed with exit "
                    + r.exitStatus() + ": " + command + ": " + r.stderr().strip());
        }
        return r.stdout();
    }

    /**
     * Ends this shell: kills the commands it {@link #start started} that still run, and releases
     * what the shell holds (the SSH shell's share of the port's pooled connections, which stay
     * open for other shells until the port is closed). Every call after close fails with an
     * {@link IllegalStateException}; closing twice does nothing.
     */
    @Override
    void close();
}
