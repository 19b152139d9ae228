package org.igvm.adapters.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;
import org.igvm.api.OperationFailedException;
import org.igvm.api.UnreachableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One authenticated SSH connection to a host, on which several commands may run at once. */
final class SshConnection implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SshConnection.class);
    private static final int KEEPALIVE_SECONDS = 15;
    private static final int LOGGED_LINE_LIMIT = 2000;

    private final SshTarget target;
    private final SSHClient client;
    private final AtomicInteger sessions = new AtomicInteger();

    private SshConnection(SshTarget target, SSHClient client) {
        this.target = target;
        this.client = client;
    }

    /** Connects and logs in; every failure is one {@link UnreachableException} naming host and cause. */
    static SshConnection open(SshTarget target, SshConfig config, Optional<SshAgent> agent) {
        return open(
                target,
                config,
                agent,
                new KnownHostsVerifier(
                        config.knownHostsFiles(), config.hostKeyChecking(), config.knownHostsToRecordIn()));
    }

    /** Connects and logs in, the host key checked by {@code verifier}. */
    static SshConnection open(
            SshTarget target, SshConfig config, Optional<SshAgent> agent, RefusingHostKeyVerifier verifier) {
        SSHClient client = new SSHClient(new DefaultConfig());
        client.addHostKeyVerifier(verifier);
        client.setConnectTimeout((int) config.connectTimeout().toMillis());
        client.setTimeout((int) config.connectTimeout().toMillis()); // until logged in: a silent port fails fast
        client.getConnection().getKeepAlive().setKeepAliveInterval(KEEPALIVE_SECONDS);
        try {
            client.connect(target.address(), target.port());
        } catch (TransportException e) {
            closeQuietly(client);
            String why = verifier.refusal() != null
                    ? verifier.refusal()
                    : causedBy(e, SocketTimeoutException.class)
                            ? "no SSH answer on port " + target.port() + " within "
                                    + config.connectTimeout().toSeconds() + " s"
                            : "SSH handshake failed: " + e.getMessage();
            throw unreachable(target, why, e);
        } catch (UnknownHostException e) {
            closeQuietly(client);
            throw unreachable(target, "unknown host name " + target.address(), e);
        } catch (ConnectException e) {
            closeQuietly(client);
            throw unreachable(target, "connection refused on port " + target.port(), e);
        } catch (SocketTimeoutException e) {
            closeQuietly(client);
            throw unreachable(
                    target,
                    "no answer on port " + target.port() + " within "
                            + config.connectTimeout().toSeconds() + " s",
                    e);
        } catch (NoRouteToHostException e) {
            closeQuietly(client);
            throw unreachable(target, "no route to host", e);
        } catch (IOException e) {
            closeQuietly(client);
            throw unreachable(target, e.getMessage(), e);
        }
        List<AuthMethod> methods = new ArrayList<>();
        List<String> offered = new ArrayList<>();
        agent.ifPresent(a -> {
            try {
                for (SshAgent.Identity identity : a.identities()) {
                    methods.add(new AuthAgentKey(a, identity));
                    offered.add("agent:" + identity.comment());
                }
            } catch (IOException e) {
                log.debug("not using ssh-agent: {}", e.getMessage());
            }
        });
        for (Path file : target.identityFiles()) {
            try {
                KeyProvider key = client.loadKeys(file.toString());
                key.getPublic(); // an encrypted key fails here; igvm asks for no passphrase
                methods.add(new AuthPublickey(key));
                offered.add(file.toString());
            } catch (IOException | RuntimeException e) {
                log.debug("not offering key {}: {}", file, e.getClass().getSimpleName());
            }
        }
        try {
            client.auth(target.user(), methods);
        } catch (UserAuthException e) {
            closeQuietly(client);
            throw unreachable(
                    target,
                    "login as " + target.user() + " refused (keys offered: "
                            + (offered.isEmpty() ? "none" : String.join(", ", offered)) + ")",
                    e);
        } catch (TransportException e) {
            closeQuietly(client);
            throw unreachable(target, "connection lost while logging in: " + e.getMessage(), e);
        }
        try {
            client.getSocket().setSoTimeout(0); // commands may be silent for long; keepalives watch the link
        } catch (IOException e) {
            closeQuietly(client);
            throw unreachable(target, e.getMessage(), e);
        }
        log.debug("connected to {}", target.describe());
        return new SshConnection(target, client);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static UnreachableException unreachable(SshTarget target, String why, Throwable cause) {
        return new UnreachableException(
                "cannot reach " + target.host() + " over SSH (" + target.describe() + "): " + why, cause);
    }

    boolean isAlive() {
        return client.isConnected() && client.getTransport().isRunning();
    }

    AtomicInteger sessions() {
        return sessions;
    }

    /** What a command run on this connection produced. */
    record Output(int exitStatus, byte[] stdout, byte[] stderr) {}

    /**
     * Runs the command line, feeding {@code stdin} (may be null). A timeout kills the command and
     * is an {@link OperationFailedException}; a lost connection is a {@link
     * ConnectionDroppedException}.
     */
    Output execute(String commandLine, byte[] stdin, Duration timeout) {
        Session session;
        try {
            session = client.startSession();
        } catch (IOException e) {
            throw failure("could not start a session", e);
        }
        try (session) {
            Session.Command command = session.exec(commandLine);
            Pump out = new Pump(command.getInputStream(), "out");
            Pump err = new Pump(command.getErrorStream(), "err");
            out.start();
            err.start();
            if (stdin != null) {
                command.getOutputStream().write(stdin);
                command.getOutputStream().flush();
            }
            command.getOutputStream().close();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (command.isOpen()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    kill(command);
                    throw new OperationFailedException("command on " + target.host() + " timed out after "
                            + timeout.toMillis() + " ms and was killed: " + commandLine);
                }
                try {
                    command.join(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                } catch (IOException e) {
                    if (!isAlive()) {
                        throw new ConnectionDroppedException(e.getMessage(), e);
                    }
                    // join's own timeout: keep waiting until ours
                }
            }
            out.await(deadline);
            err.await(deadline);
            if (out.failure != null && !isAlive()) {
                throw new ConnectionDroppedException(out.failure.getMessage(), out.failure);
            }
            Integer status = command.getExitStatus();
            if (status == null) {
                if (command.getExitSignal() == null) {
                    // sshd always reports how a command ended; a channel closed without either is a
                    // connection going down (the transport may not have noticed yet).
                    throw new ConnectionDroppedException("the channel closed before the command ended", null);
                }
                status = 128 + signalNumber(command.getExitSignal());
            }
            return new Output(status, out.bytes(), err.bytes());
        } catch (IOException e) {
            throw failure("the command failed", e);
        }
    }

    /** A command started on a session of this connection, still running. */
    record Started(Session session, Session.Command command) {}

    /**
     * Starts the command line on a new session and returns at once; a lost connection is a {@link
     * ConnectionDroppedException}.
     */
    Started start(String commandLine) {
        Session session;
        try {
            session = client.startSession();
        } catch (IOException e) {
            throw failure("could not start a session", e);
        }
        try {
            return new Started(session, session.exec(commandLine));
        } catch (IOException e) {
            try {
                session.close();
            } catch (IOException closing) {
                log.debug("closing a session on {}: {}", target.host(), closing.getMessage());
            }
            throw failure("could not start a command", e);
        }
    }

    static int signalNumber(Signal signal) {
        return switch (signal) {
            case HUP -> 1;
            case INT -> 2;
            case QUIT -> 3;
            case ABRT -> 6;
            case KILL -> 9;
            case SEGV -> 11;
            case PIPE -> 13;
            case ALRM -> 14;
            case TERM -> 15;
            default -> 127;
        };
    }

    private RuntimeException failure(String what, IOException e) {
        if (!isAlive()) {
            return new ConnectionDroppedException(e.getMessage(), e);
        }
        return new OperationFailedException(what + " on " + target.host() + ": " + e.getMessage(), e);
    }

    /** Runs the SFTP work; a lost connection is a {@link ConnectionDroppedException}. */
    <T> T sftp(String what, SftpWork<T> work) {
        try (SFTPClient sftp = client.newSFTPClient()) {
            return work.run(sftp);
        } catch (IOException e) {
            if (!isAlive()) {
                throw new ConnectionDroppedException(e.getMessage(), e);
            }
            throw new OperationFailedException("could not " + what + " on " + target.host() + ": " + e.getMessage(), e);
        }
    }

    interface SftpWork<T> {
        T run(SFTPClient sftp) throws IOException;
    }

    private void kill(Session.Command command) {
        try {
            command.signal(Signal.KILL);
        } catch (IOException e) {
            log.debug("could not signal the command on {}: {}", target.host(), e.getMessage());
        }
    }

    @Override
    public void close() {
        closeQuietly(client);
    }

    private static void closeQuietly(SSHClient client) {
        try {
            client.disconnect();
        } catch (IOException | RuntimeException e) {
            log.debug("closing an SSH connection: {}", e.getMessage());
        }
    }

    /** Reads one output stream to its end, logging its lines at debug level as they arrive. */
    private final class Pump extends Thread {
        private final InputStream in;
        private final String stream;
        private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private volatile IOException failure;

        Pump(InputStream in, String stream) {
            super("ssh-" + stream + "-" + target.host());
            setDaemon(true);
            this.in = in;
            this.stream = stream;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[32 * 1024];
            boolean logging = log.isDebugEnabled();
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (collected) {
                        collected.write(buffer, 0, n);
                    }
                    if (logging) {
                        logLines(buffer, n);
                    }
                }
                if (logging && line.size() > 0) {
                    flushLine();
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        private void logLines(byte[] buffer, int n) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    flushLine();
                } else if (line.size() < LOGGED_LINE_LIMIT) {
                    line.write(buffer[i]);
                }
            }
        }

        private void flushLine() {
            log.debug("{} {}| {}", target.host(), stream, line.toString(StandardCharsets.UTF_8));
            line.reset();
        }

        void await(long deadlineNanos) {
            try {
                join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())) + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationFailedException("interrupted while reading output from " + target.host(), e);
            }
        }

        byte[] bytes() {
            synchronized (collected) {
                return collected.toByteArray();
            }
        }
    }
}
