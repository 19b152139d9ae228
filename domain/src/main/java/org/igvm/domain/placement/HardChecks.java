package org.igvm.domain.placement;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.igvm.api.IgvmException;
import org.igvm.domain.hypervisor.SiteSettings;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.HypervisorFacts;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.igvm.domain.spi.hypervisor.StoragePoolInfo;

/**
 * The checks on live data a hypervisor must pass to take a VM (spec §4), in order: online
 * migration compatibility (OS pair, CPU family), state, cores, the VM's network, free memory, free
 * pool space, not already defined there. Each failure is the operator-facing reason.
 */
public final class HardChecks {
    private static final long GIB = 1L << 30;

    private final HypervisorPort hypervisors;
    private final SiteSettings site;
    private final PlacementSettings placement;

    public HardChecks(HypervisorPort hypervisors, SiteSettings site, PlacementSettings placement) {
        this.hypervisors = hypervisors;
        this.site = site;
        this.placement = placement;
    }

    /** Why the hypervisor cannot take the VM; null when it can. */
    public String failure(HardCheckSubject subject, ServerObject hv) {
        try {
            return check(subject, hv);
        } catch (IgvmException e) {
            return e.getMessage();
        }
    }

    private String check(HardCheckSubject subject, ServerObject hv) {
        ServerObject vm = subject.vm();
        String name = hv.hostname();
        if (subject.online() && subject.currentHypervisor() != null) {
            ServerObject source = subject.currentHypervisor();
            String from = source.string("os");
            String to = hv.string("os");
            if (!placement.onlineMigrationAllowed(from, to)) {
                return "online migration from " + from + " to " + to + " is not allowed (allowed: "
                        + placement.onlineMigrations() + "); migrate with --offline";
            }
            Map<String, String> families = site.cpuFamilies();
            String sourceFamily = families.get(source.string("hardware_model"));
            String targetFamily = families.get(hv.string("hardware_model"));
            if (sourceFamily == null || !Objects.equals(sourceFamily, targetFamily)) {
                return "CPU family " + targetFamily + " (" + hv.string("hardware_model") + ") differs from "
                        + sourceFamily + " (" + source.string("hardware_model") + "); migrate with --offline";
            }
        }
        if (!subject.states().contains(hv.state())) {
            return "state is " + hv.state() + ", placement takes "
                    + String.join(" or ", subject.states().stream().sorted().toList());
        }
        HypervisorFacts facts = hypervisors.facts(name);
        long cpus = vm.integer("num_cpu", 0);
        if (facts.cpus() < cpus) {
            return "not enough cores: " + facts.cpus() + " < " + cpus;
        }
        String network = vm.string("route_network");
        if (network != null && !hv.strings("vlan_networks").contains(network)) {
            return "does not serve the VM's network " + network + " (serves " + hv.strings("vlan_networks") + ")";
        }
        HypervisorSettings settings = site.forHypervisor(name);
        List<DomainInfo> domains = hypervisors.domains(name);
        long used = 0;
        for (DomainInfo d : domains) {
            used += d.memoryMiB() + settings.domainMemoryOverheadMiB();
        }
        // VMs a batch planned here before this one count as if they were there already.
        long planned = subject.planned().memoryMiBOnto(name, settings.domainMemoryOverheadMiB());
        int plannedVms = subject.planned().onto(name).size();
        long freeMiB = facts.memoryMiB() - settings.hostMemoryReserveMiB() - used - planned;
        long memory = vm.integer("memory", 0);
        if (freeMiB < memory) {
            return "not enough memory: " + Math.max(0, freeMiB) + " MiB free (" + facts.memoryMiB() + " total − "
                    + settings.hostMemoryReserveMiB() + " reserved − " + used + " for " + domains.size()
                    + " domains" + (plannedVms == 0 ? "" : " − " + planned + " for " + plannedVms + " planned here")
                    + "), VM needs " + memory + " MiB";
        }
        String pool = vm.string("libvirt_pool_override") != null
                ? vm.string("libvirt_pool_override")
                : settings.storagePool();
        StoragePoolInfo info = hypervisors.pool(name, pool);
        long disk = vm.integer("disk_size_gib", 0);
        long plannedGiB = subject.planned().diskGiBOnto(name);
        long freeBytes = info.availableBytes() - (settings.poolReserveGiB() + plannedGiB) * GIB;
        if (freeBytes < disk * GIB) {
            return "not enough disk in pool " + pool + ": " + Math.max(0, freeBytes / GIB) + " GiB free after the "
                    + settings.poolReserveGiB() + " GiB reserve"
                    + (plannedGiB == 0 ? "" : " and " + plannedGiB + " GiB planned here")
                    + ", VM needs " + disk + " GiB";
        }
        var existing = hypervisors.findDomain(name, vm.objectId());
        if (existing.isPresent()) {
            return "the VM is already defined there as " + existing.get().name();
        }
        return null;
    }
}
