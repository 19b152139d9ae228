package org.igvm.bootstrap;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.HostShellPort;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * The shells of hosts that cannot run here: the test driver's guests (no machine behind them) and
 * the hypervisors' mounts of their volumes. A guest answers from its domain's state: its CPUs and
 * MemTotal are what libvirt gives it once it has onlined them, its root file system grows to the
 * disk with {@code xfs_growfs /}. A hypervisor shell mounts and unmounts nothing but keeps the
 * files written below a mount point. Every command is recorded.
 */
final class FakeHosts implements HostShellPort {
    static final String MOUNT_POINT = "/tmp/igvm-mount.test";
    static final long KIB = 1024;

    /** What the guest at an address is: its hypervisor and object id. */
    record Guest(String hypervisor, long objectId) {}

    final List<String> commands = new CopyOnWriteArrayList<>();
    final Map<String, byte[]> files = new ConcurrentHashMap<>();
    final Map<Long, Long> rootBytes = new ConcurrentHashMap<>();
    volatile boolean guestOnlinesResources = true;
    volatile String failingCommand;

    private final Function<String, Guest> guests;
    private final HypervisorPort hypervisors;
    private final String pool;

    FakeHosts(Function<String, Guest> guests, HypervisorPort hypervisors, String pool) {
        this.guests = guests;
        this.hypervisors = hypervisors;
        this.pool = pool;
    }

    @Override
    public HostShell open(String host) {
        Guest guest = guests.apply(host);
        return new HostShell() {
            @Override
            public String host() {
                return host;
            }

            @Override
            public CommandResult run(ShellCommand command) {
                return run(command, Duration.ofSeconds(10));
            }

            @Override
            public CommandResult run(ShellCommand command, Duration timeout) {
                String text = command.text();
                commands.add(host + ": " + text);
                if (failingCommand != null && text.contains(failingCommand)) {
                    return new CommandResult(host, text, 1, "", "injected failure");
                }
                String out = guest == null ? hypervisor(text) : guest(guest, text);
                return out == null
                        ? new CommandResult(host, text, 1, "", "no such file")
                        : new CommandResult(host, text, 0, out, "");
            }

            @Override
            public void put(byte[] content, String path, int mode) {
                commands.add(host + ": put " + path);
                files.put(path, content.clone());
            }

            @Override
            public byte[] get(String path) {
                byte[] content = files.get(path);
                if (content == null) {
                    throw new org.igvm.api.OperationFailedException("no file " + path + " on " + host);
                }
                return content.clone();
            }

            @Override
            public void close() {}
        };
    }

    String file(String path) {
        byte[] content = files.get(path);
        return content == null ? null : new String(content, StandardCharsets.UTF_8);
    }

    private String hypervisor(String text) {
        if (text.startsWith("mktemp -d")) {
            return MOUNT_POINT + "\n";
        }
        if (text.contains("test -e ")) {
            String path = text.substring(text.lastIndexOf(' ') + 1).replace("'", "");
            return files.containsKey(MOUNT_POINT + path) ? "" : null;
        }
        return "";
    }

    private String guest(Guest guest, String text) {
        DomainInfo domain =
                hypervisors.findDomain(guest.hypervisor(), guest.objectId()).orElseThrow();
        VolumeInfo volume = hypervisors
                .findVolume(guest.hypervisor(), pool, guest.objectId())
                .orElseThrow();
        if (text.startsWith("xfs_growfs")) {
            rootBytes.put(guest.objectId(), volume.capacityBytes());
            return "data blocks changed";
        }
        if (text.startsWith("cat /sys/devices/system/cpu/online")) {
            int cpus = guestOnlinesResources ? domain.vcpus() : 1;
            long memKiB = guestOnlinesResources ? domain.memoryMiB() * KIB * 97 / 100 : 256 * KIB;
            long rootKiB = rootBytes.getOrDefault(guest.objectId(), volume.capacityBytes()) / KIB - 10 * KIB;
            return (cpus == 1 ? "0" : "0-" + (cpus - 1)) + "\nMemTotal:       " + memKiB + " kB\n"
                    + "Filesystem           1024-blocks    Used Available Capacity Mounted on\n"
                    + "/dev/vda " + rootKiB + " 1000 " + (rootKiB - 1000) + " 1% /\n";
        }
        return "";
    }
}
