package org.igvm.domain.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestGuestRootFiles {
    @Test
    void theNetworkConfigurationIsWhatTheLabImageReads() {
        GuestRootFiles files = new GuestRootFiles("vm4.lab", "10.201.0.14", 24, "10.201.0.254");

        assertThat(files.interfaces())
                .isEqualTo(
                        """
                        auto lo
                        iface lo inet loopback

                        auto eth0
                        iface eth0 inet static
                            address 10.201.0.14/24
                            gateway 10.201.0.254
                        """);
        assertThat(files.hosts()).isEqualTo("127.0.0.1 localhost\n10.201.0.14 vm4.lab vm4\n");
        assertThat(files.fstab()).isEqualTo("/dev/vda / xfs defaults 0 1\n");
        assertThat(files.files().keySet())
                .containsExactly(
                        "/etc/hostname", "/etc/mailname", "/etc/hosts", "/etc/fstab", "/etc/network/interfaces");
    }

    @Test
    void theNameFilesAreWhatARenameWritesAgainWithTheAddressLine() {
        var names = new GuestRootFiles("vm7.lab", "10.201.0.15", 24, null).nameFiles();

        assertThat(names.keySet()).containsExactly("/etc/hostname", "/etc/mailname", "/etc/hosts");
        assertThat(new String(names.get("/etc/hostname"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("vm7.lab\n");
        assertThat(new String(names.get("/etc/hosts"), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("127.0.0.1 localhost\n10.201.0.15 vm7.lab vm7\n");
    }

    @Test
    void anIpv6AddressWithoutGatewayIsInet6WithoutAGatewayLine() {
        assertThat(new GuestRootFiles("v6.example.net", "2001:db8::5", 64, null).interfaces())
                .endsWith("iface eth0 inet6 static\n    address 2001:db8::5/64\n");
    }
}
