package org.igvm.adapters.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The connections to one host. Commands share a connection; a connection carries at most {@link
 * #SESSIONS_PER_CONNECTION} commands at once (OpenSSH's {@code MaxSessions} is 10), beyond that
 * another connection is opened. Dead connections are dropped and replaced on the next command.
 */
final class HostConnections implements AutoCloseable {
    static final int SESSIONS_PER_CONNECTION = 8;

    private final SshTarget target;
    private final SshConfig config;
    private final Optional<SshAgent> agent;
    /** Makes each connection's host key verifier; null for known_hosts. */
    private final java.util.function.Supplier<RefusingHostKeyVerifier> verifiers;

    private final List<SshConnection> connections = new ArrayList<>();
    private int opened;
    private boolean closed;

    HostConnections(SshTarget target, SshConfig config, Optional<SshAgent> agent) {
        this(target, config, agent, null);
    }

    HostConnections(
            SshTarget target,
            SshConfig config,
            Optional<SshAgent> agent,
            java.util.function.Supplier<RefusingHostKeyVerifier> verifiers) {
        this.target = target;
        this.config = config;
        this.agent = agent;
        this.verifiers = verifiers;
    }

    SshTarget target() {
        return target;
    }

    /** A live connection with room for one more command; release it when the command is done. */
    synchronized SshConnection acquire() {
        if (closed) {
            throw new IllegalStateException("the SSH connections to " + target.host() + " are closed");
        }
        connections.removeIf(c -> {
            if (!c.isAlive() && c.sessions().get() == 0) {
                c.close();
                return true;
            }
            return false;
        });
        for (SshConnection c : connections) {
            if (c.isAlive() && c.sessions().get() < SESSIONS_PER_CONNECTION) {
                c.sessions().incrementAndGet();
                return c;
            }
        }
        SshConnection c = verifiers == null
                ? SshConnection.open(target, config, agent)
                : SshConnection.open(target, config, agent, verifiers.get());
        opened++;
        c.sessions().incrementAndGet();
        connections.add(c);
        return c;
    }

    synchronized void release(SshConnection c) {
        c.sessions().decrementAndGet();
    }

    /** Forgets a connection that dropped, so the next command gets a new one. */
    synchronized void discard(SshConnection c) {
        connections.remove(c);
        c.close();
    }

    /** How many connections were opened so far (reconnects included). */
    synchronized int opened() {
        return opened;
    }

    synchronized int open() {
        return (int) connections.stream().filter(SshConnection::isAlive).count();
    }

    @Override
    public synchronized void close() {
        closed = true;
        connections.forEach(SshConnection::close);
        connections.clear();
    }
}
