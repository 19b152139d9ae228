package org.igvm.adapters.local;

import java.time.Duration;
import java.util.Set;
import org.igvm.api.UnreachableException;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.HostShellPort;

/**
 * Opens shells on this machine only. Other hosts need the SSH adapter; asking this port for one is
 * an error that says so rather than running the command here.
 */
public final class LocalShellPort implements HostShellPort {
    private static final Set<String> LOCAL_NAMES = Set.of("localhost", "127.0.0.1", "::1");

    private final Duration commandTimeout;

    public LocalShellPort(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    @Override
    public HostShell open(String host) {
        if (!LOCAL_NAMES.contains(host)) {
            throw new UnreachableException("cannot reach " + host + ": the local shell only runs commands on this "
                    + "machine; configure the SSH adapter for remote hosts");
        }
        return new LocalShell(commandTimeout);
    }
}
