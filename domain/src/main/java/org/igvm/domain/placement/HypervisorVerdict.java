package org.igvm.domain.placement;

/**
 * Why a hypervisor was or was not chosen: the preference that excluded it, the hard check it
 * failed, or {@code null} reason for the one chosen.
 */
public record HypervisorVerdict(String hostname, String reason) {
    public boolean chosen() {
        return reason == null;
    }
}
