package org.igvm.domain.vm;

import java.nio.charset.StandardCharsets;

/**
 * The VM's address as igvm writes it into the guest: {@code /etc/igvm/ip}, line 1 the address
 * with its prefix length ({@code 10.20.30.40/24}), line 2 the default gateway when the route
 * network has one. The guest's network start-up reads it.
 */
public record GuestAddressFile(String address, int prefixLength, String gateway) {
    public static final String PATH = "/etc/igvm/ip";

    public byte[] content() {
        String text =
                address + "/" + prefixLength + "\n" + (gateway == null || gateway.isEmpty() ? "" : gateway + "\n");
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
