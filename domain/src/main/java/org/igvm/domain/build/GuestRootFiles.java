package org.igvm.domain.build;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.igvm.domain.vm.GuestAddressFile;

/**
 * The files a build writes into a new VM's root file system, from its inventory attributes: its
 * names, its root on {@code /dev/vda} (XFS), and its static address on {@code eth0} in the format
 * Debian's ifupdown (and the lab's image) reads.
 *
 * @param hostname the VM's full hostname
 * @param address its {@code intern_ip}
 * @param prefixLength the prefix length of its route network
 * @param gateway the route network's {@code default_gateway}; null for none
 */
public record GuestRootFiles(String hostname, String address, int prefixLength, String gateway) {
    public static final String HOSTNAME = "/etc/hostname";
    public static final String MAILNAME = "/etc/mailname";
    public static final String HOSTS = "/etc/hosts";
    public static final String FSTAB = "/etc/fstab";
    public static final String INTERFACES = GuestAddressFile.PATH;
    public static final String RESOLV_CONF = "/etc/resolv.conf";

    /** The short name: the hostname up to its first dot. */
    public String shortName() {
        int dot = hostname.indexOf('.');
        return dot < 0 ? hostname : hostname.substring(0, dot);
    }

    public String hosts() {
        return "127.0.0.1 localhost\n" + address + " " + hostname + " " + shortName() + "\n";
    }

    public String fstab() {
        return "/dev/vda / xfs defaults 0 1\n";
    }

    public String interfaces() {
        return new GuestAddressFile(address, prefixLength, gateway).text();
    }

    /** Path in the VM → content, in the order they are written ({@code resolv.conf} comes from the hypervisor). */
    public Map<String, byte[]> files() {
        Map<String, byte[]> files = nameFiles();
        files.put(FSTAB, bytes(fstab()));
        files.put(INTERFACES, bytes(interfaces()));
        return files;
    }

    /**
     * The files that carry the VM's name ({@code hostname}, {@code mailname}, {@code hosts} with
     * its {@code intern_ip} line): what a rename writes again.
     */
    public Map<String, byte[]> nameFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(HOSTNAME, bytes(hostname + "\n"));
        files.put(MAILNAME, bytes(hostname + "\n"));
        files.put(HOSTS, bytes(hosts()));
        return files;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
