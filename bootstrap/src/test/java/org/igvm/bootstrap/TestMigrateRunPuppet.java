package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.CancelledException;
import org.igvm.api.IgvmException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.MigrateRequest;
import org.igvm.api.MigrationResult;
import org.igvm.api.OperationFailedException;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.transport.MigrationMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * igvm migrate --offline --run-puppet on the test driver: Puppet runs in a chroot of the moved disk,
 * mounted on the target (hv02, a {@link FakeHosts} shell), before the domain is defined there; its
 * failure or a fault anywhere leaves web01 running on hv01 and nothing mounted or left on hv02.
 */
class TestMigrateRunPuppet {
    static final String HV1 = ResizeFleet.HV1;
    static final String HV2 = ResizeFleet.HV2;
    static final String WEB01 = "web01.example.net";
    static final long WEB01_ID = 4242;
    static final String ROOT = FakeHosts.MOUNT_POINT;

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

    static MigrateRequest.Builder withPuppet() {
        return MigrateRequest.builder("web01")
                .hypervisorQuery(HV2)
                .offline(true)
                .diskTransport("testcopy")
                .runPuppet(true);
    }

    static RecordingTransport transport() {
        return new RecordingTransport("testcopy", Set.of(MigrationMode.OFFLINE));
    }

    record Snapshot(ResizeSnapshot source, Optional<DomainInfo> targetDomain, Optional<VolumeInfo> targetVolume) {}

    Snapshot snapshot() {
        return new Snapshot(
                ResizeSnapshot.of(f, HV1, WEB01), f.hypervisors().findDomain(HV2, WEB01_ID), f.volume(HV2, WEB01_ID));
    }

    List<String> onTarget() {
        return f.hosts.commands.stream()
                .filter(c -> c.startsWith(HV2 + ": "))
                .map(c -> c.substring(HV2.length() + 2))
                .toList();
    }

    /** Every mount on the target undone: binds, the disk, and the policy file removed. */
    void assertNothingMountedOnTarget(String at) {
        List<String> target = onTarget();
        long binds = target.stream().filter(c -> c.contains("mount --bind")).count();
        long unbinds = target.stream()
                .filter(c -> c.matches("if mountpoint -q \\S+; then umount \\S+; fi"))
                .count();
        assertThat(unbinds).as("%s: binds undone in %s", at, target).isGreaterThanOrEqualTo(binds);
        if (target.stream().anyMatch(c -> c.contains("mount -o loop"))) {
            String last = target.stream()
                    .filter(c -> c.contains("mount"))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(last).as("%s: the disk unmounted last in %s", at, target).contains("umount ", "rmdir ");
        }
        if (target.stream().anyMatch(c -> c.equals("put " + ROOT + "/usr/sbin/policy-rc.d"))) {
            assertThat(target).as(at).contains("rm -f " + ROOT + "/usr/sbin/policy-rc.d");
        }
    }

    @Test
    void puppetRunsInAChrootOfTheMovedDiskOnTheTargetBeforeTheDomainIsDefinedThere() {
        MigrationResult r =
                f.igvm(TestMigrateVm.registry(transport())).migrate(withPuppet().build());

        assertThat(r.target()).isEqualTo(HV2);
        assertThat(f.state(HV2, WEB01_ID)).isEqualTo(DomainState.RUNNING);
        assertThat(f.hypervisors().findDomain(HV1, WEB01_ID)).isEmpty();
        assertThat(onTarget())
                .containsSubsequence(
                        "mkdir -p " + ROOT + "/proc && if ! mountpoint -q " + ROOT + "/proc; then mount --bind /proc "
                                + ROOT + "/proc; fi",
                        "put " + ROOT + "/usr/sbin/policy-rc.d",
                        "chroot " + ROOT + " /bin/sh -c '/usr/bin/puppet agent --onetime --no-daemonize"
                                + " --detailed-exitcodes --logdest console --color false --server puppet.example.net --ca_server puppet.example.net"
                                + " --certname " + WEB01 + " --environment production'",
                        "rm -f " + ROOT + "/usr/sbin/policy-rc.d",
                        "if mountpoint -q " + ROOT + "/proc; then umount " + ROOT + "/proc; fi",
                        "umount " + ROOT + " && rmdir " + ROOT);
        assertThat(f.hosts.commands).noneMatch(c -> c.startsWith(HV1 + ": ") && c.contains("puppet"));
        assertThat(f.object(WEB01).string("hypervisor")).isEqualTo(HV2);
    }

    @Test
    void puppetFailingTwiceRollsTheMigrationBack() {
        f.hosts.failingCommand = "puppet agent";
        Snapshot before = snapshot();

        Throwable thrown = catchThrowable(() ->
                f.igvm(TestMigrateVm.registry(transport())).migrate(withPuppet().build()));

        assertThat(thrown)
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("Puppet failed for " + WEB01 + " on " + HV2 + " (exit 1 twice)");
        assertThat(onTarget()).filteredOn(c -> c.contains("puppet agent")).hasSize(2);
        assertThat(snapshot()).isEqualTo(before);
        assertNothingMountedOnTarget("puppet failing");
    }

    @Test
    void puppetDisabledOrOnlineIsRefusedBeforeAnythingChanges() {
        Snapshot before = snapshot();
        f.fleet.set(WEB01, "puppet_disabled", true);

        assertThat(catchThrowable(() -> f.igvm(TestMigrateVm.registry(transport()))
                        .migrate(withPuppet().build())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--run-puppet: Puppet is disabled for " + WEB01
                        + " (puppet_disabled); migrate without --run-puppet");
        assertThat(f.hosts.commands).isEmpty();
        assertThat(snapshot().targetVolume()).isEqualTo(before.targetVolume());
        assertThat(snapshot().targetDomain()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aFaultAtAnyStepLeavesTheVmOnItsSourceAndNothingMountedOnTheTarget(Fault fault) {
        Snapshot before = snapshot();
        int steps = 0;
        for (int n = 1; ; n++) {
            int step = n;
            f.hosts.commands.clear();
            AtomicReference<FaultAtStep> harness = new AtomicReference<>();
            RecordingTransport copy = transport();
            Throwable thrown = catchThrowable(
                    () -> f.igvm(harness, step, fault, TestMigrateVm.registry(FaultAtStep.transport(copy, harness)))
                            .migrate(withPuppet().build()));
            if (!harness.get().fired()) {
                assertThat(thrown).as("the migration without fault").isNull();
                steps = n - 1;
                break;
            }
            String at = "at step " + n + " (" + harness.get().firedAt() + ", " + fault + ")";
            if (thrown == null) {
                steps = n;
                break;
            }
            if (fault == Fault.FAIL) {
                assertThat(thrown).as(at).isInstanceOf(IgvmException.class);
            } else {
                assertThat(thrown).as(at).isInstanceOf(CancelledException.class);
            }
            assertThat(snapshot()).as(at).isEqualTo(before);
            assertNothingMountedOnTarget(at);
        }
        // the migration's ~20 steps plus the mount, three binds, the policy, Puppet and the clean-up
        assertThat(steps).isGreaterThanOrEqualTo(30);
        assertThat(f.object(WEB01).string("hypervisor")).isEqualTo(HV2);
    }
}
