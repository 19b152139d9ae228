package org.igvm.domain.lock;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Who holds a lock: the operator's user, the machine and the igvm process. */
public record LockOwner(String user, String host, long pid) {
    /** This process. */
    public static LockOwner current() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return new LockOwner(
                System.getProperty("user.name"), host, ProcessHandle.current().pid());
    }

    /** The text stored in the inventory, e.g. {@code alice@ops1 pid 4711}. */
    public String text() {
        return user + "@" + host + " pid " + pid;
    }

    /**
     * Reads {@link #text()} back, also when a lock's {@code since ...} follows it; null when it is
     * not in that form.
     */
    public static LockOwner parse(String text) {
        if (text == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*)@(\\S+) pid (\\d+)(?: since .*)?")
                .matcher(text);
        return m.matches() ? new LockOwner(m.group(1), m.group(2), Long.parseLong(m.group(3))) : null;
    }
}
