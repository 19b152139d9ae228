package org.igvm.adapters.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.igvm.domain.hypervisor.ReferenceFleet;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.HypervisorFacts;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.igvm.domain.spi.hypervisor.NumaNode;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class TestDomainXmlRenderer {
    private final DomainXmlRenderer renderer = new DomainXmlRenderer();

    @Test
    void twoNodeHypervisorGivesTheReferenceDefinition() throws IOException {
        String xml = renderer.render(ReferenceFleet.referenceSpec(ReferenceFleet.twoNodeFacts()));

        assertThat(canonical(xml)).isEqualTo(canonical(golden("domain-2node.xml")));
    }

    @Test
    void oneNodeHypervisorGivesOneCellPinnedToAllCpus() throws IOException {
        String xml = renderer.render(ReferenceFleet.referenceSpec(ReferenceFleet.oneNodeFacts()));

        assertThat(canonical(xml)).isEqualTo(canonical(golden("domain-1node.xml")));
    }

    @Test
    void uuidIsRandomPerDefinitionUnlessGiven() {
        DomainSpec spec = ReferenceFleet.referenceSpec(ReferenceFleet.twoNodeFacts());
        java.util.UUID fixed = java.util.UUID.fromString("6695eb01-f6a4-8304-79aa-97f2502e193f");

        String first = uuidOf(renderer.render(spec));
        String second = uuidOf(renderer.render(spec));

        assertThat(first).isNotEqualTo(second);
        assertThat(java.util.UUID.fromString(first)).isNotNull();
        assertThat(uuidOf(renderer.render(spec, fixed))).isEqualTo(fixed.toString());
    }

    @Test
    void labSettingsGiveLinuxBridgeDirectKernelBootSerialLogAndNoKvmFeatures() {
        HypervisorSettings lab = ReferenceFleet.labSettings("images");
        DomainSpec spec = withSettings(ReferenceFleet.referenceSpec(ReferenceFleet.oneNodeFacts()), lab);

        Document doc = XmlDocuments.parse(renderer.render(spec));

        Element domain = doc.getDocumentElement();
        assertThat(domain.getAttribute("type")).isEqualTo("qemu");
        assertThat(text(doc, "kernel")).isEqualTo("/var/lib/libvirt/boot/vmlinuz");
        assertThat(text(doc, "initrd")).isEqualTo("/var/lib/libvirt/boot/initrd-igvm.gz");
        assertThat(text(doc, "cmdline")).isEqualTo("console=ttyS0 root=/dev/vda");
        assertThat(XmlDocuments.first(doc, "acpi")).isNotNull();
        assertThat(XmlDocuments.first(doc, "hap")).isNull();
        assertThat(XmlDocuments.first(doc, "apic")).isNull();
        assertThat(XmlDocuments.first(doc, "model").getTextContent()).isEqualTo("qemu64");
        assertThat(XmlDocuments.first(doc, "vlan")).isNull();
        assertThat(XmlDocuments.first(doc, "virtualport")).isNull();
        assertThat(XmlDocuments.first(doc, "source").getAttribute("pool")).isEqualTo("images");
        Element iface = XmlDocuments.first(doc, "interface");
        assertThat(XmlDocuments.first(iface, "driver")).isNull();
        assertThat(XmlDocuments.first(iface, "source").getAttribute("bridge")).isEqualTo("br0");
        assertThat(XmlDocuments.first(doc, "log").getAttribute("file"))
                .isEqualTo("/var/log/libvirt/qemu/4242_web01.example.net.serial.log");
        // machine 'pc' has a PCI root, not the PCIe root of q35
        assertThat(doc.getElementsByTagName("controller").getLength()).isEqualTo(2);
        assertThat(XmlDocuments.first(doc, "type").getAttribute("machine")).isEqualTo("pc");
    }

    @Test
    void emptyKernelBootsFromDisk() {
        HypervisorSettings d = HypervisorSettings.defaults();
        HypervisorSettings diskBoot = new HypervisorSettings(
                d.domainType(),
                d.machine(),
                d.emulator(),
                d.bridge(),
                d.virtualport(),
                "",
                "/ignored/initrd",
                "ignored",
                d.cpuModel(),
                d.storagePool(),
                d.hostMemoryReserveMiB(),
                d.domainMemoryOverheadMiB(),
                d.poolReserveGiB(),
                d.serialLogDir());
        DomainSpec spec = withSettings(ReferenceFleet.referenceSpec(ReferenceFleet.twoNodeFacts()), diskBoot);

        Document doc = XmlDocuments.parse(renderer.render(spec));

        assertThat(XmlDocuments.first(doc, "kernel")).isNull();
        assertThat(XmlDocuments.first(doc, "initrd")).isNull();
        assertThat(XmlDocuments.first(doc, "cmdline")).isNull();
        assertThat(XmlDocuments.first(doc, "boot").getAttribute("dev")).isEqualTo("hd");
        assertThat(XmlDocuments.first(doc, "log")).isNull();
    }

    @Test
    void noRoomForHotPluggedMemoryGivesNoMaxMemory() {
        // QEMU refuses "-m size=X,slots=16,maxmem=X": a host whose memory less the reserve is the VM's
        // (here 3 GiB less 2 GiB, a VM of more): the factory gives max = memory
        DomainSpec base = ReferenceFleet.referenceSpec(ReferenceFleet.oneNodeFacts());
        DomainSpec full = ReferenceFleet.referenceSpec(
                new HypervisorFacts("hv", 16, 3072, 3000, List.of(new NumaNode(0, "0-15", 3072)), 9_000_000));
        assertThat(full.maxMemoryMiB()).isEqualTo(full.memoryMiB());

        String xml = renderer.render(full);

        assertThat(XmlDocuments.first(XmlDocuments.parse(xml), "maxMemory")).isNull();
        assertThat(text(XmlDocuments.parse(xml), "memory")).isEqualTo(Long.toString(full.memoryMiB()));
        DomainInfo read = DomainInfoReader.read(xml, DomainState.SHUTOFF);
        assertThat(read.maxMemoryMiB())
                .as("read back: no room beyond the memory")
                .isEqualTo(full.memoryMiB());
        assertThat(XmlDocuments.first(XmlDocuments.parse(renderer.render(base)), "maxMemory"))
                .as("with room, as before")
                .isNotNull();
    }

    @Test
    void untrustedValuesAreEscaped() {
        HypervisorSettings d = HypervisorSettings.defaults();
        HypervisorSettings odd = new HypervisorSettings(
                d.domainType(),
                d.machine(),
                d.emulator(),
                "br0'/><evil/>",
                d.virtualport(),
                d.kernel(),
                "",
                "root=/dev/vda quiet <&> \"x\"",
                d.cpuModel(),
                d.storagePool(),
                d.hostMemoryReserveMiB(),
                d.domainMemoryOverheadMiB(),
                d.poolReserveGiB(),
                d.serialLogDir());
        DomainSpec base = withSettings(ReferenceFleet.referenceSpec(ReferenceFleet.twoNodeFacts()), odd);
        DomainSpec spec = new DomainSpec(
                "4242_a&b<c>.example.net",
                base.settings(),
                base.memoryMiB(),
                base.maxMemoryMiB(),
                base.memorySlots(),
                base.vcpus(),
                base.maxVcpus(),
                base.cpuModel(),
                base.sockets(),
                base.coresPerSocket(),
                base.numaCells(),
                base.vcpuPins(),
                base.pool(),
                base.volume(),
                base.mac(),
                base.vlanTag(),
                base.ioWeight());

        Document doc = XmlDocuments.parse(renderer.render(spec));

        assertThat(text(doc, "name")).isEqualTo("4242_a&b<c>.example.net");
        assertThat(text(doc, "cmdline")).isEqualTo("root=/dev/vda quiet <&> \"x\"");
        assertThat(XmlDocuments.first(XmlDocuments.first(doc, "interface"), "source")
                        .getAttribute("bridge"))
                .isEqualTo("br0'/><evil/>");
        assertThat(XmlDocuments.first(doc, "evil")).isNull();
    }

    private static DomainSpec withSettings(DomainSpec s, HypervisorSettings settings) {
        return new DomainSpec(
                s.name(),
                settings,
                s.memoryMiB(),
                s.maxMemoryMiB(),
                s.memorySlots(),
                s.vcpus(),
                s.maxVcpus(),
                settings.cpuModel().isEmpty() ? s.cpuModel() : settings.cpuModel(),
                s.sockets(),
                s.coresPerSocket(),
                s.numaCells(),
                s.vcpuPins(),
                settings.storagePool().equals("xen-data") ? s.pool() : settings.storagePool(),
                s.volume(),
                s.mac(),
                settings.virtualport().isEmpty() ? null : s.vlanTag(),
                s.ioWeight());
    }

    private static String text(Document doc, String tag) {
        return XmlDocuments.first(doc, tag).getTextContent();
    }

    private static String uuidOf(String xml) {
        return text(XmlDocuments.parse(xml), "uuid");
    }

    private static String canonical(String xml) {
        return XmlCanonicalForm.of(xml, Set.of("uuid"));
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = TestDomainXmlRenderer.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
