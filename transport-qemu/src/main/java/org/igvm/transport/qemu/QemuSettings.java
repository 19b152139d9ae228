package org.igvm.transport.qemu;

import java.time.Duration;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.spi.hypervisor.LiveMigrationOptions;
import org.igvm.domain.spi.transport.TransportConfig;

/**
 * The {@code transports.qemu:} section of igvm's config file:
 *
 * <pre>{@code
 * transports:
 *   qemu:
 *     p2p: true                          # default false: igvm drives the migration itself
 *     uri: qemu+tls://{target}/system    # p2p only; {target} is the target's hostname
 *     tls: true                          # encrypt QEMU's data streams (VIR_MIGRATE_TLS)
 *     max_downtime_ms: 300               # default: libvirt's (300 ms)
 *     parallel_connections: 2            # default 1
 * }</pre>
 *
 * <p>Peer-to-peer is off by default: the migration then runs over igvm's own libvirt connections
 * to both hypervisors (whatever {@code libvirt.uri} says), which works on any site igvm reaches.
 * With {@code p2p: true} the source's libvirtd connects to the target itself, over {@code uri}
 * (default {@code qemu+tls://{target}/system}, the spec's production setting). The spec's
 * per-OS-pair rule ("peer-to-peer over TLS for the HV OS pairs configured") is the migrate flow's
 * check; this section is the site-wide way of migrating. Unknown keys are rejected.
 *
 * @param peerToPeer whether the source's libvirtd drives the migration
 * @param uriTemplate the target URI template for peer-to-peer
 * @param tls whether QEMU's migration streams use TLS
 * @param maxDowntime the maximum switch-over pause, or {@code null} for libvirt's default
 * @param parallelConnections connections for the memory stream (1: one)
 */
record QemuSettings(
        boolean peerToPeer, String uriTemplate, boolean tls, Duration maxDowntime, int parallelConnections) {
    static final String DEFAULT_URI = "qemu+tls://{target}/system";

    static QemuSettings defaults() {
        return new QemuSettings(false, DEFAULT_URI, false, null, 1);
    }

    static QemuSettings read(TransportConfig config) {
        boolean p2p = config.bool("p2p", false);
        String uri = config.string("uri", DEFAULT_URI).trim();
        boolean tls = config.bool("tls", false);
        long downtimeMs = config.longValue("max_downtime_ms", 0);
        int parallel = config.intValue("parallel_connections", 1);
        config.rejectUnknown();
        String key = "transports." + config.transport() + ".";
        if (config.keys().contains("uri") && !p2p) {
            throw new InvalidInputException(key + "uri is only used with " + key + "p2p: true");
        }
        if (!uri.contains("://")) {
            throw new InvalidInputException(
                    key + "uri must be a libvirt URI such as " + DEFAULT_URI + ", not '" + uri + "'");
        }
        if (downtimeMs < 0) {
            throw new InvalidInputException(key + "max_downtime_ms must be positive, not " + downtimeMs);
        }
        if (parallel < 1 || parallel > 255) {
            throw new InvalidInputException(key + "parallel_connections must be 1..255, not " + parallel);
        }
        return new QemuSettings(p2p, uri, tls, downtimeMs == 0 ? null : Duration.ofMillis(downtimeMs), parallel);
    }

    /** The spec's flags with this section's settings, for a migration to {@code target}. */
    LiveMigrationOptions options(String target, long bandwidthBytesPerSecond) {
        LiveMigrationOptions o = LiveMigrationOptions.defaults()
                .withTls(tls)
                .withBandwidth(bandwidthBytesPerSecond)
                .withMaxDowntime(maxDowntime)
                .withParallelConnections(parallelConnections > 1 ? parallelConnections : 0);
        return peerToPeer ? o.withPeerToPeer(uriTemplate.replace("{target}", target)) : o;
    }
}
