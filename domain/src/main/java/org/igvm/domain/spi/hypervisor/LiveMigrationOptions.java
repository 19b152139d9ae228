package org.igvm.domain.spi.hypervisor;

import java.time.Duration;

/**
 * How {@link HypervisorPort#migrateLive} moves a running domain: libvirt's migration flags and
 * parameters, without libvirt syntax. {@link #defaults()} is the spec's set for igvm's qemu
 * transport: {@code LIVE | PERSIST_DEST | CHANGE_PROTECTION | NON_SHARED_DISK | AUTO_CONVERGE |
 * ABORT_ON_ERROR}, direct (not peer-to-peer), no bandwidth cap, libvirt's default downtime.
 *
 * <p>The source's definition is never removed by the migration (libvirt's {@code
 * UNDEFINE_SOURCE} is not offered): the migrate flow undefines the source domain and deletes its
 * volume only after the inventory has committed the move, so a failure after the switch-over still
 * has the source definition to go back to.
 *
 * @param nonSharedDisk copy the disks along with the memory ({@code NON_SHARED_DISK}); the target
 *     volumes must exist, with the same names and at least the same sizes
 * @param autoConverge throttle the guest's vCPUs when memory does not converge ({@code
 *     AUTO_CONVERGE})
 * @param abortOnError abort the migration on a disk I/O error during it ({@code ABORT_ON_ERROR})
 * @param persistDest make the domain persistent on the target with the source's definition
 *     ({@code PERSIST_DEST})
 * @param changeProtection refuse changes to the domain's definition while it moves ({@code
 *     CHANGE_PROTECTION})
 * @param peerToPeer the source's libvirtd drives the migration itself ({@code PEER2PEER}), over
 *     {@link #targetUri()}; otherwise igvm drives it over its own connections to both hypervisors
 * @param targetUri for peer-to-peer, the target's libvirt URI as the source's libvirtd reaches it
 *     (e.g. {@code qemu+tls://hv2.example.net/system}); empty for the URI igvm itself uses for the
 *     target
 * @param tls encrypt the migration's data streams with TLS ({@code VIR_MIGRATE_TLS})
 * @param bandwidthBytesPerSecond the cap on the migration's rate; {@code 0} for libvirt's default
 *     (uncapped); libvirt takes whole MiB/s, so a cap is rounded down to them (at least 1 MiB/s)
 * @param maxDowntime the longest pause libvirt may take for the final switch-over; {@code null}
 *     for libvirt's default (300 ms with QEMU)
 * @param parallelConnections the number of parallel connections for the memory stream ({@code
 *     PARALLEL} with {@code parallel.connections}); {@code 0} or {@code 1} for one
 * @since 0.2
 */
public record LiveMigrationOptions(
        boolean nonSharedDisk,
        boolean autoConverge,
        boolean abortOnError,
        boolean persistDest,
        boolean changeProtection,
        boolean peerToPeer,
        String targetUri,
        boolean tls,
        long bandwidthBytesPerSecond,
        Duration maxDowntime,
        int parallelConnections) {
    /**
     * Checks the values.
     *
     * @since 0.2
     */
    public LiveMigrationOptions {
        targetUri = targetUri == null ? "" : targetUri.trim();
        if (bandwidthBytesPerSecond < 0) {
            throw new IllegalArgumentException("a negative bandwidth: " + bandwidthBytesPerSecond);
        }
        if (maxDowntime != null && (maxDowntime.isNegative() || maxDowntime.isZero())) {
            throw new IllegalArgumentException("a maximum downtime must be positive: " + maxDowntime);
        }
        if (parallelConnections < 0) {
            throw new IllegalArgumentException("a negative number of parallel connections: " + parallelConnections);
        }
        if (!targetUri.isEmpty() && !peerToPeer) {
            throw new IllegalArgumentException("a target URI needs peer-to-peer migration");
        }
    }

    /**
     * The spec's flags, direct, uncapped, libvirt's default downtime.
     *
     * @since 0.2
     */
    public static LiveMigrationOptions defaults() {
        return new LiveMigrationOptions(true, true, true, true, true, false, "", false, 0, null, 0);
    }

    /**
     * These options, peer-to-peer over the given URI (empty: igvm's URI for the target).
     *
     * @since 0.2
     */
    public LiveMigrationOptions withPeerToPeer(String uri) {
        return new LiveMigrationOptions(
                nonSharedDisk,
                autoConverge,
                abortOnError,
                persistDest,
                changeProtection,
                true,
                uri,
                tls,
                bandwidthBytesPerSecond,
                maxDowntime,
                parallelConnections);
    }

    /**
     * These options with data streams over TLS or not.
     *
     * @since 0.2
     */
    public LiveMigrationOptions withTls(boolean on) {
        return new LiveMigrationOptions(
                nonSharedDisk,
                autoConverge,
                abortOnError,
                persistDest,
                changeProtection,
                peerToPeer,
                targetUri,
                on,
                bandwidthBytesPerSecond,
                maxDowntime,
                parallelConnections);
    }

    /**
     * These options with a bandwidth cap in bytes per second ({@code 0}: uncapped).
     *
     * @since 0.2
     */
    public LiveMigrationOptions withBandwidth(long bytesPerSecond) {
        return new LiveMigrationOptions(
                nonSharedDisk,
                autoConverge,
                abortOnError,
                persistDest,
                changeProtection,
                peerToPeer,
                targetUri,
                tls,
                bytesPerSecond,
                maxDowntime,
                parallelConnections);
    }

    /**
     * These options with a maximum downtime ({@code null}: libvirt's default).
     *
     * @since 0.2
     */
    public LiveMigrationOptions withMaxDowntime(Duration downtime) {
        return new LiveMigrationOptions(
                nonSharedDisk,
                autoConverge,
                abortOnError,
                persistDest,
                changeProtection,
                peerToPeer,
                targetUri,
                tls,
                bandwidthBytesPerSecond,
                downtime,
                parallelConnections);
    }

    /**
     * These options with the memory stream over this many parallel connections.
     *
     * @since 0.2
     */
    public LiveMigrationOptions withParallelConnections(int connections) {
        return new LiveMigrationOptions(
                nonSharedDisk,
                autoConverge,
                abortOnError,
                persistDest,
                changeProtection,
                peerToPeer,
                targetUri,
                tls,
                bandwidthBytesPerSecond,
                maxDowntime,
                connections);
    }
}
