package org.igvm.bootstrap;

import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.HostShellPort;

/**
 * The host shell port igvm runs with: {@code localhost} is this machine's shell, every other host
 * (127.0.0.1 included, which is how the tests reach a local sshd) is reached over SSH.
 */
final class HostShellRouter implements HostShellPort, AutoCloseable {
    static final String LOCAL_HOST = "localhost";

    private final HostShellPort local;
    private final HostShellPort remote;

    HostShellRouter(HostShellPort local, HostShellPort remote) {
        this.local = local;
        this.remote = remote;
    }

    @Override
    public HostShell open(String host) {
        return LOCAL_HOST.equals(host) ? local.open(host) : remote.open(host);
    }

    @Override
    public HostShell open(String host, java.util.List<String> expectedHostKeys) {
        return LOCAL_HOST.equals(host) ? local.open(host, expectedHostKeys) : remote.open(host, expectedHostKeys);
    }

    @Override
    public void close() {
        if (remote instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not close the SSH connections: " + e.getMessage(), e);
            }
        }
    }
}
