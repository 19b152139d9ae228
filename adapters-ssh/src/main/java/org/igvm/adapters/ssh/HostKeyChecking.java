package org.igvm.adapters.ssh;

import java.util.Locale;
import org.igvm.api.InvalidInputException;

/**
 * How host keys are checked, named as OpenSSH's {@code StrictHostKeyChecking}. There is
 * deliberately no "accept everything".
 */
public enum HostKeyChecking {
    /** Only keys already in a known_hosts file are accepted. */
    STRICT("strict"),
    /** Keys of hosts never seen before are recorded and accepted; changed keys are still refused. */
    ACCEPT_NEW("accept-new");

    private final String setting;

    HostKeyChecking(String setting) {
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }

    public static HostKeyChecking parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (HostKeyChecking c : values()) {
            if (c.setting.equals(v) || (c == STRICT && v.equals("yes"))) {
                return c;
            }
        }
        throw new InvalidInputException(
                "host key checking must be 'strict' or 'accept-new', not '" + value + "' (there is no 'off')");
    }
}
