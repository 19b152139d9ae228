package org.igvm.domain.hypervisor;

import java.time.Duration;
import java.util.Map;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;

/**
 * igvm's configurable behaviour: hypervisor settings (with per-hypervisor overrides), CPU families
 * by hardware model, and the waits of §6.
 *
 * @param guestLogins whether igvm logs in to the VMs themselves (free memory, disk and load for
 *     {@code info}); false for fleets whose guests are not machines, such as libvirt's test driver
 */
public record SiteSettings(
        HypervisorSettings hypervisorDefaults,
        Map<String, HypervisorSettings> hypervisorOverrides,
        Map<String, String> cpuFamilies,
        Duration shutdownTimeout,
        Duration lockStaleAfter,
        boolean guestLogins) {
    public SiteSettings {
        hypervisorOverrides = Map.copyOf(hypervisorOverrides);
        cpuFamilies = Map.copyOf(cpuFamilies);
    }

    /** The settings in force on one hypervisor. */
    public HypervisorSettings forHypervisor(String hostname) {
        return hypervisorOverrides.getOrDefault(hostname, hypervisorDefaults);
    }

    public static SiteSettings defaults() {
        return new SiteSettings(
                HypervisorSettings.defaults(),
                Map.of(),
                CpuFamilies.DEFAULTS,
                Duration.ofSeconds(60),
                Duration.ofHours(1),
                true);
    }
}
