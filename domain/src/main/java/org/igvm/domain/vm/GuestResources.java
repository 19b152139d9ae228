package org.igvm.domain.vm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * What a running VM itself sees of its resources: the CPUs online ({@code
 * /sys/devices/system/cpu/online}), MemTotal of /proc/meminfo and the size of its root file system
 * ({@code df -P -k /}).
 */
public record GuestResources(int onlineCpus, long memTotalKiB, long rootKiB) {
    /** A read: safe to run again when the connection drops under it. */
    static final ShellCommand READ = ShellCommand.format(
                    "cat /sys/devices/system/cpu/online /proc/meminfo && df -P -k /")
            .idempotent();

    /** Brings every offline CPU online (hot-added vCPUs start offline); running it twice is harmless. */
    public static final ShellCommand ONLINE_CPUS = ShellCommand.format(
                    "for c in /sys/devices/system/cpu/cpu[0-9]*/online; do"
                            + " if [ \"$(cat \"$c\")\" = 0 ]; then echo 1 > \"$c\"; fi; done")
            .idempotent();

    /** Grows the root XFS file system to its device's size. */
    public static final ShellCommand GROW_ROOT = ShellCommand.of("xfs_growfs", "/");

    private static final Pattern CPU_LIST = Pattern.compile("(?m)^(\\d+(?:-\\d+)?(?:,\\d+(?:-\\d+)?)*)$");
    private static final Pattern MEM_TOTAL = Pattern.compile("(?m)^MemTotal:\\s+(\\d+) kB$");
    private static final Pattern DF_ROOT = Pattern.compile("(?m)^\\S+\\s+(\\d+)\\s+\\d+\\s+\\d+\\s+\\d+%\\s+/$");

    public static GuestResources read(HostShell vm) {
        return parse(vm.host(), vm.check(READ));
    }

    static GuestResources parse(String host, String output) {
        return new GuestResources(
                countCpus(find(CPU_LIST, output, host, "online CPUs")),
                Long.parseLong(find(MEM_TOTAL, output, host, "MemTotal")),
                Long.parseLong(find(DF_ROOT, output, host, "size of /")));
    }

    public long memTotalMiB() {
        return memTotalKiB / 1024;
    }

    /** {@code 0-3,6} is 5 CPUs. */
    static int countCpus(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            String[] range = part.split("-");
            n += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        }
        return n;
    }

    private static String find(Pattern pattern, String output, String host, String what) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new OperationFailedException("could not read the " + what + " of " + host + " from its output");
        }
        return m.group(1);
    }
}
