package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.CancelledException;
import org.igvm.api.ChangeAddressRequest;
import org.igvm.api.ChangeResult;
import org.igvm.api.IgvmException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.RefusedException;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.inventory.AttributeUpdate;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
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
 * igvm change-address --migrate on the test driver: web01 (10.20.30.40 in net-a) runs on hv01,
 * which serves net-a only; hv02 serves net-a and net-c (10.20.50.0/24). A new address in net-c
 * moves web01 offline to hv02 with a recording transport, in one transaction with the address.
 */
class TestChangeAddressMigrate {
    static final String HV1 = ResizeFleet.HV1;
    static final String HV2 = ResizeFleet.HV2;
    static final String WEB01 = TestChangeAddress.WEB01;
    static final long WEB01_ID = 4242;
    static final String NEW_FILE = TestChangeAddress.interfaces("10.20.50.9/24", null);

    @TempDir
    Path dir;

    ResizeFleet f;

    @BeforeEach
    void fleet() throws Exception {
        f = new ResizeFleet(dir);
        f.fleet
                .inventory()
                .commit(new Commit(
                        List.of(TestChangeAddress.network(2003, "net-c", "10.20.50.0/24", 300, null)),
                        List.of(),
                        List.of()));
        f.fleet
                .inventory()
                .commit(Commit.of(new ObjectChange(
                        1002,
                        Map.of("vlan_networks", new AttributeUpdate.Multi(List.<Object>of("net-c"), List.of())))));
        f.hosts.files.put(TestChangeAddress.ADDRESS_FILE, TestChangeAddress.OLD_FILE.getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() {
        f.close();
    }

    static RecordingTransport transport() {
        return new RecordingTransport("testcopy", Set.of(MigrationMode.OFFLINE));
    }

    static ChangeAddressRequest.Builder toNetC() {
        return ChangeAddressRequest.builder("web01", "10.20.50.9")
                .offline(true)
                .migrate(true)
                .diskTransport("testcopy");
    }

    /** Both hypervisors and the inventory: what a failed change must leave as it was. */
    record Snapshot(ResizeSnapshot source, Optional<DomainInfo> targetDomain, Optional<VolumeInfo> targetVolume) {}

    Snapshot snapshot() {
        return new Snapshot(
                ResizeSnapshot.of(f, HV1, WEB01), f.hypervisors().findDomain(HV2, WEB01_ID), f.volume(HV2, WEB01_ID));
    }

    @Test
    void theVmMovesToAHypervisorOfTheNewNetworkAndRunsThereWithItsNewAddress() {
        RecordingTransport copy = transport();

        ChangeResult r = f.igvm(TestMigrateVm.registry(copy)).changeAddress(toNetC().build());

        assertThat(r)
                .extracting(ChangeResult::before, ChangeResult::after, ChangeResult::how)
                .containsExactly(
                        "10.20.30.40", "10.20.50.9", "offline, migrated from " + HV1 + " to " + HV2 + " with testcopy");
        assertThat(f.object(WEB01))
                .satisfies(vm -> assertThat(vm.string("intern_ip")).isEqualTo("10.20.50.9"))
                .satisfies(vm -> assertThat(vm.string("route_network")).isEqualTo("net-c"))
                .satisfies(vm -> assertThat(vm.string("hypervisor")).isEqualTo(HV2))
                .satisfies(vm -> assertThat(vm.state()).isEqualTo("online"))
                .satisfies(vm -> assertThat(vm.string("igvm_locked")).isNullOrEmpty());
        assertThat(f.state(HV2, WEB01_ID)).isEqualTo(DomainState.RUNNING);
        assertThat(f.hypervisors().findDomain(HV1, WEB01_ID)).isEmpty();
        assertThat(f.volume(HV1, WEB01_ID)).isEmpty();
        assertThat(f.volume(HV2, WEB01_ID)).isPresent();
        // The address went into the moved disk, on the target.
        assertThat(f.hosts.file(TestChangeAddress.ADDRESS_FILE)).isEqualTo(NEW_FILE);
        assertThat(f.hosts.commands).filteredOn(c -> c.startsWith(HV2 + ": ")).isNotEmpty();
        assertThat(f.hosts.commands).noneMatch(c -> c.startsWith(HV1 + ": ") && c.contains("mount"));
        assertThat(copy.calls).containsSubsequence("prepare", "transfer", "switch_over", "finish", "close");
    }

    @Test
    void withoutMigrateOrWithoutAServingHypervisorItIsRefusedAndNothingChanges() {
        Snapshot before = snapshot();

        Throwable noMigrate = catchThrowable(() -> f.igvm(TestMigrateVm.registry(transport()))
                .changeAddress(toNetC().migrate(false).build()));
        assertThat(noMigrate)
                .isInstanceOf(RefusedException.class)
                .hasMessage(HV1 + " does not serve route network net-c (it serves net-a); 10.20.50.9 cannot be " + WEB01
                        + "'s address there (add --migrate to move it to one that does)");
        assertThat(snapshot()).isEqualTo(before);

        f.fleet
                .inventory()
                .commit(Commit.of(new ObjectChange(
                        1002,
                        Map.of("vlan_networks", new AttributeUpdate.Multi(List.of(), List.<Object>of("net-c"))))));
        Snapshot unserved = snapshot();
        Throwable nobody =
                catchThrowable(() -> f.igvm(TestMigrateVm.registry(transport())).changeAddress(toNetC().build()));
        assertThat(nobody).isInstanceOf(IgvmException.class).hasMessageContaining("vlan_networks=net-c");
        assertThat(snapshot()).isEqualTo(unserved);

        Throwable noTransport = catchThrowable(() -> f.igvm(TestMigrateVm.registry(transport()))
                .changeAddress(toNetC().diskTransport(null).build()));
        assertThat(noTransport)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("an offline migration of a file volume needs --disk-transport");
        assertThat(snapshot()).isEqualTo(unserved);
        assertThat(f.hosts.file(TestChangeAddress.ADDRESS_FILE)).isEqualTo(TestChangeAddress.OLD_FILE);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aChangeFailingOrCancelledAtAnyStepLeavesTheVmRunningOnItsSourceWithItsOldAddress(Fault fault) {
        Snapshot before = snapshot();
        int steps = 0;
        for (int n = 1; ; n++) {
            int step = n;
            f.hosts.commands.clear();
            f.hosts.files.put(
                    TestChangeAddress.ADDRESS_FILE, TestChangeAddress.OLD_FILE.getBytes(StandardCharsets.UTF_8));
            AtomicReference<FaultAtStep> harness = new AtomicReference<>();
            RecordingTransport copy = transport();
            Throwable thrown = catchThrowable(
                    () -> f.igvm(harness, step, fault, TestMigrateVm.registry(FaultAtStep.transport(copy, harness)))
                            .changeAddress(toNetC().build()));
            if (!harness.get().fired()) {
                assertThat(thrown).as("the change without fault").isNull();
                steps = n - 1;
                break;
            }
            String at = "at step " + n + " (" + harness.get().firedAt() + ", " + fault + ")";
            if (thrown == null) {
                // At or after the inventory commit: the change is done and finishes its clean-up.
                steps = n;
                break;
            }
            if (fault == Fault.FAIL) {
                assertThat(thrown).as(at).isInstanceOf(IgvmException.class);
                assertThat(thrown.getMessage()).as(at).contains("injected failure at step " + n);
            } else {
                assertThat(thrown).as(at).isInstanceOf(CancelledException.class);
            }
            assertThat(snapshot()).as(at).isEqualTo(before);
            // The source's disk is never mounted (its address file stays); the target's copy, gone
            // with its volume, was unmounted again.
            assertThat(f.hosts.commands).as(at).noneMatch(c -> c.startsWith(HV1 + ": ") && c.contains("mount"));
            List<String> targetMounts = f.hosts.commands.stream()
                    .filter(c -> c.startsWith(HV2 + ": ") && c.contains("mount"))
                    .toList();
            if (!targetMounts.isEmpty()) {
                assertThat(targetMounts)
                        .as(at)
                        .last()
                        .asString()
                        .contains("umount ")
                        .contains("rmdir ");
            }
            if (copy.calls.contains("create") && !copy.calls.contains("finished")) {
                assertThat(copy.calls).as(at).contains("abort");
            }
        }
        // lock, network checks, the migration's ~20 steps, the address on the target's disk ...
        assertThat(steps).isGreaterThanOrEqualTo(20);
        assertThat(f.object(WEB01).string("hypervisor")).isEqualTo(HV2);
        assertThat(f.object(WEB01).string("intern_ip")).isEqualTo("10.20.50.9");
        assertThat(f.hosts.file(TestChangeAddress.ADDRESS_FILE)).isEqualTo(NEW_FILE);
    }
}
