package org.igvm.domain.spi.shell;

import java.util.List;

/** Opens shells on hosts; the adapter decides how (locally, over SSH). */
public interface HostShellPort {
    /** A shell on the host, reused by the operation until closed. */
    HostShell open(String host);

    /**
     * A shell on a host whose SSH host key must be one of {@code expectedHostKeys} (OpenSSH public
     * key lines, {@code ssh-ed25519 AAAA… comment}), whatever the known_hosts files say: for a VM
     * igvm has just made the keys of, which no known_hosts holds yet. Any other key is refused
     * with an {@link org.igvm.api.UnreachableException} saying so. The shell's connections are its
     * own: they are not shared with {@link #open(String)}'s.
     *
     * @throws UnsupportedOperationException when the port cannot pin host keys
     * @since 0.4
     */
    default HostShell open(String host, List<String> expectedHostKeys) {
        throw new UnsupportedOperationException(
                getClass().getName() + " cannot open shells with pinned host keys (to " + host + ")");
    }
}
