package org.igvm.adapters.local;

import java.io.IOException;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.ProcessDestroyer;
import org.igvm.domain.shell.StartedCommand;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.ShellCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command started on this machine as {@code setsid /bin/sh -c …}: it leads its own process group,
 * so a kill reaches every process of a pipeline ({@code nc -l … | dd …}), even one whose parent has
 * exited already.
 */
final class LocalRunningCommand extends StartedCommand {
    private static final Logger log = LoggerFactory.getLogger(LocalRunningCommand.class);
    private static final long KILL_WAIT_SECONDS = 10;

    private final Process process;
    private final ProcessDestroyer destroyer;
    private final Runnable onRelease;

    LocalRunningCommand(
            ShellCommand command,
            Process process,
            OutputSink stdout,
            OutputSink stderr,
            ProcessDestroyer destroyer,
            Runnable onRelease) {
        super(
                "localhost",
                command,
                process.getOutputStream(),
                process.getInputStream(),
                stdout,
                process.getErrorStream(),
                stderr);
        this.process = process;
        this.destroyer = destroyer;
        this.onRelease = onRelease;
    }

    /** The PID of the command's shell, which is also its process group's ID. */
    long pid() {
        return process.pid();
    }

    @Override
    protected boolean awaitExit(long nanos) throws InterruptedException {
        return process.waitFor(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    protected OptionalInt exitStatusNow() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    @Override
    protected void killProcess() {
        // The group first (a pipeline's every process), then whatever descends from the shell.
        try {
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -9 -" + process.pid() + " 2>/dev/null")
                    .redirectErrorStream(true)
                    .start();
            kill.getInputStream().readAllBytes();
            kill.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (IOException e) {
            log.debug("could not signal the process group {}: {}", process.pid(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(KILL_WAIT_SECONDS);
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true; // finish the kill first; the caller learns of it by the flag
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void release() {
        // Commons Exec joins a thread when its last process goes, swallowing an interruption: keep it.
        boolean interrupted = Thread.interrupted();
        try {
            destroyer.remove(process);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(process.getOutputStream());
        onRelease.run();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // the process is gone; nothing to release
        }
    }
}
