package org.igvm.transport.drbd;

import java.time.Duration;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.transport.TransportConfig;

/**
 * The settings of {@code transports.drbd:} in igvm's config file.
 *
 * <pre>{@code
 * transports:
 *   drbd:
 *     port_base: 8000          # a side listens on port_base + its volume's device minor
 *     resync_rate: 1G          # per second; --bwlimit overrides it
 *     max_buffers: 24k         # DRBD's net max-buffers (8000..131072, in 4 KiB pages)
 *     connect_timeout: 60s     # until both sides are connected, and after a lost connection
 *     stall_timeout: 5m        # a sync whose out-of-sync amount does not shrink for this long fails
 *     resource_dir: /etc/drbd.d
 *     state_dir: /run/igvm-drbd   # the original device-mapper tables, for recovery by hand
 * }</pre>
 *
 * @param portBase the base of the DRBD ports
 * @param resyncRateBytes the resync rate in bytes per second
 * @param maxBuffers DRBD's {@code max-buffers}
 * @param connectTimeout how long the two sides may take to connect (also after a dropped link)
 * @param stallTimeout how long a sync may make no progress
 * @param pollInterval how often the sync's state is read
 * @param resourceDir where drbdadm reads resource files from
 * @param stateDir where the original tables are written on each host
 */
public record DrbdSettings(
        int portBase,
        long resyncRateBytes,
        int maxBuffers,
        Duration connectTimeout,
        Duration stallTimeout,
        Duration pollInterval,
        String resourceDir,
        String stateDir) {

    /** DRBD 8.4's largest resync rate: 4 GiB/s (it counts in KiB). */
    static final long MAX_RESYNC_RATE = 4L << 30;

    /** The defaults, as with an empty {@code transports.drbd:} section. */
    public static final DrbdSettings DEFAULTS = new DrbdSettings(
            8000,
            1L << 30,
            24 * 1024,
            Duration.ofSeconds(60),
            Duration.ofMinutes(5),
            Duration.ofSeconds(1),
            "/etc/drbd.d",
            "/run/igvm-drbd");

    /**
     * Reads the section, checks the values, and rejects keys it does not know.
     *
     * @throws InvalidInputException naming the key whose value is out of range, or the unknown key
     */
    public static DrbdSettings from(TransportConfig config) {
        DrbdSettings d = DEFAULTS;
        String maxBuffers = config.string("max_buffers", String.valueOf(d.maxBuffers));
        DrbdSettings s = new DrbdSettings(
                config.intValue("port_base", d.portBase),
                config.size("resync_rate", d.resyncRateBytes),
                parseCount("max_buffers", config.transport(), maxBuffers),
                config.duration("connect_timeout", d.connectTimeout),
                config.duration("stall_timeout", d.stallTimeout),
                config.duration("poll_interval", d.pollInterval),
                config.string("resource_dir", d.resourceDir),
                config.string("state_dir", d.stateDir));
        config.rejectUnknown();
        String section = "transports." + config.transport() + ".";
        // the highest minor device-mapper hands out stays far below 1,000,000; the port must fit
        if (s.portBase < 1 || s.portBase > 65535 - 1024) {
            throw new InvalidInputException(section + "port_base must be a port from 1 to 64511, not " + s.portBase);
        }
        if (s.resyncRateBytes < 1024 || s.resyncRateBytes > MAX_RESYNC_RATE) {
            throw new InvalidInputException(
                    section + "resync_rate must be from 1K to 4G (per second), not " + s.resyncRateBytes + " bytes");
        }
        if (s.maxBuffers < 32 || s.maxBuffers > 131072) {
            throw new InvalidInputException(section + "max_buffers must be from 32 to 128k, not " + s.maxBuffers);
        }
        for (var entry : java.util.Map.of(
                        "connect_timeout", s.connectTimeout,
                        "stall_timeout", s.stallTimeout,
                        "poll_interval", s.pollInterval)
                .entrySet()) {
            if (entry.getValue().isNegative() || entry.getValue().isZero()) {
                throw new InvalidInputException(section + entry.getKey() + " must be positive");
            }
        }
        for (String dir : new String[] {s.resourceDir, s.stateDir}) {
            if (!dir.startsWith("/") || dir.length() < 2) {
                throw new InvalidInputException(
                        section + "resource_dir and state_dir must be absolute directories, not '" + dir + "'");
            }
        }
        return s;
    }

    /** The rate for one migration: the operator's {@code --bwlimit} when given, within DRBD's range. */
    long resyncRate(java.util.OptionalLong bandwidthLimit) {
        long rate = bandwidthLimit.orElse(resyncRateBytes);
        return Math.max(1024, Math.min(MAX_RESYNC_RATE, rate));
    }

    private static int parseCount(String key, String transport, String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        long factor = 1;
        if (t.endsWith("k")) {
            factor = 1024;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t) * factor;
            return (int) Math.min(Integer.MAX_VALUE, v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(
                    "transports." + transport + "." + key + " must be a number (e.g. 24k), not '" + text + "'");
        }
    }
}
