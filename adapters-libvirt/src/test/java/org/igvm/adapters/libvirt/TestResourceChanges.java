package org.igvm.adapters.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.igvm.adapters.libvirt.TestDriverFleet.HV01;

import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The port's resource changes: vCPUs on the test driver; the memory module's XML; and that the
 * calls the test driver lacks fail as one libvirt error naming the hypervisor and the action
 * (the lab's TestLabResize runs them on a real libvirtd).
 */
class TestResourceChanges {
    private static final String WEB01 = "4242_web01.example.net";

    private final LibvirtHypervisor hypervisor = new LibvirtHypervisor(TestDriverFleet.config());

    @AfterEach
    void closeConnections() {
        hypervisor.close();
    }

    @Test
    void setVcpusChangesTheRunningDomainAndItsDefinition() {
        hypervisor.setVcpus(HV01, WEB01, 1);

        assertThat(hypervisor.findDomain(HV01, 4242).orElseThrow().vcpus()).isEqualTo(1);
        assertThat(hypervisor.definitionXml(HV01, WEB01)).contains("current='1'");
    }

    @Test
    void aMemoryModuleIsADimmOfItsSizeInItsGuestCell() {
        assertThat(LibvirtHypervisor.dimmXml(1, 512))
                .isEqualToIgnoringWhitespace("<memory model=\"dimm\"><target><size unit=\"MiB\">512</size>"
                        + "<node>1</node></target></memory>");
    }

    @Test
    void callsTheDriverLacksAreOneLibvirtErrorEach() {
        assertThat(catchThrowable(() -> hypervisor.attachMemory(HV01, WEB01, 0, 1024)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("libvirt on " + HV01
                        + " could not hot-plug 1024 MiB into NUMA cell 0 of domain " + WEB01 + ": ");
        assertThat(catchThrowable(() -> hypervisor.resizeVolume(HV01, "xen-data", WEB01, 20 * VolumeInfo.GIB)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("libvirt on " + HV01 + " could not resize volume " + WEB01);
        assertThat(catchThrowable(() -> hypervisor.resizeDisk(HV01, WEB01, "vda", 20 * VolumeInfo.GIB)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("libvirt on " + HV01 + " could not resize disk vda of domain " + WEB01);
        assertThat(hypervisor.findVolume(HV01, "xen-data", 4242).orElseThrow().capacityGiB())
                .isEqualTo(10);
    }
}
