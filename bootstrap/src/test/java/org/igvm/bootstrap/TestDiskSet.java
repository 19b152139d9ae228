package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.CancelledException;
import org.igvm.api.ChangeResult;
import org.igvm.api.DiskSetRequest;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.api.OutOfSyncException;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * igvm disk-set on the test driver: web01 (running, 10 GiB) and db01 (shut off, 20 GiB) on hv01.
 * The driver cannot resize volumes or block devices; {@link DriverGaps} records those and shows
 * the new capacity, {@link FakeHosts} stands for the guest's and the hypervisor's shells.
 */
class TestDiskSet {
    static final String HV = ResizeFleet.HV1;
    static final String WEB01 = "web01.example.net";
    static final String DB01 = "db01.example.net";
    static final long GIB = VolumeInfo.GIB;

    @TempDir
    Path dir;

    ResizeFleet f;

    @BeforeEach
    void fleet() throws Exception {
        f = new ResizeFleet(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    ResizeSnapshot snapshot() {
        return ResizeSnapshot.of(f, HV, WEB01);
    }

    @Test
    void aRunningVmsDiskGrowsLiveWithItsFileSystem() {
        ChangeResult r = f.igvm().diskSet(new DiskSetRequest("web01", "+5"));

        assertThat(r)
                .extracting(ChangeResult::before, ChangeResult::after, ChangeResult::how)
                .containsExactly("10", "15", "live");
        assertThat(f.gaps.calls)
                .containsExactly(
                        "resizeVolume 4242_web01.example.net " + 15 * GIB,
                        "resizeDisk 4242_web01.example.net vda " + 15 * GIB);
        assertThat(f.volume(HV, 4242).orElseThrow().capacityGiB()).isEqualTo(15);
        assertThat(f.hosts.commands).contains("10.20.30.40: xfs_growfs /");
        assertThat(f.hosts.rootBytes).containsEntry(4242L, 15 * GIB);
        assertThat(f.state(HV, 4242)).isEqualTo(DomainState.RUNNING);
        assertThat(f.object(WEB01).integer("disk_size_gib")).isEqualTo(15);
        assertThat(f.object(WEB01).string("igvm_locked")).isNullOrEmpty();
    }

    @Test
    void aStoppedVmsDiskAndFileSystemGrowOnTheHypervisor() {
        ChangeResult r = f.igvm().diskSet(new DiskSetRequest("db01", "25GiB"));

        assertThat(r.how()).isEqualTo("stopped");
        assertThat(f.volume(HV, 4243).orElseThrow().capacityGiB()).isEqualTo(25);
        String mp = FakeHosts.MOUNT_POINT;
        assertThat(f.hosts.commands)
                .containsExactly(
                        HV + ": mktemp -d /tmp/igvm-mount.XXXXXX",
                        HV + ": if [ -b /var/lib/libvirt/images/xen-data/4243_db01.example.net ]; then mount"
                                + " /var/lib/libvirt/images/xen-data/4243_db01.example.net " + mp
                                + "; else mount -o loop /var/lib/libvirt/images/xen-data/4243_db01.example.net "
                                + mp + "; fi",
                        HV + ": xfs_growfs " + mp,
                        HV + ": umount " + mp + " && rmdir " + mp);
        assertThat(f.state(HV, 4243)).isEqualTo(DomainState.SHUTOFF);
        assertThat(f.object(DB01).integer("disk_size_gib")).isEqualTo(25);
    }

    @Test
    void theSameSizeWarnsAndChangesNothing() {
        ResizeSnapshot before = snapshot();

        ChangeResult r = f.igvm().diskSet(new DiskSetRequest("web01", "10240M"));

        assertThat(r.changed()).isFalse();
        assertThat(r.warnings()).containsExactly(WEB01 + "'s disk already has 10 GiB; nothing changed");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void shrinkingPointsAtAnOfflineMigration() {
        ResizeSnapshot before = snapshot();

        assertThat(catchThrowable(() -> f.igvm().diskSet(new DiskSetRequest("web01", "-1"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("disk-set only grows disks: " + WEB01 + " has 10 GiB, 9 GiB would shrink it; to"
                        + " shrink, move it to a smaller disk with an offline migration (igvm migrate " + WEB01
                        + " --offline)");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8", "0", "-20", "1.5", "10.5G", "big", "", "+10T"})
    void badSizesAreRefusedAndChangeNothing(String size) {
        ResizeSnapshot before = snapshot();

        Throwable thrown = catchThrowable(() -> f.igvm().diskSet(new DiskSetRequest("web01", size)));

        assertThat(thrown).isInstanceOf(InvalidInputException.class);
        assertThat(thrown.getMessage()).doesNotContain("\n");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.gaps.calls).isEmpty();
    }

    @Test
    void anOutOfSyncVmIsRefused() {
        f.fleet.set(WEB01, "disk_size_gib", 12L);
        ResizeSnapshot before = snapshot();

        assertThat(catchThrowable(() -> f.igvm().diskSet(new DiskSetRequest("web01", "20"))))
                .isInstanceOf(OutOfSyncException.class)
                .hasMessageStartingWith(WEB01 + " is out of sync: disk_size_gib 12 (inventory) != 10 (actual)");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aFailingBlockResizeShrinksTheVolumeBack() {
        f.gaps.failing = "resizeDisk";
        ResizeSnapshot before = snapshot();

        assertThat(catchThrowable(() -> f.igvm().diskSet(new DiskSetRequest("web01", "+5"))))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("injected failure");
        assertThat(f.gaps.calls)
                .containsExactly(
                        "resizeVolume 4242_web01.example.net " + 15 * GIB,
                        "resizeVolume 4242_web01.example.net " + 10 * GIB);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aFailingGrowthOfTheMountedFileSystemSaysWhatStateTheDiskIsIn() {
        f.hosts.failingCommand = "xfs_growfs";

        assertThat(catchThrowable(() -> f.igvm().diskSet(new DiskSetRequest("db01", "25"))))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith(DB01 + "'s volume has 25 GiB now, but growing its file system failed");
        // unmounted, the volume left grown, inventory untouched, no lock
        assertThat(f.hosts.commands).last().asString().contains("umount " + FakeHosts.MOUNT_POINT);
        assertThat(f.volume(HV, 4243).orElseThrow().capacityGiB()).isEqualTo(25);
        assertThat(f.object(DB01).integer("disk_size_gib")).isEqualTo(20);
        assertThat(f.object(DB01).string("igvm_locked")).isNullOrEmpty();
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CANCEL_THEN_PROCEED", "CANCEL_THEN_RAISE"})
    void aLiveGrowthCancelledBeforeTheFileSystemGrowsLeavesTheVmAsItWas(Fault then) {
        ResizeSnapshot before = snapshot();
        int steps = 0;
        for (int n = 1; ; n++) {
            int step = n;
            AtomicReference<FaultAtStep> harness = new AtomicReference<>();
            Throwable thrown =
                    catchThrowable(() -> f.igvm(harness, step, then).diskSet(new DiskSetRequest("web01", "12")));
            if (!harness.get().fired()) {
                assertThat(thrown).as("the uncancelled change").isNull();
                steps = n - 1;
                break;
            }
            String at = "cancelled at step " + n + " (" + harness.get().firedAt() + ", " + then + ")";
            if (f.hosts.commands.contains("10.20.30.40: xfs_growfs /")
                    // xfs_growfs killed as it started: it may have grown the file system
                    || (thrown != null && thrown.getMessage().contains("run igvm sync "))) {
                // Past xfs_growfs nothing is undone: the error (if any) says the disk is grown.
                steps = n;
                if (thrown != null) {
                    assertThat(thrown.getMessage()).as(at).contains("run igvm sync " + WEB01);
                }
                break;
            }
            assertThat(thrown).as(at).isInstanceOf(CancelledException.class);
            assertThat(snapshot()).as(at).isEqualTo(before);
            assertThat(f.state(HV, 4242)).as(at).isEqualTo(DomainState.RUNNING);
        }
        assertThat(steps).isGreaterThanOrEqualTo(8);
        assertThat(f.volume(HV, 4242).orElseThrow().capacityGiB()).isEqualTo(12);
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CANCEL_THEN_PROCEED", "CANCEL_THEN_RAISE"})
    void aStoppedGrowthCancelledBeforeTheFileSystemGrowsLeavesTheVmAsItWas(Fault then) {
        ResizeSnapshot before = ResizeSnapshot.of(f, HV, DB01);
        int steps = 0;
        for (int n = 1; ; n++) {
            int step = n;
            AtomicReference<FaultAtStep> harness = new AtomicReference<>();
            f.hosts.commands.clear();
            Throwable thrown =
                    catchThrowable(() -> f.igvm(harness, step, then).diskSet(new DiskSetRequest("db01", "21")));
            if (!harness.get().fired()) {
                assertThat(thrown).as("the uncancelled change").isNull();
                steps = n - 1;
                break;
            }
            String at = "cancelled at step " + n + " (" + harness.get().firedAt() + ", " + then + ")";
            // whatever happened, nothing stays mounted
            if (f.hosts.commands.stream().anyMatch(c -> c.contains("mount -o loop"))) {
                assertThat(f.hosts.commands).as(at).last().asString().contains("umount " + FakeHosts.MOUNT_POINT);
            }
            if (f.hosts.commands.contains(HV + ": xfs_growfs " + FakeHosts.MOUNT_POINT)
                    // xfs_growfs killed as it started: it may have grown the file system
                    || (thrown != null && thrown.getMessage().contains("run igvm sync "))) {
                steps = n;
                if (thrown != null) {
                    assertThat(thrown.getMessage()).as(at).contains("run igvm sync " + DB01);
                }
                break;
            }
            assertThat(thrown).as(at).isInstanceOf(CancelledException.class);
            assertThat(ResizeSnapshot.of(f, HV, DB01)).as(at).isEqualTo(before);
        }
        assertThat(steps).isGreaterThanOrEqualTo(6);
        assertThat(f.volume(HV, 4243).orElseThrow().capacityGiB()).isEqualTo(21);
        assertThat(f.state(HV, 4243)).isEqualTo(DomainState.SHUTOFF);
    }
}
