package org.igvm.domain.vm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * What a running VM reports about itself: memory available (MemAvailable of /proc/meminfo), free
 * space of its root file system ({@code df -P -k /}) and the 1-minute load (/proc/loadavg).
 */
public record GuestUsage(long memoryFreeMiB, long diskFreeGiB, double load) {
    /** A read: safe to run again when the connection drops under it. */
    static final ShellCommand COMMAND =
            ShellCommand.format("cat /proc/meminfo /proc/loadavg && df -P -k /").idempotent();

    private static final Pattern MEM_AVAILABLE = Pattern.compile("(?m)^MemAvailable:\\s+(\\d+) kB$");
    private static final Pattern LOADAVG =
            Pattern.compile("(?m)^(\\d+\\.\\d+) \\d+\\.\\d+ \\d+\\.\\d+ \\d+/\\d+ \\d+$");
    private static final Pattern DF_ROOT = Pattern.compile("(?m)^\\S+\\s+\\d+\\s+\\d+\\s+(\\d+)\\s+\\d+%\\s+/$");

    /** Reads the usage in one command on the VM's shell. */
    public static GuestUsage read(HostShell vm) {
        return parse(vm.host(), vm.check(COMMAND));
    }

    static GuestUsage parse(String host, String output) {
        return new GuestUsage(
                Long.parseLong(find(MEM_AVAILABLE, output, host, "MemAvailable")) / 1024,
                Long.parseLong(find(DF_ROOT, output, host, "free space of /")) / (1024 * 1024),
                Double.parseDouble(find(LOADAVG, output, host, "load average")));
    }

    private static String find(Pattern pattern, String output, String host, String what) {
        Matcher m = pattern.matcher(output);
        if (!m.find()) {
            throw new OperationFailedException("could not read the " + what + " of " + host + " from its output");
        }
        return m.group(1);
    }
}
