package org.igvm.adapters.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.igvm.api.UnreachableException;
import org.igvm.domain.shell.HostShellContract;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;
import org.junit.jupiter.api.Test;

class TestLocalShell extends HostShellContract {
    private final LocalShellPort port = new LocalShellPort(Duration.ofSeconds(30));

    @Override
    protected HostShell shell() {
        return port.open("localhost");
    }

    @Test
    void remoteHostsAreRefusedInsteadOfRunningHere() {
        assertThatThrownBy(() -> port.open("hv01.example.net"))
                .isInstanceOf(UnreachableException.class)
                .hasMessageContaining("hv01.example.net");
    }

    @Test
    void modeBitsMapToPermissions() {
        assertThat(LocalShell.permissions(0640)).hasSize(3);
        assertThat(shell().check(ShellCommand.of("id", "-u"))).matches("\\d+\\n");
    }
}
