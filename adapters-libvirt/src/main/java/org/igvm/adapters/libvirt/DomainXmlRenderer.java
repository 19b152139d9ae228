package org.igvm.adapters.libvirt;

import static org.igvm.adapters.libvirt.XmlDocuments.child;
import static org.igvm.adapters.libvirt.XmlDocuments.textChild;

import java.util.UUID;
import java.util.stream.Collectors;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Renders a {@link DomainSpec} as libvirt domain XML. Production settings give exactly the
 * reference definition ({@code domain-example.xml}); the site settings switch to a plain Linux
 * bridge, boot from disk, direct kernel boot with initrd and command line, a serial log file, or
 * TCG ({@code qemu}) guests.
 */
public final class DomainXmlRenderer {
    private static final String KVM = "kvm";

    /** The definition with a fresh random UUID, for a domain defined for the first time. */
    public String render(DomainSpec spec) {
        return render(spec, UUID.randomUUID());
    }

    /** The definition with the given UUID, to redefine an existing domain in place. */
    public String render(DomainSpec spec, UUID uuid) {
        HypervisorSettings settings = spec.settings();
        Document doc = XmlDocuments.newDocument();
        Element domain = child(doc, "domain", "type", settings.domainType());
        textChild(domain, "name", spec.name());
        textChild(domain, "uuid", uuid.toString());
        // No room for hot-plugged memory (a host whose memory less igvm's reserve is no more than the
        // VM's): no <maxMemory> at all, as QEMU refuses memory slots whose maximum equals the memory.
        if (spec.maxMemoryMiB() > spec.memoryMiB()) {
            textChild(
                    domain,
                    "maxMemory",
                    Long.toString(spec.maxMemoryMiB()),
                    "slots",
                    Integer.toString(spec.memorySlots()),
                    "unit",
                    "MiB");
        }
        textChild(domain, "memory", Long.toString(spec.memoryMiB()), "unit", "MiB");
        textChild(domain, "currentMemory", Long.toString(spec.memoryMiB()), "unit", "MiB");
        textChild(
                domain,
                "vcpu",
                Integer.toString(spec.maxVcpus()),
                "placement",
                "static",
                "current",
                Integer.toString(spec.vcpus()));
        cputune(domain, spec);
        numatune(domain, spec);
        os(domain, spec, settings);
        features(domain, settings);
        cpu(domain, spec);
        child(domain, "clock", "offset", "utc", "adjustment", "reset");
        textChild(domain, "on_poweroff", "destroy");
        textChild(domain, "on_reboot", "restart");
        textChild(domain, "on_crash", "destroy");
        devices(domain, spec, settings);
        Element blkiotune = child(domain, "blkiotune");
        textChild(blkiotune, "weight", Integer.toString(spec.ioWeight()));
        return XmlDocuments.print(doc);
    }

    private static void cputune(Element domain, DomainSpec spec) {
        Element cputune = child(domain, "cputune");
        for (DomainSpec.VcpuPin pin : spec.vcpuPins()) {
            child(cputune, "vcpupin", "vcpu", Integer.toString(pin.vcpu()), "cpuset", pin.cpuset());
        }
    }

    private static void numatune(Element domain, DomainSpec spec) {
        Element numatune = child(domain, "numatune");
        String allNodes = spec.numaCells().stream()
                .map(cell -> Integer.toString(cell.hostNode()))
                .distinct()
                .collect(Collectors.joining(","));
        child(numatune, "memory", "mode", "strict", "nodeset", allNodes);
        for (DomainSpec.GuestNumaCell cell : spec.numaCells()) {
            child(
                    numatune,
                    "memnode",
                    "cellid",
                    Integer.toString(cell.id()),
                    "mode",
                    "preferred",
                    "nodeset",
                    Integer.toString(cell.hostNode()));
        }
    }

