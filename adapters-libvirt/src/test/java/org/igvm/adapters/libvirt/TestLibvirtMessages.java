package org.igvm.adapters.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestLibvirtMessages {
    @Test
    void aDeadSshTunnelIsReportedWithSshsOwnCauseNotTheResetAfterIt() {
        assertThat(LibvirtMessages.reason("Cannot recv data: ssh: Could not resolve hostname hv01.example.net:"
                        + " Name or service not known: Connection reset by peer"))
                .isEqualTo("ssh: Could not resolve hostname hv01.example.net: Name or service not known");
        assertThat(LibvirtMessages.reason("End of file while reading data: ssh: connect to host 10.0.0.1 port 22:"
                        + " Connection refused: Input/output error"))
                .isEqualTo("ssh: connect to host 10.0.0.1 port 22: Connection refused");
    }

    @Test
    void otherMessagesStayAndBecomeOneLine() {
        assertThat(LibvirtMessages.reason("Domain not found: no domain with matching name 'x'"))
                .isEqualTo("Domain not found: no domain with matching name 'x'");
        assertThat(LibvirtMessages.reason("Cannot recv data: Connection reset by peer"))
                .isEqualTo("Cannot recv data: Connection reset by peer");
        assertThat(LibvirtMessages.reason(
                        "Cannot recv data: Host key verification failed.\r\n: Connection reset by peer"))
                .isEqualTo("Host key verification failed.");
        assertThat(LibvirtMessages.reason(" ")).isEqualTo("unknown libvirt error");
        assertThat(LibvirtMessages.reason((String) null)).isEqualTo("unknown libvirt error");
    }
}
