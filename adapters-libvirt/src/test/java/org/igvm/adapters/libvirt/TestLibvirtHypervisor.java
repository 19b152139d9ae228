package org.igvm.adapters.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.igvm.adapters.libvirt.TestDriverFleet.DEFAULT_NODE;
import static org.igvm.adapters.libvirt.TestDriverFleet.DOWN;
import static org.igvm.adapters.libvirt.TestDriverFleet.DOWN_URI;
import static org.igvm.adapters.libvirt.TestDriverFleet.HV01;
import static org.igvm.adapters.libvirt.TestDriverFleet.HV02;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.igvm.api.OperationFailedException;
import org.igvm.api.UnreachableException;
import org.igvm.domain.hypervisor.CpuFamilies;
import org.igvm.domain.hypervisor.DomainSpecFactory;
import org.igvm.domain.hypervisor.ReferenceFleet;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.HypervisorFacts;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.igvm.domain.spi.hypervisor.NumaNode;
import org.igvm.domain.spi.hypervisor.StoragePoolInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.w3c.dom.Document;

/** {@link LibvirtHypervisor} against libvirt's test driver; effects are read back over libvirt. */
class TestLibvirtHypervisor {
    private static final long GIB = VolumeInfo.GIB;

    private final LibvirtHypervisor hypervisor = new LibvirtHypervisor(TestDriverFleet.config());

    @AfterEach
    void closeConnections() {
        hypervisor.close();
    }

    @Test
    void factsOfANodeFile() {
        HypervisorFacts facts = hypervisor.facts(HV01);

        assertThat(facts.hostname()).isEqualTo(HV01);
        assertThat(facts.cpus()).isEqualTo(16);
        assertThat(facts.memoryMiB()).isEqualTo(8192);
        // A node file never lists NUMA cells in the capabilities; the spec factory then uses one node.
        assertThat(facts.numaNodes()).isEmpty();
        assertThat(facts.libvirtVersion()).isGreaterThanOrEqualTo(1_000_000);
        // The test driver reports no free memory for node files.
        assertThat(facts.freeMemoryMiB()).isZero();
    }

    @Test
    void factsReadNumaNodesFromTheCapabilities() {
        HypervisorFacts facts = hypervisor.facts(DEFAULT_NODE);

        assertThat(facts.cpus()).isEqualTo(16);
        assertThat(facts.numaNodes()).containsExactly(new NumaNode(0, "0-7", 2048), new NumaNode(1, "8-15", 4096));
        assertThat(facts.freeMemoryMiB()).isPositive();
    }

