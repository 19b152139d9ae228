package org.igvm.domain.hypervisor;

import java.time.Duration;
import java.util.Map;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;

/**
 * igvm's configurable behaviour: hypervisor settings (with per-hypervisor overrides), CPU families
 * by hardware model, the waits of §6 and the locks' stale age and heartbeat.
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
        Duration lockHeartbeat,
        boolean guestLogins) {
    public SiteSettings {
        hypervisorOverrides = Map.copyOf(hypervisorOverrides);
        cpuFamilies = Map.copyOf(cpuFamilies);
    }

    /** With the default lock heartbeat: a quarter of the stale age, at most a minute. */
    public SiteSettings(
            HypervisorSettings hypervisorDefaults,
            Map<String, HypervisorSettings> hypervisorOverrides,
            Map<String, String> cpuFamilies,
            Duration shutdownTimeout,
            Duration lockStaleAfter) {
        this(
                hypervisorDefaults,
                hypervisorOverrides,
                cpuFamilies,
                shutdownTimeout,
                lockStaleAfter,
                ObjectLocks.defaultHeartbeat(lockStaleAfter),
                true);
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
                Duration.ofHours(1));
    }
}
