package org.igvm.adapters.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestLibvirtConfig {
    @Test
    void defaultTemplateWithoutSshUser() {
        assertThat(LibvirtConfig.defaults().uriFor("hv01.example.net")).isEqualTo("qemu+ssh://hv01.example.net/system");
    }

    @Test
    void sshUserGoesBeforeTheHostname() {
        LibvirtConfig config = new LibvirtConfig(null, "igvm", Map.of());

        assertThat(config.uriFor("hv01.example.net")).isEqualTo("qemu+ssh://igvm@hv01.example.net/system");
    }

    @Test
    void perHypervisorOverrideWins() {
        LibvirtConfig config = new LibvirtConfig(
                "qemu+tls://{hostname}/system", "igvm", Map.of("hv02.example.net", "test:///default"));

        assertThat(config.uriFor("hv01.example.net")).isEqualTo("qemu+tls://hv01.example.net/system");
        assertThat(config.uriFor("hv02.example.net")).isEqualTo("test:///default");
    }
}
