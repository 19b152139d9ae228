package org.igvm.domain.inventory;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4/IPv6 address or network in CIDR notation, as the inventory stores them. */
public record IpNetwork(byte[] address, int prefixLength) {
    /** Parses {@code 10.0.0.1}, {@code 10.0.0.0/24}, {@code 2001:db8::/64}; null if it is neither. */
    public static IpNetwork parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String addr = text;
        int prefix = -1;
        int slash = text.indexOf('/');
        if (slash >= 0) {
            addr = text.substring(0, slash);
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        boolean v4 = addr.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = addr.contains(":") && addr.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(addr).getAddress();
            int max = bytes.length * 8;
            if (prefix < 0) {
                prefix = max;
            }
            if (prefix > max) {
                return null;
            }
            return new IpNetwork(bytes, prefix);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean isNetwork() {
        return prefixLength < address.length * 8;
    }

    public boolean contains(IpNetwork other) {
        if (other.address.length != address.length || other.prefixLength < prefixLength) {
            return false;
        }
        int bits = address.length * 8;
        BigInteger mask = BigInteger.ONE
                .shiftLeft(bits)
                .subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(bits - prefixLength).subtract(BigInteger.ONE));
        return new BigInteger(1, address).and(mask).equals(new BigInteger(1, other.address).and(mask));
    }
}
