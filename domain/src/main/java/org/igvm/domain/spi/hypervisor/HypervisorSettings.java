package org.igvm.domain.spi.hypervisor;

/**
 * Site settings that shape domains and resources on one hypervisor. Production defaults are in
 * {@link #defaults()}; a site (or one hypervisor, e.g. a lab without KVM) overrides them in the
 * configuration file, never in code.
 *
 * @param domainType libvirt domain type: {@code kvm}, or {@code qemu} where there is no KVM
 * @param machine QEMU machine type
 * @param emulator QEMU binary
 * @param bridge bridge the VMs' interfaces join
 * @param virtualport virtual port type ({@code openvswitch}); empty for a plain Linux bridge, which
 *     then carries no VLAN tag
 * @param kernel boot kernel (direct kernel boot); empty to boot from the disk
 * @param initrd initrd for direct kernel boot; empty for none
 * @param cmdline kernel command line for direct kernel boot; empty for none
 * @param cpuModel CPU model for every domain; empty to derive it from the hardware model
 * @param storagePool storage pool holding the VMs' volumes
 * @param hostMemoryReserveMiB memory kept for the hypervisor itself
 * @param domainMemoryOverheadMiB memory each domain costs beyond its own
 * @param poolReserveGiB pool space kept free
 * @param serialLogDir where the serial console of each domain is logged; empty for none
 */
public record HypervisorSettings(
        String domainType,
        String machine,
        String emulator,
        String bridge,
        String virtualport,
        String kernel,
        String initrd,
        String cmdline,
        String cpuModel,
        String storagePool,
        long hostMemoryReserveMiB,
        long domainMemoryOverheadMiB,
        long poolReserveGiB,
        String serialLogDir) {

    public static HypervisorSettings defaults() {
        return new HypervisorSettings(
                "kvm",
                "pc-q35-7.1",
                "/usr/bin/qemu-system-x86_64",
                "br0",
                "openvswitch",
                "/var/lib/libvirt/boot/grub2.img",
                "",
                "",
                "",
                "xen-data",
                2048,
                50,
                5,
                "");
    }
}
