package org.igvm.e2e;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.RunningCommand;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * A real shell that fails the n-th command of a test (counted over all shells sharing the
 * counter) instead of running it, as a dropped connection or a failing tool would: the fault
 * injection of the shell port.
 */
final class FaultyShell implements HostShell {
    private final HostShell real;
    private final AtomicInteger counter;
    private final int failAt;

    FaultyShell(HostShell real, AtomicInteger counter, int failAt) {
        this.real = real;
        this.counter = counter;
        this.failAt = failAt;
    }

    @Override
    public String host() {
        return real.host();
    }

    @Override
    public CommandResult run(ShellCommand command) {
        return counter.incrementAndGet() == failAt ? injected(command) : real.run(command);
    }

    @Override
    public CommandResult run(ShellCommand command, Duration timeout) {
        return counter.incrementAndGet() == failAt ? injected(command) : real.run(command, timeout);
    }

    @Override
    public void put(byte[] content, String path, int mode) {
        if (counter.incrementAndGet() == failAt) {
            throw new OperationFailedException("injected fault writing " + path + " on " + host());
        }
        real.put(content, path, mode);
    }

    @Override
    public byte[] get(String path) {
        return real.get(path);
    }

    @Override
    public RunningCommand start(ShellCommand command, OutputSink stdout, OutputSink stderr) {
        return real.start(command, stdout, stderr);
    }

    @Override
    public void close() {
        // the real shell belongs to the test
    }

    private CommandResult injected(ShellCommand command) {
        return new CommandResult(host(), command.text(), 1, "", "injected fault at command " + failAt + "\n");
    }
}