    @Test
    void domainsListsEveryDefinedDomainWithItsState() {
        List<DomainInfo> domains = hypervisor.domains(HV01);

        assertThat(domains)
                .extracting(DomainInfo::name, DomainInfo::state, DomainInfo::vcpus, DomainInfo::memoryMiB)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("4242_web01.example.net", DomainState.RUNNING, 2, 2048L),
                        org.assertj.core.groups.Tuple.tuple("4243_db01.example.net", DomainState.SHUTOFF, 4, 4096L));
    }

    @Test
    void findDomainByObjectId() {
        DomainInfo web01 = hypervisor.findDomain(HV01, 4242).orElseThrow();
        DomainInfo db01 = hypervisor.findDomain(HV01, 4243).orElseThrow();

        assertThat(web01.name()).isEqualTo("4242_web01.example.net");
        assertThat(web01.uuid()).isEqualTo("0b7c1a52-4242-4c6e-9a61-000000004242");
        assertThat(web01.isRunning()).isTrue();
        assertThat(db01.name()).isEqualTo("4243_db01.example.net");
        assertThat(db01.state()).isEqualTo(DomainState.SHUTOFF);
        assertThat(db01.maxVcpus()).isEqualTo(4);
        assertThat(hypervisor.findDomain(HV01, 4244)).isEmpty();
        assertThat(hypervisor.findDomain(HV01, 42)).isEmpty();
    }

    @Test
    void findDomainStillFindsARenamedVm() throws LibvirtException {
        raw(HV02).domainDefineXML(minimalDomain("4242_old.name"));

        Optional<DomainInfo> found = hypervisor.findDomain(HV02, 4242);

        assertThat(found).map(DomainInfo::name).contains("4242_old.name");
        assertThat(hypervisor.findDomain(HV02, 4244)).map(DomainInfo::name).contains("4244_web02.example.net");
    }

    @Test
    void twoDomainsOfOneObjectIsAnErrorNamingBoth() throws LibvirtException {
        raw(HV01).domainDefineXML(minimalDomain("4242_web01.stale"));

        assertThatThrownBy(() -> hypervisor.findDomain(HV01, 4242))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining(HV01)
                .hasMessageContaining("4242_web01.example.net")
                .hasMessageContaining("4242_web01.stale");
    }

    @Test
    void defineStartShutdownDestroyUndefine() throws LibvirtException {
        DomainSpec spec = specFor(4250, "new01.example.net", hypervisor.facts(HV01), HypervisorSettings.defaults());

        hypervisor.define(HV01, spec);
        Domain defined = raw(HV01).domainLookupByName("4250_new01.example.net");
        assertThat(defined.isPersistent()).isEqualTo(1);
        assertThat(defined.isActive()).isZero();

        hypervisor.start(HV01, spec.name());
        assertThat(rawState(HV01, spec.name())).isEqualTo(DomainInfo_RUNNING);
        hypervisor.start(HV01, spec.name());
        assertThat(rawState(HV01, spec.name())).isEqualTo(DomainInfo_RUNNING);

        assertThatThrownBy(() -> hypervisor.undefine(HV01, spec.name()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("still running");
        assertThat(raw(HV01).domainLookupByName(spec.name()).isPersistent()).isEqualTo(1);

        hypervisor.shutdown(HV01, spec.name());
        awaitRawState(HV01, spec.name(), DomainInfo_SHUTOFF);

        hypervisor.start(HV01, spec.name());
        hypervisor.destroy(HV01, spec.name());
        assertThat(rawState(HV01, spec.name())).isEqualTo(DomainInfo_SHUTOFF);
        hypervisor.destroy(HV01, spec.name());
        assertThat(rawState(HV01, spec.name())).isEqualTo(DomainInfo_SHUTOFF);

        hypervisor.undefine(HV01, spec.name());
        assertThatThrownBy(() -> raw(HV01).domainLookupByName(spec.name()))
                .isInstanceOfSatisfying(
                        LibvirtException.class,
                        e -> assertThat(e.getError().getCode()).isEqualTo(ErrorNumber.VIR_ERR_NO_DOMAIN));
    }

    @Test
    void redefiningKeepsTheUuidAndAppliesTheNewSpec() throws LibvirtException {
        HypervisorFacts facts = hypervisor.facts(HV01);
        hypervisor.define(HV01, specFor(4250, "new01.example.net", facts, HypervisorSettings.defaults()));
        String uuid = raw(HV01).domainLookupByName("4250_new01.example.net").getUUIDString();

        ServerObject bigger = vm(4250, "new01.example.net").with("memory", 3072L);
        hypervisor.define(
                HV01,
                factory()
                        .create(
                                bigger,
                                ReferenceFleet.hypervisor(),
                                100,
                                facts,
                                HypervisorSettings.defaults(),
                                "xen-data",
                                "4250_new01.example.net"));

        Domain d = raw(HV01).domainLookupByName("4250_new01.example.net");
        assertThat(d.getUUIDString()).isEqualTo(uuid);
        assertThat(d.getInfo().memory).isEqualTo(3072L * 1024);
    }

    @Test
    void theTestDriverAcceptsTheProductionReferenceDefinition() throws LibvirtException {
        // hv02 holds no domain of object 4242, so this is a first definition, not a redefinition.
        DomainSpec reference = ReferenceFleet.referenceSpec(ReferenceFleet.twoNodeFacts());

        hypervisor.define(HV02, reference);
        hypervisor.start(HV02, reference.name());

        Document xml = XmlDocuments.parse(
                raw(HV02).domainLookupByName(reference.name()).getXMLDesc(0));
        assertThat(xml.getDocumentElement().getAttribute("type")).isEqualTo("kvm");
        assertThat(xml.getElementsByTagName("vcpupin").getLength()).isEqualTo(24);
        assertThat(xml.getElementsByTagName("memnode").getLength()).isEqualTo(2);
        assertThat(XmlDocuments.first(xml, "maxMemory").getAttribute("slots")).isEqualTo("16");
        assertThat(XmlDocuments.first(xml, "virtualport").getAttribute("type")).isEqualTo("openvswitch");
        assertThat(XmlDocuments.first(xml, "tag").getAttribute("id")).isEqualTo("100");
        assertThat(XmlDocuments.first(xml, "hap")).isNotNull();
        assertThat(rawState(HV02, reference.name())).isEqualTo(DomainInfo_RUNNING);
    }

    @Test
    void theTestDriverAcceptsTheLabDefinition() throws LibvirtException {
        HypervisorSettings lab = ReferenceFleet.labSettings("xen-data");
        DomainSpec spec = specFor(4251, "lab01.example.net", hypervisor.facts(HV01), lab);

        hypervisor.define(HV01, spec);
        hypervisor.start(HV01, spec.name());

        Document xml =
                XmlDocuments.parse(raw(HV01).domainLookupByName(spec.name()).getXMLDesc(0));
        assertThat(xml.getDocumentElement().getAttribute("type")).isEqualTo("qemu");
        assertThat(XmlDocuments.first(xml, "cmdline").getTextContent()).isEqualTo("console=ttyS0 root=/dev/vda");
        assertThat(XmlDocuments.first(xml, "log").getAttribute("file"))
                .isEqualTo("/var/log/libvirt/qemu/4251_lab01.example.net.serial.log");
        assertThat(rawState(HV01, spec.name())).isEqualTo(DomainInfo_RUNNING);
    }

    @Test
    void definitionXmlAndDefineXmlRestoreADomain() throws LibvirtException {
        String saved = hypervisor.definitionXml(HV01, "4243_db01.example.net");
        hypervisor.undefine(HV01, "4243_db01.example.net");
        assertThat(hypervisor.findDomain(HV01, 4243)).isEmpty();

        hypervisor.defineXml(HV01, saved);

        Domain restored = raw(HV01).domainLookupByName("4243_db01.example.net");
        assertThat(restored.getUUIDString()).isEqualTo("0b7c1a52-4243-4c6e-9a61-000000004243");
        assertThat(restored.getInfo().memory).isEqualTo(4096L * 1024);
        assertThat(restored.getInfo().nrVirtCpu).isEqualTo(4);
        assertThat(XmlCanonicalForm.of(restored.getXMLDesc(1 | 2), java.util.Set.of()))
                .isEqualTo(XmlCanonicalForm.of(saved, java.util.Set.of()));
    }

    @Test
    void failingCallNamesHypervisorDomainAndLibvirtsReason() {
        assertThatThrownBy(() -> hypervisor.start(HV01, "9999_missing.example.net"))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining(HV01)
                .hasMessageContaining("9999_missing.example.net")
                .hasMessageContaining("Domain not found");
    }

    @Test
    void poolSpace() {
        StoragePoolInfo pool = hypervisor.pool(HV01, "xen-data");

        assertThat(pool.name()).isEqualTo("xen-data");
        assertThat(pool.type()).isEqualTo("dir");
        // The test driver gives every pool 100 GiB; hv01's volumes take 30 GiB of it.
        assertThat(pool.capacityBytes()).isEqualTo(100 * GIB);
        assertThat(pool.availableBytes()).isEqualTo(70 * GIB);
    }

    @Test
    void findVolumeByObjectId() {
        VolumeInfo web01 = hypervisor.findVolume(HV01, "xen-data", 4242).orElseThrow();
        VolumeInfo db01 = hypervisor.findVolume(HV01, "xen-data", 4243).orElseThrow();

        assertThat(web01.name()).isEqualTo("4242_web01.example.net");
        assertThat(web01.capacityGiB()).isEqualTo(10);
        assertThat(web01.path()).isEqualTo("/var/lib/libvirt/images/xen-data/4242_web01.example.net");
        assertThat(db01.capacityBytes()).isEqualTo(20 * GIB);
        assertThat(hypervisor.findVolume(HV01, "xen-data", 4244)).isEmpty();
        assertThat(hypervisor.findVolume(HV02, "xen-data", 4244))
                .map(VolumeInfo::capacityGiB)
                .contains(10L);
    }

    @Test
    void twoVolumesOfOneObjectIsAnErrorNamingBoth() {
        hypervisor.createVolume(HV01, "xen-data", "4243_db01.old", GIB);

        assertThatThrownBy(() -> hypervisor.findVolume(HV01, "xen-data", 4243))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("4243_db01.example.net")
                .hasMessageContaining("4243_db01.old");
    }

    @Test
    void volumesAreSparseInDirectoryPoolsAndFullyAllocatedLogicalVolumesElsewhere() {
        assertThat(LibvirtHypervisor.rawVolumeXml("5_a", GIB, "dir"))
                .contains("<allocation unit=\"bytes\">0</allocation>");
        assertThat(LibvirtHypervisor.rawVolumeXml("5_a", GIB, "logical")).doesNotContain("allocation");
    }

    @Test
    void createAndDeleteAVolume() throws LibvirtException {
        VolumeInfo created = hypervisor.createVolume(HV01, "xen-data", "4250_new01.example.net", 5 * GIB);

        assertThat(created.capacityBytes()).isEqualTo(5 * GIB);
        org.libvirt.StoragePool pool = raw(HV01).storagePoolLookupByName("xen-data");
        assertThat(pool.storageVolLookupByName("4250_new01.example.net").getInfo().capacity)
                .isEqualTo(5 * GIB);
        // The test node's pool is a directory pool: the volume starts sparse and takes no space yet.
        assertThat(pool.storageVolLookupByName("4250_new01.example.net").getInfo().allocation)
                .isZero();
        assertThat(hypervisor.pool(HV01, "xen-data").availableBytes()).isEqualTo(70 * GIB);
        assertThat(hypervisor.findVolume(HV01, "xen-data", 4250)).contains(created);

        hypervisor.deleteVolume(HV01, "xen-data", "4250_new01.example.net");

        assertThat(List.of(pool.listVolumes())).doesNotContain("4250_new01.example.net");
        assertThat(hypervisor.pool(HV01, "xen-data").availableBytes()).isEqualTo(70 * GIB);
    }

    @Test
    void unknownPoolIsAnOperationFailure() {
        assertThatThrownBy(() -> hypervisor.createVolume(HV01, "vg0", "4250_x", GIB))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining(HV01)
                .hasMessageContaining("vg0");
    }

    @Test
    void unreachableHypervisorIsNamed() {
        assertThatThrownBy(() -> hypervisor.facts(DOWN))
                .isInstanceOf(UnreachableException.class)
                .hasMessageStartingWith("hypervisor " + DOWN + " is unreachable (" + DOWN_URI + "): ")
                .hasMessageEndingWith("; check that libvirtd runs there and the URI in the igvm config");
    }

    @Test
    void reconnectsOnceAfterTheConnectionWasClosed() throws LibvirtException {
        raw(HV01).domainDefineXML(minimalDomain("4260_gone.example.net"));
        Connect first = hypervisor.connection(HV01);
        first.close();

        List<DomainInfo> domains = hypervisor.domains(HV01);

        // A fresh test-driver connection re-reads the node file: the domain defined before is gone.
        assertThat(domains)
                .extracting(DomainInfo::name)
                .containsExactlyInAnyOrder("4242_web01.example.net", "4243_db01.example.net");
        assertThat(hypervisor.connection(HV01)).isNotSameAs(first);
        assertThat(hypervisor.connection(HV01).isAlive()).isTrue();
    }

    @Test
    void connectionsAreSharedAndClosedOnClose() throws LibvirtException {
        Connect first = hypervisor.connection(HV01);
        hypervisor.facts(HV01);
        assertThat(hypervisor.connection(HV01)).isSameAs(first);
        Connect other = hypervisor.connection(HV02);

        hypervisor.close();

        assertThat(first.isConnected()).isFalse();
        assertThat(other.isConnected()).isFalse();
    }

    @Test
    void concurrentCallsShareOneConnection() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Connect>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 32; i++) {
                futures.add(pool.submit(() -> {
                    assertThat(hypervisor.findDomain(HV01, 4242)).isPresent();
                    return hypervisor.connection(HV01);
                }));
            }
            java.util.Set<Connect> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (var f : futures) {
                seen.add(f.get());
            }
            assertThat(seen).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static final DomainState DomainInfo_RUNNING = DomainState.RUNNING;
    private static final DomainState DomainInfo_SHUTOFF = DomainState.SHUTOFF;

    private Connect raw(String hv) {
        return hypervisor.connection(hv);
    }

    private DomainState rawState(String hv, String name) throws LibvirtException {
        org.libvirt.DomainInfo.DomainState s = raw(hv).domainLookupByName(name).getInfo().state;
        return DomainState.valueOf(s.name().substring("VIR_DOMAIN_".length()));
    }

    private void awaitRawState(String hv, String name, DomainState wanted) throws LibvirtException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (rawState(hv, name) != wanted) {
            assertThat(Instant.now()).as("%s reaches %s", name, wanted).isBefore(deadline);
            Thread.onSpinWait();
        }
    }

    private static DomainSpecFactory factory() {
        return new DomainSpecFactory(CpuFamilies.DEFAULTS);
    }

    private static ServerObject vm(long id, String hostname) {
        return new ServerObject(id, ReferenceFleet.vm().attributes()).with("hostname", hostname);
    }

    private static DomainSpec specFor(long id, String hostname, HypervisorFacts facts, HypervisorSettings settings) {
        return factory()
                .create(
                        vm(id, hostname),
                        ReferenceFleet.hypervisor(),
                        100,
                        facts,
                        settings,
                        "xen-data",
                        id + "_" + hostname);
    }

    private static String minimalDomain(String name) {
        Document doc = XmlDocuments.newDocument();
        var domain = XmlDocuments.child(doc, "domain", "type", "test");
        XmlDocuments.textChild(domain, "name", name);
        XmlDocuments.textChild(domain, "memory", "131072");
        var os = XmlDocuments.child(domain, "os");
        XmlDocuments.textChild(os, "type", "hvm");
        return XmlDocuments.print(doc);
    }
}
