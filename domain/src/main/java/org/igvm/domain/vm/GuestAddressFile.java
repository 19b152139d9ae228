package org.igvm.domain.vm;

import java.nio.charset.StandardCharsets;

/**
 * The VM's address as igvm writes it into the guest: {@code /etc/network/interfaces} in the
 * format Debian's ifupdown reads (the lab's images too), a static address with its prefix length
 * on {@code eth0}, and the default gateway when the route network has one. The build writes it
 * and change-address rewrites it.
 */
public record GuestAddressFile(String address, int prefixLength, String gateway) {
    public static final String PATH = "/etc/network/interfaces";

    public String text() {
        boolean v6 = address.contains(":");
        StringBuilder s = new StringBuilder();
        s.append("auto lo\n");
        s.append("iface lo inet loopback\n");
        s.append("\n");
        s.append("auto eth0\n");
        s.append("iface eth0 ").append(v6 ? "inet6" : "inet").append(" static\n");
        s.append("    address ")
                .append(address)
                .append('/')
                .append(prefixLength)
                .append('\n');
        if (gateway != null && !gateway.isEmpty()) {
            s.append("    gateway ").append(gateway).append('\n');
        }
        return s.toString();
    }

    public byte[] content() {
        return text().getBytes(StandardCharsets.UTF_8);
    }
}
