package org.igvm.domain.spi.shell;

import java.time.Duration;

/**
 * A shell on one host (the local machine, a hypervisor, a VM). Reaching the host fails with {@link
 * org.igvm.api.UnreachableException}; a command's non-zero exit is a result, not an exception.
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

    /** Runs the command and returns its stdout, failing with its stderr when it exits non-zero. */
    default String check(ShellCommand command) {
        CommandResult r = run(command);
        if (!r.succeeded()) {
            throw new org.igvm.api.OperationFailedException("command on " + host() + " failed with exit "
                    + r.exitStatus() + ": " + command + ": " + r.stderr().strip());
        }
        return r.stdout();
    }

    @Override
    void close();
}
