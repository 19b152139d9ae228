package org.igvm.adapters.ssh;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.schmizz.sshj.sftp.RemoteFile;
import org.igvm.api.CancelledException;
import org.igvm.api.OperationFailedException;
import org.igvm.api.UnreachableException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.RunningCommand;
import org.igvm.domain.spi.shell.ShellCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link HostShell} on a remote host over the port's pooled SSH connections. Commands run as the
 * login user, through {@code sudo -n} when that user is not root and sudo is configured. Each
 * command reports the process group sshd gave it, so that a timeout, a kill or a cancellation ends
 * all of its processes on the host.
 *
 * <p>When the connection drops under a command, only a command {@link ShellCommand#idempotent()
 * marked idempotent} is run again on a new connection (up to {@link #RETRIES} times); any other
 * fails, saying that its effect is unknown. {@link #put} and {@link #get} are idempotent as a whole
 * (a put writes a fresh temporary file and renames it) and are retried.
 */
final class SshShell implements HostShell {
    static final int RETRIES = 3;
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern PROCESS_GROUP = Pattern.compile("igvm-pgid (\\d+)");
    private static final int MARKER_LIMIT = 64;
    private static final Logger log = LoggerFactory.getLogger(SshShell.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HostConnections connections;
    private final Duration defaultTimeout;
    private final boolean sudo;
    private final Set<SshRunningCommand> started = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Closes this shell's own connections at its close (pinned host keys); null for pooled ones. */
    private final HostConnections owned;

    SshShell(HostConnections connections, Duration defaultTimeout, boolean sudo) {
        this(connections, defaultTimeout, sudo, false);
    }

    SshShell(HostConnections connections, Duration defaultTimeout, boolean sudo, boolean ownsConnections) {
        this.owned = ownsConnections ? connections : null;
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
        for (int attempt = 0; ; attempt++) {
            try (RunningCommand running = start(command, OutputSink.collect(), OutputSink.collect())) {
                try {
                    running.stdin().close(); // a command that reads stdin sees its end at once
                } catch (IOException e) {
                    log.debug("closing the stdin of '{}' on {}: {}", command, host(), e.getMessage());
                }
                return running.waitFor(timeout).orElseThrow(() -> {
                    running.kill();
                    return new OperationFailedException("command on " + host() + " timed out after "
                            + timeout.toMillis() + " ms and was killed: " + command);
                });
            } catch (UnreachableException e) {
                if (!(e.getCause() instanceof ConnectionDroppedException) || !command.isIdempotent()) {
                    throw e;
                }
                if (attempt >= RETRIES) {
                    throw new UnreachableException(
                            "lost the SSH connection to " + host() + " " + (RETRIES + 1)
                                    + " times; gave up trying to run " + command,
                            e);
                }
                log.warn(
                        "the SSH connection to {} dropped during an idempotent command; reconnecting, retry {} of {}: {}",
                        host(),
                        attempt + 1,
                        RETRIES,
                        command);
            }
        }
    }

    /**
     * Runs {@code printf 'igvm-pgid %s\n' $$ >&2; exec [sudo -n --] /bin/sh -c COMMAND} and reads
     * the first stderr line before returning, so that the command runs once this returns and its
     * process group is known.
     */
    @Override
    public RunningCommand start(ShellCommand command, OutputSink stdout, OutputSink stderr) {
        ensureOpen();
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new CancelledException("cancelled before the command on " + host() + " started: " + command);
        }
        log.debug("{}$ {}", host(), command);
        String run = sudo ? "exec sudo -n -- /bin/sh -c {}" : "exec /bin/sh -c {}";
        ShellCommand wrapped = ShellCommand.format("printf 'igvm-pgid %s\\n' \"$$\" >&2; " + run, command.text());
        SshConnection c = connections.acquire();
        SshConnection.Started s;
        try {
            s = c.start(wrapped.text());
        } catch (ConnectionDroppedException e) {
            connections.release(c);
            connections.discard(c);
            throw dropped(command, e);
        } catch (RuntimeException e) {
            connections.release(c);
            throw e;
        }
        long group;
        InputStream err;
        try {
            InputStream raw = s.command().getErrorStream();
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            int b;
            while (first.size() < MARKER_LIMIT && (b = raw.read()) >= 0 && b != '\n') {
                first.write(b);
            }
            Matcher m = PROCESS_GROUP.matcher(first.toString(StandardCharsets.UTF_8));
            if (m.matches()) {
                group = Long.parseLong(m.group(1));
                err = raw;
            } else { // the wrapper did not run (e.g. sudo refused): that output is the command's
                group = -1;
                first.write('\n');
                err = new SequenceInputStream(new ByteArrayInputStream(first.toByteArray()), raw);
            }
        } catch (IOException e) {
            closeQuietly(s.session());
            connections.release(c);
            if (e instanceof InterruptedIOException) {
                Thread.currentThread().interrupt();
                throw new CancelledException("cancelled while the command on " + host() + " started: " + command, e);
            }
            if (!c.isAlive()) {
                connections.discard(c);
                throw dropped(command, new ConnectionDroppedException(e.getMessage(), e));
            }
            throw new OperationFailedException("could not start a command on " + host() + ": " + e.getMessage(), e);
        }
        SshRunningCommand running = new SshRunningCommand(this, command, c, s, group, err, stdout, stderr);
        started.add(running);
        if (closed) { // closed while starting: this command must not outlive the shell either
            running.close();
            ensureOpen();
        }
        return running;
    }

    /** The error for a command whose connection dropped under it: run again, it could do harm. */
    UnreachableException dropped(ShellCommand command, ConnectionDroppedException cause) {
        return new UnreachableException(
                "connection to " + host() + " dropped during " + command + "; its effect is unknown", cause);
    }

    /** Kills the process group on the host, over any live connection. */
    void killProcessGroup(long group) {
        ShellCommand kill = privileged(ShellCommand.format("kill -9 -{}", group));
        try {
            SshConnection.Output out = once(c -> c.execute(kill.text(), null, KILL_TIMEOUT));
            if (out.exitStatus() != 0) {
                log.debug(
                        "kill of process group {} on {}: {}",
                        group,
                        host(),
                        new String(out.stderr(), StandardCharsets.UTF_8).strip());
            }
        } catch (RuntimeException e) {
            log.warn("could not kill process group {} on {}: {}", group, host(), e.getMessage());
        }
    }

    /** A started command has been released: its session is closed, its connection share returns. */
    void released(SshRunningCommand running, SshConnection c) {
        started.remove(running);
        connections.release(c);
        if (!c.isAlive()) {
            connections.discard(c);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the shell on " + host() + " is closed");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("closing: {}", e.getMessage());
        }
    }

    private ShellCommand privileged(ShellCommand command) {
        return sudo ? command.withSudo() : command;
    }

    private SshConnection.Output exec(ShellCommand command, byte[] stdin, Duration timeout) {
        return once(c -> c.execute(command.text(), stdin, timeout));
    }

    /** Runs the work on a pooled connection; a drop discards the connection and is rethrown. */
    private <T> T once(Function<SshConnection, T> work) {
        SshConnection c = connections.acquire();
        try {
            return work.apply(c);
        } catch (ConnectionDroppedException e) {
            connections.discard(c);
            throw e;
        } finally {
            connections.release(c);
        }
    }

    /** Runs idempotent work, again on a new connection when the connection drops under it. */
    private <T> T retried(String what, Supplier<T> work) {
        ensureOpen();
        for (int attempt = 0; ; attempt++) {
            try {
                return work.get();
            } catch (ConnectionDroppedException e) {
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
            }
        }
    }

    @Override
    public void put(byte[] content, String path, int mode) {
        retried("write " + path, () -> {
            putOnce(content, path, mode);
            return null;
        });
    }

    private void putOnce(byte[] content, String path, int mode) {
        String name = random();
        String directory = parent(path);
        String temporary = directory + "/." + baseName(path) + "." + name + ".igvm-tmp";
        String octal = Integer.toOctalString(mode & 07777);
        if (!sudo) {
            upload(content, temporary);
            finish(
                    ShellCommand.format("chmod {} {} && mv -f -- {} {}", octal, temporary, temporary, path),
                    temporary,
                    path);
            return;
        }
        // The login user may not write there: stage the file in /tmp, then move it in as root.
        String staged = "/tmp/.igvm-put-" + name;
        upload(content, staged);
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

    /**
     * Writes a new file (never an existing one: noclobber) readable by the login user only, over an
     * exec channel's stdin: one round trip, where an SFTP subsystem costs a channel and its
     * handshake per file (about 0.25 s each in the lab's netcat migrations).
     */
    private void upload(byte[] content, String remotePath) {
        SshConnection.Output out =
                exec(ShellCommand.format("umask 077 && set -C && cat > {}", remotePath), content, defaultTimeout);
        if (out.exitStatus() != 0) {
            throw new OperationFailedException("could not write " + remotePath + " on " + host() + ": "
                    + new String(out.stderr(), StandardCharsets.UTF_8).strip());
        }
    }

    @Override
    public byte[] get(String path) {
        return retried("read " + path, () -> getOnce(path));
    }

    private byte[] getOnce(String path) {
        if (sudo) {
            SshConnection.Output out = exec(privileged(ShellCommand.of("cat", "--", path)), null, defaultTimeout);
            if (out.exitStatus() != 0) {
                throw new OperationFailedException("could not read " + path + " on " + host() + ": "
                        + new String(out.stderr(), StandardCharsets.UTF_8).strip());
            }
            return out.stdout();
        }
        return once(c -> c.sftp("read " + path, sftp -> {
            try (RemoteFile file = sftp.open(path);
                    InputStream in = file.new RemoteFileInputStream()) {
                return in.readAllBytes();
            }
        }));
    }

    /**
     * Kills the commands this shell started that still run and gives their connection shares back.
     * The connections themselves belong to the port, which closes them.
     */
    @Override
    public void close() {
        closed = true;
        for (SshRunningCommand running : List.copyOf(started)) {
            running.close();
        }
        if (owned != null) {
            owned.close();
        }
    }

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
