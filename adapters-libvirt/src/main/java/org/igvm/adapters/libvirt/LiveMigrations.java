package org.igvm.adapters.libvirt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.igvm.domain.spi.hypervisor.LiveMigrationOptions;
import org.igvm.domain.spi.hypervisor.MigrationJob;
import org.libvirt.Domain.DomainMigrateParameters;
import org.libvirt.Domain.MigrateFlags;
import org.libvirt.TypedDoubleParameter;
import org.libvirt.TypedIntParameter;
import org.libvirt.TypedLongParameter;
import org.libvirt.TypedParameter;
import org.libvirt.TypedUintParameter;
import org.libvirt.TypedUlongParameter;

/**
 * The libvirt side of a live migration without a connection: {@link LiveMigrationOptions} as
 * {@code virDomainMigrateFlags} and {@code virDomainMigrate3} parameters, job statistics ({@code
 * virDomainGetJobStats}) as a {@link MigrationJob}, and vCPU cpumaps as cpusets.
 */
final class LiveMigrations {
    private static final long MIB = 1024 * 1024;

    private LiveMigrations() {}

    /**
     * The flags: always {@code LIVE}; never {@code UNDEFINE_SOURCE} (the migrate flow removes the
     * source definition after the inventory commit) nor {@code TUNNELLED} (libvirt 9.0 cannot
     * tunnel a non-shared disk copy).
     */
    static long flags(LiveMigrationOptions o) {
        long flags = MigrateFlags.LIVE;
        if (o.nonSharedDisk()) {
            flags |= MigrateFlags.NON_SHARED_DISK;
        }
        if (o.autoConverge()) {
            flags |= MigrateFlags.AUTO_CONVERGE;
        }
        if (o.abortOnError()) {
            flags |= MigrateFlags.ABORT_ON_ERROR;
        }
        if (o.persistDest()) {
            flags |= MigrateFlags.PERSIST_DEST;
        }
        if (o.changeProtection()) {
            flags |= MigrateFlags.CHANGE_PROTECTION;
        }
        if (o.peerToPeer()) {
            flags |= MigrateFlags.PEER2PEER;
        }
        if (o.tls()) {
            flags |= MigrateFlags.TLS;
        }
        if (o.parallelConnections() > 1) {
            flags |= MigrateFlags.PARALLEL;
        }
        return flags;
    }

    /**
     * The typed parameters; never empty (libvirt-java cannot pass an empty array), as the
     * bandwidth is always given: {@code 0} is libvirt's default.
     */
    static TypedParameter[] parameters(LiveMigrationOptions o) {
        List<TypedParameter> params = new ArrayList<>();
        params.add(new TypedUlongParameter(DomainMigrateParameters.VIR_MIGRATE_PARAM_BANDWIDTH, bandwidthMiB(o)));
        if (o.parallelConnections() > 1) {
            params.add(new TypedIntParameter(
                    DomainMigrateParameters.VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS, o.parallelConnections()));
        }
        return params.toArray(TypedParameter[]::new);
    }

    /** libvirt's bandwidth is whole MiB/s: round a cap down, but never to 0 (which means uncapped). */
    static long bandwidthMiB(LiveMigrationOptions o) {
        long bytes = o.bandwidthBytesPerSecond();
        return bytes == 0 ? 0 : Math.max(1, bytes / MIB);
    }

    /** Job statistics by libvirt's names ({@code VIR_DOMAIN_JOB_*} typed parameter fields). */
    static MigrationJob job(int type, Map<String, Long> stats) {
        MigrationJob.Type[] types = MigrationJob.Type.values();
        MigrationJob.Type t = type >= 0 && type < types.length ? types[type] : MigrationJob.Type.NONE;
        if (t == MigrationJob.Type.NONE) {
            return MigrationJob.none();
        }
        return new MigrationJob(
                t,
                Duration.ofMillis(Math.max(0, stats.getOrDefault("time_elapsed", 0L))),
                stats.getOrDefault("data_total", -1L),
                stats.getOrDefault("data_processed", -1L),
                stats.getOrDefault("data_remaining", -1L),
                stats.getOrDefault("memory_total", -1L),
                stats.getOrDefault("memory_processed", -1L),
                stats.getOrDefault("memory_remaining", -1L),
                stats.getOrDefault("memory_bps", -1L),
                stats.getOrDefault("disk_total", -1L),
                stats.getOrDefault("disk_processed", -1L),
                stats.getOrDefault("disk_remaining", -1L),
                stats.getOrDefault("disk_bps", -1L),
                stats.getOrDefault("downtime", -1L));
    }

    /** The numeric typed parameters by name; text and boolean ones are left out. */
    static Map<String, Long> numbers(TypedParameter[] params) {
        Map<String, Long> values = new TreeMap<>();
        if (params == null) {
            return values;
        }
        for (TypedParameter p : params) {
            if (p instanceof TypedUlongParameter u) {
                values.put(p.field, u.value);
            } else if (p instanceof TypedLongParameter l) {
                values.put(p.field, l.value);
            } else if (p instanceof TypedUintParameter u) {
                values.put(p.field, Integer.toUnsignedLong(u.value));
            } else if (p instanceof TypedIntParameter i) {
                values.put(p.field, (long) i.value);
            } else if (p instanceof TypedDoubleParameter d) {
                values.put(p.field, (long) d.value);
            }
        }
        return values;
    }

    /**
     * One vCPU's cpumap (libvirt's bitmap, CPU 0 in the lowest bit of the first byte; libvirt-java
     * hands over the bytes sign-extended as ints) as a cpuset.
     */
    static String cpuset(int[] cpumaps, int offset, int mapLength) {
        List<Integer> cpus = new ArrayList<>();
        for (int b = 0; b < mapLength; b++) {
            int bits = cpumaps[offset + b] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                if ((bits & (1 << bit)) != 0) {
                    cpus.add(b * 8 + bit);
                }
            }
        }
        return HostNumaTopology.cpuset(cpus);
    }

    /** A cpuset ({@code "0-3,8,10-11"}) as libvirt-java's cpumap: one int per byte of the bitmap. */
    static int[] cpumap(String cpuset, int hostCpus) {
        BitSet cpus = parseCpuset(cpuset);
        int length = Math.max((hostCpus + 7) / 8, (cpus.length() + 7) / 8);
        int[] map = new int[length];
        for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
            map[cpu / 8] |= 1 << (cpu % 8);
        }
        return map;
    }

    /** A libvirt cpuset: ranges and single CPUs separated by commas ({@code ^N} exclusions too). */
    static BitSet parseCpuset(String cpuset) {
        BitSet cpus = new BitSet();
        BitSet excluded = new BitSet();
        for (String part : cpuset.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            boolean exclude = p.startsWith("^");
            String range = exclude ? p.substring(1) : p;
            int dash = range.indexOf('-');
            int from;
            int to;
            try {
                from = Integer.parseInt((dash < 0 ? range : range.substring(0, dash)).trim());
                to = dash < 0
                        ? from
                        : Integer.parseInt(range.substring(dash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a cpuset: " + cpuset, e);
            }
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("not a cpuset: " + cpuset);
            }
            (exclude ? excluded : cpus).set(from, to + 1);
        }
        cpus.andNot(excluded);
        return cpus;
    }
}
