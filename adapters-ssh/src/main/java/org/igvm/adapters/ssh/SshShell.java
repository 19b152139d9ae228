package org.igvm.adapters.ssh;

import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.function.Function;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import org.igvm.api.OperationFailedException;
import org.igvm.api.UnreachableException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link HostShell} on a remote host over the port's pooled SSH connections. Commands run as the
 * login user, through {@code sudo -n} when that user is not root and sudo is configured. A command
 * whose connection drops is retried on a new connection up to {@link #RETRIES} times; a command
 * that fails is not.
 */
final class SshShell implements HostShell {
    static final int RETRIES = 3;
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(SshShell.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HostConnections connections;
    private final Duration defaultTimeout;
    private final boolean sudo;

    SshShell(HostConnections connections, Duration defaultTimeout, boolean sudo) {
        this.connections = connections;
        this.defaultTimeout = defaultTimeout;
        this.sudo = sudo && !connections.target().loginIsRoot();
    }

    @Override
    public String host() {
        return connections.target().host();
    }

    @Override
    public CommandResult run(ShellCommand command) {
        return run(command, defaultTimeout);
    }

    @Override
    public CommandResult run(ShellCommand command, Duration timeout) {
        log.debug("{}$ {}", host(), command);
        // The host enforces the timeout: coreutils' timeout signals the command's whole process
        // group (an SSH channel close would leave it running). The client waits a little longer.
        ShellCommand limited = ShellCommand.format(
                "timeout -k " + KILL_GRACE.toSeconds() + " " + seconds(timeout) + " /bin/sh -c {}", command.text());
        long started = System.nanoTime();
        SshConnection.Output out =
                exec(privileged(limited), null, timeout.plus(KILL_GRACE).plus(KILL_GRACE));
        boolean expired = Duration.ofNanos(System.nanoTime() - started).compareTo(timeout) >= 0;
        if (expired && (out.exitStatus() == 124 || out.exitStatus() == 137)) {
            throw new OperationFailedException("command on " + host() + " timed out after " + timeout.toMillis()
                    + " ms and was killed: " + command);
        }
        return new CommandResult(
                host(),
                command.text(),
                out.exitStatus(),
                new String(out.stdout(), StandardCharsets.UTF_8),
                new String(out.stderr(), StandardCharsets.UTF_8));
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(Math.max(1, d.toMillis()), 3).toPlainString() + "s";
    }

    private ShellCommand privileged(ShellCommand command) {
        return sudo ? command.withSudo() : command;
    }

    private SshConnection.Output exec(ShellCommand command, byte[] stdin, Duration timeout) {
        return withConnection("run " + command, c -> c.execute(command.text(), stdin, timeout));
    }

    /** Runs the work on a pooled connection, reconnecting and retrying when the connection drops. */
    private <T> T withConnection(String what, Function<SshConnection, T> work) {
        for (int attempt = 0; ; attempt++) {
            SshConnection c = connections.acquire();
            try {
                return work.apply(c);
            } catch (ConnectionDroppedException e) {
                connections.discard(c);
                if (attempt >= RETRIES) {
                    throw new UnreachableException(
                            "lost the SSH connection to " + host() + " " + (RETRIES + 1) + " times; gave up trying to "
                                    + what,
                            e);
                }
                log.warn(
                        "the SSH connection to {} dropped ({}); reconnecting, retry {} of {}",
                        host(),
                        e.getMessage() == null ? "closed" : e.getMessage(),
                        attempt + 1,
                        RETRIES);
            } finally {
                connections.release(c);
            }
        }
    }

    @Override
    public void put(byte[] content, String path, int mode) {
        String name = random();
        String directory = parent(path);
        String temporary = directory + "/." + baseName(path) + "." + name + ".igvm-tmp";
        String octal = Integer.toOctalString(mode & 07777);
        if (!sudo) {
            upload(content, temporary, mode);
            finish(
                    ShellCommand.format("chmod {} {} && mv -f -- {} {}", octal, temporary, temporary, path),
                    temporary,
                    path);
            return;
        }
        // The login user may not write there: stage the file in /tmp, then move it in as root.
        String staged = "/tmp/.igvm-put-" + name;
        upload(content, staged, 0600);
        try {
            finish(
                    ShellCommand.format(
                            "cp -- {} {} && chmod {} {} && mv -f -- {} {}",
                            staged,
                            temporary,
                            octal,
                            temporary,
                            temporary,
                            path),
                    temporary,
                    path);
        } finally {
            exec(ShellCommand.of("rm", "-f", "--", staged), null, defaultTimeout);
        }
    }

    private void finish(ShellCommand move, String temporary, String path) {
        SshConnection.Output out = exec(privileged(move), null, defaultTimeout);
        if (out.exitStatus() != 0) {
            exec(privileged(ShellCommand.of("rm", "-f", "--", temporary)), null, defaultTimeout);
            throw new OperationFailedException("could not write " + path + " on " + host() + ": "
                    + new String(out.stderr(), StandardCharsets.UTF_8).strip());
        }
    }

    private void upload(byte[] content, String remotePath, int mode) {
        withConnection(
                "write " + remotePath,
                c -> c.sftp("write " + remotePath, sftp -> {
                    try (RemoteFile file = sftp.open(
                            remotePath,
                            EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.EXCL),
                            new FileAttributes.Builder()
                                    .withPermissions(mode & 0700)
                                    .build())) {
                        try (OutputStream out = file.new RemoteFileOutputStream(0, 16)) {
                            out.write(content);
                        }
                    }
                    return null;
                }));
    }

    @Override
    public byte[] get(String path) {
        if (sudo) {
            SshConnection.Output out = exec(privileged(ShellCommand.of("cat", "--", path)), null, defaultTimeout);
            if (out.exitStatus() != 0) {
                throw new OperationFailedException("could not read " + path + " on " + host() + ": "
                        + new String(out.stderr(), StandardCharsets.UTF_8).strip());
            }
            return out.stdout();
        }
        return withConnection(
                "read " + path,
                c -> c.sftp("read " + path, sftp -> {
                    try (RemoteFile file = sftp.open(path);
                            InputStream in = file.new RemoteFileInputStream()) {
                        return in.readAllBytes();
                    }
                }));
    }

    /** The connections belong to the port, which closes them; a shell has nothing of its own. */
    @Override
    public void close() {}

    private static String random() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return ".";
        }
        return slash == 0 ? "" : path.substring(0, slash);
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
