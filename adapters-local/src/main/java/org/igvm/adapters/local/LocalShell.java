package org.igvm.adapters.local;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;
import org.igvm.api.CancelledException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.RunningCommand;
import org.igvm.domain.spi.shell.ShellCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link HostShell} on this machine: commands run as {@code setsid /bin/sh -c}, each leading its
 * own process group so that a timeout, a kill or a cancellation ends all of its processes.
 */
public final class LocalShell implements HostShell {
    private static final Logger log = LoggerFactory.getLogger(LocalShell.class);

    /** Kills (SIGTERM) the local commands still running when the JVM exits. */
    private static final ShutdownHookProcessDestroyer DESTROYER = new ShutdownHookProcessDestroyer();

    private final Duration defaultTimeout;
    private final Set<RunningCommand> started = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public LocalShell(Duration defaultTimeout) {
        this.defaultTimeout = defaultTimeout;
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public CommandResult run(ShellCommand command) {
        return run(command, defaultTimeout);
    }

    @Override
    public CommandResult run(ShellCommand command, Duration timeout) {
        try (RunningCommand running = start(command, OutputSink.collect(), OutputSink.collect())) {
            try {
                running.stdin().close(); // a command that reads stdin sees its end at once
            } catch (IOException e) {
                log.debug("closing the stdin of '{}': {}", command, e.getMessage());
            }
            return running.waitFor(timeout).orElseThrow(() -> {
                running.kill();
                return new OperationFailedException("command on localhost timed out after " + timeout.toMillis()
                        + " ms and was killed: " + command);
            });
        }
    }

    /**
     * Starts {@code setsid /bin/sh -c COMMAND} through {@link ProcessBuilder}. (Commons Exec's
     * executor closes a process's streams as soon as it ends, losing the stdout a caller has not read
     * yet; its {@link ShutdownHookProcessDestroyer} ends the commands still running when the JVM
     * exits.)
     */
    @Override
    public RunningCommand start(ShellCommand command, OutputSink stdout, OutputSink stderr) {
        if (closed) {
            throw new IllegalStateException("the shell on localhost is closed");
        }
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new CancelledException("cancelled before the command on localhost started: " + command);
        }
        log.debug("localhost$ {}", command);
        Process process;
        try {
            process = new ProcessBuilder("setsid", "/bin/sh", "-c", command.text()).start();
        } catch (IOException e) {
            throw new OperationFailedException("could not run a command on this machine: " + e.getMessage(), e);
        }
        DESTROYER.add(process);
        LocalRunningCommand[] self = new LocalRunningCommand[1];
        LocalRunningCommand running =
                new LocalRunningCommand(command, process, stdout, stderr, DESTROYER, () -> started.remove(self[0]));
        self[0] = running;
        started.add(running);
        if (closed) { // closed while starting: this command must not outlive the shell either
            running.close();
            throw new IllegalStateException("the shell on localhost is closed");
        }
        return running;
    }

    @Override
    public void put(byte[] content, String path, int mode) {
        Path target = Path.of(path);
        Path parent = target.toAbsolutePath().getParent();
        try {
            Path temporary = Files.createTempFile(parent, "." + target.getFileName(), ".igvm-tmp");
            try {
                Files.write(temporary, content);
                Files.setPosixFilePermissions(temporary, permissions(mode));
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new OperationFailedException("could not write " + path + " on localhost: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new OperationFailedException("could not read " + path + " on localhost: " + e.getMessage(), e);
        }
    }

    /** Kills the commands this shell started that still run; the shell holds nothing else. */
    @Override
    public void close() {
        closed = true;
        for (RunningCommand running : List.copyOf(started)) {
            running.close();
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
