package org.igvm.adapters.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import org.igvm.domain.shell.StartedCommand;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.ShellCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command started on an SSH exec channel. sshd makes the channel's shell lead a new session,
 * so its PID (reported first on stderr by {@link SshShell}'s wrapper) is the process group of
 * every process the command starts; a kill signals that group from another channel, which ends a
 * whole pipeline on the host where closing the channel would leave it running.
 */
final class SshRunningCommand extends StartedCommand {
    private static final Logger log = LoggerFactory.getLogger(SshRunningCommand.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final SshShell shell;
    private final SshConnection connection;
    private final Session session;
    private final Session.Command channel;
    private final long processGroup;
    private final CountDownLatch ended = new CountDownLatch(1);

    SshRunningCommand(
            SshShell shell,
            ShellCommand command,
            SshConnection connection,
            SshConnection.Started started,
            long processGroup,
            InputStream stderr,
            OutputSink stdoutSink,
            OutputSink stderrSink) {
        super(
                shell.host(),
                command,
                started.command().getOutputStream(),
                started.command().getInputStream(),
                stdoutSink,
                stderr,
                stderrSink);
        this.shell = shell;
        this.connection = connection;
        this.session = started.session();
        this.channel = started.command();
        this.processGroup = processGroup;
        Thread watcher = new Thread(this::watch, "ssh-exit-" + shell.host());
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Waits on its own thread for the channel to close, so that waiting callers can be interrupted. */
    private void watch() {
        try {
            while (channel.isOpen() && connection.isAlive()) {
                try {
                    channel.join(1, TimeUnit.SECONDS);
                } catch (IOException e) {
                    // join's timeout, or the connection going down: the loop condition tells
                }
            }
        } finally {
            ended.countDown();
        }
    }

    @Override
    protected boolean awaitExit(long nanos) throws InterruptedException {
        if (!ended.await(nanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        if (exitStatusNow().isEmpty()) {
            throw shell.dropped(command(), new ConnectionDroppedException("the channel closed without an exit", null));
        }
        return true;
    }

    @Override
    protected OptionalInt exitStatusNow() {
        Integer status = channel.getExitStatus();
        if (status != null) {
            return OptionalInt.of(status);
        }
        Signal signal = channel.getExitSignal();
        if (signal != null) {
            return OptionalInt.of(128 + SshConnection.signalNumber(signal));
        }
        return OptionalInt.empty(); // running, or unknown after a drop
    }

    @Override
    protected void killProcess() {
        if (processGroup > 0) {
            shell.killProcessGroup(processGroup);
        } else {
            try {
                channel.signal(Signal.KILL);
            } catch (IOException e) {
                log.debug("could not signal the command on {}: {}", host(), e.getMessage());
            }
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (ended.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                ended.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true; // finish the kill first; the caller learns of it by the flag
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (ended.getCount() > 0) {
            log.warn(
                    "the command on {} did not end within {} s of its kill: {}",
                    host(),
                    KILL_WAIT.toSeconds(),
                    command());
        }
    }

    @Override
    protected void release() {
        try {
            session.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing a session on {}: {}", host(), e.getMessage());
        }
        shell.released(this, connection);
    }
}
