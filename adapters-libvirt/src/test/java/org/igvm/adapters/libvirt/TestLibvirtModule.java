package org.igvm.adapters.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.junit.jupiter.api.Test;

class TestLibvirtModule {
    @Test
    void hypervisorPortIsOneSharedLibvirtHypervisorUsingTheConfig() {
        Injector injector = Guice.createInjector(new LibvirtModule(TestDriverFleet.config()));

        HypervisorPort port = injector.getInstance(HypervisorPort.class);

        assertThat(port).isInstanceOf(LibvirtHypervisor.class);
        assertThat(injector.getInstance(HypervisorPort.class)).isSameAs(port);
        try (LibvirtHypervisor hypervisor = (LibvirtHypervisor) port) {
            assertThat(hypervisor.facts(TestDriverFleet.HV02).cpus()).isEqualTo(16);
        }
    }
}
