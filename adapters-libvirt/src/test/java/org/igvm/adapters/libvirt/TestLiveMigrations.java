package org.igvm.adapters.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.igvm.domain.spi.hypervisor.DomainSpec.VcpuPin;
import org.igvm.domain.spi.hypervisor.LiveMigrationOptions;
import org.igvm.domain.spi.hypervisor.MigrationJob;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.libvirt.TypedIntParameter;
import org.libvirt.TypedParameter;
import org.libvirt.TypedUlongParameter;

/** Live-migration options, job statistics and cpumaps in libvirt's terms; pinning on the test driver. */
class TestLiveMigrations {
    private final LibvirtHypervisor hypervisor = new LibvirtHypervisor(TestDriverFleet.config());

    @AfterEach
    void closeConnections() {
        hypervisor.close();
    }

    @Test
    void theSpecsFlagsAreLibvirtsNumbers() {
        // virDomainMigrateFlags: LIVE 1, PERSIST_DEST 8, NON_SHARED_DISK 64, CHANGE_PROTECTION 256,
        // ABORT_ON_ERROR 4096, AUTO_CONVERGE 8192; never UNDEFINE_SOURCE 16 nor TUNNELLED 4
        assertThat(LiveMigrations.flags(LiveMigrationOptions.defaults())).isEqualTo(1 | 8 | 64 | 256 | 4096 | 8192);
        LiveMigrationOptions p2p = LiveMigrationOptions.defaults()
                .withPeerToPeer("qemu+tls://hv2/system")
                .withTls(true)
                .withParallelConnections(2);
        assertThat(LiveMigrations.flags(p2p)).isEqualTo(1 | 2 | 8 | 64 | 256 | 4096 | 8192 | (1 << 16) | (1 << 17));
    }

    @Test
    void parametersCarryBandwidthInMibAndParallelConnections() {
        TypedParameter[] params = LiveMigrations.parameters(LiveMigrationOptions.defaults()
                .withBandwidth(100L * 1024 * 1024 + 5)
                .withParallelConnections(3));
        assertThat(params).hasSize(2);
        assertThat(params[0].field).isEqualTo("bandwidth");
        assertThat(((TypedUlongParameter) params[0]).value).isEqualTo(100);
        assertThat(((TypedIntParameter) params[1]).value).isEqualTo(3);
        assertThat(LiveMigrations.parameters(LiveMigrationOptions.defaults()))
                .as("never empty: libvirt-java cannot pass an empty array")
                .hasSize(1);
        assertThat(LiveMigrations.bandwidthMiB(LiveMigrationOptions.defaults().withBandwidth(1000)))
                .isEqualTo(1);
    }

    @Test
    void jobStatisticsByLibvirtsNames() {
        MigrationJob job = LiveMigrations.job(2, LiveMigrations.numbers(new TypedParameter[] {
            new TypedUlongParameter("time_elapsed", 1500),
            new TypedUlongParameter("disk_total", 100),
            new TypedUlongParameter("disk_processed", 40),
            new TypedUlongParameter("memory_remaining", 7),
            new TypedUlongParameter("downtime", 35)
        }));
        assertThat(job.type()).isEqualTo(MigrationJob.Type.UNBOUNDED);
        assertThat(job.active()).isTrue();
        assertThat(job.elapsed()).isEqualTo(Duration.ofMillis(1500));
        assertThat(job.diskTotal()).isEqualTo(100);
        assertThat(job.diskProcessed()).isEqualTo(40);
        assertThat(job.memRemaining()).isEqualTo(7);
        assertThat(job.memTotal()).isEqualTo(-1);
        assertThat(job.downtime()).contains(Duration.ofMillis(35));
        assertThat(LiveMigrations.job(0, Map.of())).isEqualTo(MigrationJob.none());
    }

    @Test
    void cpumapsAndCpusets() {
        int[] map = LiveMigrations.cpumap("0-3,9", 16);
        assertThat(map).containsExactly(0x0f, 0x02);
        // libvirt-java hands the bytes over sign-extended
        assertThat(LiveMigrations.cpuset(new int[] {0, 0, (byte) 0xf0, 0x01}, 2, 2))
                .isEqualTo("4-8");
        assertThat(LiveMigrations.parseCpuset("0-7,^3").cardinality()).isEqualTo(7);
        assertThatThrownBy(() -> LiveMigrations.parseCpuset("a-b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pinningOfARunningDomainOnTheTestDriver() {
        String hv = TestDriverFleet.DEFAULT_NODE;
        List<VcpuPin> before = hypervisor.vcpuPinning(hv, "test");
        assertThat(before).isNotEmpty();
        hypervisor.pinVcpus(hv, "test", List.of(new VcpuPin(0, "1-2")));
        assertThat(hypervisor.vcpuPinning(hv, "test").get(0)).isEqualTo(new VcpuPin(0, "1-2"));
    }

    @Test
    void jobStatisticsFailNamingTheCallWhereTheDriverLacksThem() {
        // The test driver has no virDomainGetJobStats; the lab test reads real ones.
        assertThatThrownBy(() -> hypervisor.migrationJob(TestDriverFleet.DEFAULT_NODE, "test"))
                .isInstanceOf(org.igvm.api.OperationFailedException.class)
                .hasMessageContaining("could not read the job statistics of domain test")
                .hasMessageContaining("virDomainGetJobStats");
    }
}