    private static void os(Element domain, DomainSpec spec, HypervisorSettings settings) {
        Element os = child(domain, "os");
        textChild(os, "type", "hvm", "arch", "x86_64", "machine", settings.machine());
        if (!settings.kernel().isEmpty()) {
            textChild(os, "kernel", settings.kernel());
            if (!settings.initrd().isEmpty()) {
                textChild(os, "initrd", settings.initrd());
            }
            if (!settings.cmdline().isEmpty()) {
                textChild(os, "cmdline", settings.cmdline());
            }
        }
        child(os, "boot", "dev", "hd");
    }

    private static void features(Element domain, HypervisorSettings settings) {
        Element features = child(domain, "features");
        // ACPI lets the guest shut down gracefully; the rest are hardware-assist features of KVM.
        child(features, "acpi");
        if (KVM.equals(settings.domainType())) {
            child(features, "apic", "eoi", "on");
            child(features, "hap");
        }
    }

    private static void cpu(Element domain, DomainSpec spec) {
        Element cpu = child(domain, "cpu", "mode", "custom", "match", "exact");
        textChild(cpu, "model", spec.cpuModel(), "fallback", "allow");
        child(
                cpu,
                "topology",
                "sockets",
                Integer.toString(spec.sockets()),
                "cores",
                Integer.toString(spec.coresPerSocket()),
                "threads",
                "1");
        Element numa = child(cpu, "numa");
        for (DomainSpec.GuestNumaCell cell : spec.numaCells()) {
            child(
                    numa,
                    "cell",
                    "id",
                    Integer.toString(cell.id()),
                    "cpus",
                    cell.vcpus().stream().map(String::valueOf).collect(Collectors.joining(",")),
                    "memory",
                    Long.toString(cell.memoryMiB()),
                    "unit",
                    "MiB");
        }
    }

    private static void devices(Element domain, DomainSpec spec, HypervisorSettings settings) {
        Element devices = child(domain, "devices");
        textChild(devices, "emulator", settings.emulator());

        Element disk = child(devices, "disk", "type", "volume", "device", "disk");
        child(disk, "driver", "name", "qemu", "type", "raw", "cache", "none", "io", "native");
        child(disk, "source", "pool", spec.pool(), "volume", spec.volume());
        child(disk, "target", "dev", "vda", "bus", "virtio");

        // q35 has a PCIe root; on other machines libvirt adds the matching root controller itself.
        if (settings.machine().contains("q35")) {
            child(devices, "controller", "type", "pci", "index", "0", "model", "pcie-root");
        }
        child(devices, "controller", "type", "usb", "index", "0", "model", "none");
        child(devices, "controller", "type", "virtio-serial", "index", "0");

        Element nic = child(devices, "interface", "type", "bridge");
        child(nic, "mac", "address", spec.mac());
        child(nic, "source", "bridge", settings.bridge());
        boolean virtualport = !settings.virtualport().isEmpty();
        // A plain Linux bridge cannot tag; only a virtual switch carries the VLAN.
        if (virtualport && spec.vlanTag() != null) {
            Element vlan = child(nic, "vlan");
            child(vlan, "tag", "id", Integer.toString(spec.vlanTag()));
        }
        if (virtualport) {
            child(nic, "virtualport", "type", settings.virtualport());
        }
        child(nic, "model", "type", "virtio");
        // libvirt uses vhost-net only for KVM guests; TCG guests get the userspace virtio backend.
        if (KVM.equals(settings.domainType())) {
            child(nic, "driver", "name", "vhost", "queues", "2");
        }

        Element serial = child(devices, "serial", "type", "pty");
        if (!settings.serialLogDir().isEmpty()) {
            String dir = settings.serialLogDir().replaceAll("/+$", "");
            // Not NAME.log: libvirt writes QEMU's own log there (in /var/log/libvirt/qemu).
            child(serial, "log", "file", dir + "/" + spec.name() + ".serial.log", "append", "on");
        }
        child(serial, "target", "port", "0");
        Element console = child(devices, "console", "type", "pty");
        child(console, "target", "type", "serial", "port", "0");
        child(devices, "memballoon", "model", "none");
    }
}
