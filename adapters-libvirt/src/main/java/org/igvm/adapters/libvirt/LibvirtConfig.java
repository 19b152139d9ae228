package org.igvm.adapters.libvirt;

import java.util.Map;

/**
 * How igvm reaches each hypervisor's libvirt.
 *
 * @param uriTemplate connection URI with {@code {hostname}} and {@code {user@}} placeholders;
 *     {@code {user@}} becomes {@code user@} when an SSH user is configured, else nothing
 * @param sshUser SSH user for {@code qemu+ssh} URIs; empty for the SSH default
 * @param uriOverrides hostname → complete URI, for hypervisors reached differently (a lab, a test
 *     driver file)
 */
public record LibvirtConfig(String uriTemplate, String sshUser, Map<String, String> uriOverrides) {
    public static final String DEFAULT_URI_TEMPLATE = "qemu+ssh://{user@}{hostname}/system";

    public LibvirtConfig {
        uriTemplate = uriTemplate == null || uriTemplate.isBlank() ? DEFAULT_URI_TEMPLATE : uriTemplate;
        sshUser = sshUser == null ? "" : sshUser.trim();
        uriOverrides = Map.copyOf(uriOverrides);
    }

    public static LibvirtConfig defaults() {
        return new LibvirtConfig(DEFAULT_URI_TEMPLATE, "", Map.of());
    }

    /** The libvirt URI of one hypervisor. */
    public String uriFor(String hostname) {
        String override = uriOverrides.get(hostname);
        if (override != null) {
            return override;
        }
        return uriTemplate
                .replace("{user@}", sshUser.isEmpty() ? "" : sshUser + "@")
                .replace("{hostname}", hostname);
    }
}
