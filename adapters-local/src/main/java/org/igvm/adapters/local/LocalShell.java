package org.igvm.adapters.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A {@link HostShell} on this machine: commands run as {@code /bin/sh -c} through Commons Exec. */
public final class LocalShell implements HostShell {
    private static final Logger log = LoggerFactory.getLogger(LocalShell.class);

    private final Duration defaultTimeout;

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
        CommandLine line = new CommandLine("/bin/sh").addArgument("-c").addArgument(command.text(), false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(timeout).get();
        DefaultExecutor executor = DefaultExecutor.builder().get();
        executor.setStreamHandler(new PumpStreamHandler(out, err));
        executor.setWatchdog(watchdog);
        executor.setExitValues(null); // every exit status is a result, not an exception
        log.debug("localhost$ {}", command);
        int status;
        try {
            status = executor.execute(line);
        } catch (ExecuteException e) {
            status = e.getExitValue();
        } catch (IOException e) {
            throw new OperationFailedException("could not run a command on this machine: " + e.getMessage(), e);
        }
        if (watchdog.killedProcess()) {
            throw new OperationFailedException(
                    "command on localhost timed out after " + timeout.toMillis() + " ms and was killed: " + command);
        }
        return new CommandResult(
                host(),
                command.text(),
                status,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
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

    @Override
    public void close() {}

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
