package org.igvm.adapters.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.HostShellPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens shells on hosts over SSH. Keeps the connections to each host for as long as it lives, so
 * all commands of an operation share them; closing the port closes every connection.
 */
public final class SshShellPort implements HostShellPort, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SshShellPort.class);

    private final SshConfig config;
    private final Map<String, HostConnections> hosts = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private final Optional<SshAgent> agent;

    /** Uses the ssh-agent named by {@code $SSH_AUTH_SOCK}, if any. */
    public SshShellPort(SshConfig config) {
        this(
                config,
                Optional.ofNullable(System.getenv("SSH_AUTH_SOCK"))
                        .filter(s -> !s.isEmpty())
                        .map(Path::of));
    }

    /** Uses the ssh-agent listening on {@code agentSocket}, if given. */
    public SshShellPort(SshConfig config, Optional<Path> agentSocket) {
        this.config = config;
        this.agent = agentSocket.map(SshAgent::new);
    }

    /**
     * A shell on the host. Connects at once, so an unreachable host, a refused login or a host key
     * that does not verify fails here, before the caller changes anything.
     */
    @Override
    public HostShell open(String host) {
        if (closed) {
            throw new IllegalStateException("the SSH shell port is closed");
        }
        HostConnections connections = hosts.computeIfAbsent(
                host, h -> new HostConnections(SshTarget.resolve(h, config, clientConfig()), config, agent));
        SshConnection c = connections.acquire();
        connections.release(c);
        return new SshShell(connections, config.commandTimeout(), config.sudo());
    }

    /**
     * A shell on the host whose host key must be one of {@code expectedHostKeys}, known_hosts not
     * consulted: its connections are its own and close with it. Connects at once, so a host that
     * does not answer yet, or answers with another key, fails here.
     */
    @Override
    public HostShell open(String host, List<String> expectedHostKeys) {
        if (closed) {
            throw new IllegalStateException("the SSH shell port is closed");
        }
        PinnedHostKeysVerifier check = new PinnedHostKeysVerifier(expectedHostKeys);
        HostConnections connections =
                new HostConnections(SshTarget.resolve(host, config, clientConfig()), config, agent, () -> check);
        try {
            SshConnection c = connections.acquire();
            connections.release(c);
        } catch (RuntimeException e) {
            connections.close();
            throw e;
        }
        return new SshShell(connections, config.commandTimeout(), config.sudo(), true);
    }

    private SshClientConfigFile clientConfig() {
        return SshClientConfigFile.read(config.clientConfig());
    }

    /** Connections opened to the host so far, reconnects included (for tests and diagnostics). */
    public int connectionsOpened(String host) {
        HostConnections c = hosts.get(host);
        return c == null ? 0 : c.opened();
    }

    @Override
    public void close() {
        closed = true;
        hosts.values().forEach(HostConnections::close);
        if (!hosts.isEmpty()) {
            log.debug("closed the SSH connections to {}", hosts.keySet());
        }
        hosts.clear();
    }
}
