package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.igvm.api.AttributeDifference;
import org.igvm.api.ConflictException;
import org.igvm.api.DeleteRequest;
import org.igvm.api.Igvm;
import org.igvm.api.InvalidInputException;
import org.igvm.api.NotFoundException;
import org.igvm.api.OutOfSyncException;
import org.igvm.api.RefusedException;
import org.igvm.api.RestartRequest;
import org.igvm.api.StopRequest;
import org.igvm.api.SyncReport;
import org.igvm.api.UnreachableException;
import org.igvm.api.VmInfo;
import org.igvm.api.VmStatus;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle commands through the embedding API, on a real SQLite inventory and libvirt's test
 * driver. Every test reads the effects back: domain state and definition from libvirt, volumes from
 * the pool, values and locks from the inventory.
 */
class TestLifecycleCommands {
    static final String HV1 = "hv01.example.net";
    static final long WEB01 = 4242;
    static final long DB01 = 4243;

    @TempDir
    Path dir;

    TestFleet fleet;
    Igvm igvm;

    @BeforeEach
    void createFleet() throws Exception {
        fleet = TestFleet.create(dir, Map.of());
        igvm = fleet.runtime.igvm();
    }

    @AfterEach
    void closeFleet() {
        fleet.close();
    }

    @Test
    void infoShowsWhatTheHypervisorHas() {
        VmInfo web01 = igvm.info("web01");
        assertThat(web01.hostname()).isEqualTo("web01.example.net");
        assertThat(web01.hypervisor()).isEqualTo(HV1);
        assertThat(web01.status()).isEqualTo(VmStatus.RUNNING);
        assertThat(web01.numCpu()).isEqualTo(2);
        assertThat(web01.memoryMiB()).isEqualTo(2048);
        assertThat(web01.diskGiB()).isEqualTo(10);
        assertThat(web01.internIp()).isEqualTo("10.20.30.40");
        assertThat(igvm.info("db01.example.net").status()).isEqualTo(VmStatus.STOPPED);
        VmInfo new01 = igvm.info("new01");
        assertThat(new01.status()).isEqualTo(VmStatus.NEW);
        assertThat(new01.hypervisor()).isNull();
    }

    @Test
    void stopShutsTheDomainDownAndStartPowersItOn() {
        igvm.stop(StopRequest.builder("web01").build());
        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.SHUTOFF);
        assertUnlocked("web01.example.net");

        igvm.start("web01");
        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);
        assertUnlocked("web01.example.net");
    }

    @Test
    void forcedStopDestroysTheDomain() {
        igvm.stop(StopRequest.builder("web01").force(true).build());
        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.SHUTOFF);
    }

    @Test
    void startingARunningVmIsRefusedAndLeavesNoLock() {
        assertThatThrownBy(() -> igvm.start("web01"))
                .isInstanceOf(RefusedException.class)
                .hasMessage("web01.example.net is already running on hv01.example.net");
        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);
        assertUnlocked("web01.example.net");
    }

    @Test
    void stoppingAStoppedVmIsRefused() {
        assertThatThrownBy(() -> igvm.stop(StopRequest.builder("db01").build()))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("already stopped");
        assertUnlocked("db01.example.net");
    }

    @Test
    void aRetiredVmIsRefusedButCanStillBeStopped() {
        fleet.set("web01.example.net", "state", "retired");
        assertThatThrownBy(() -> igvm.restart(RestartRequest.builder("web01").build()))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("retired");
        assertThatThrownBy(() -> igvm.info("web01")).isInstanceOf(RefusedException.class);
        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);

        igvm.stop(StopRequest.builder("web01").build());
        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.SHUTOFF);
    }

    @Test
    void aVmWithoutHypervisorIsRefused() {
        assertThatThrownBy(() -> igvm.start("new01"))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("new01.example.net has no hypervisor");
        assertUnlocked("new01.example.net");
    }

    @Test
    void unknownAndAmbiguousNamesAreErrorsNamingTheCandidates() {
        assertThatThrownBy(() -> igvm.start("nosuchvm"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("no VM named 'nosuchvm'");
        fleet.inventory()
                .commit(new Commit(
                        java.util.List.of(Map.of(
                                "servertype",
                                "vm",
                                "hostname",
                                "web01.other.net",
                                "state",
                                "online",
                                "object_id",
                                4299L)),
                        java.util.List.of(),
                        java.util.List.of()));
        assertThatThrownBy(() -> igvm.info("web01"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("web01.example.net")
                .hasMessageContaining("web01.other.net");
        assertThat(igvm.info("web01.example.net").status()).isEqualTo(VmStatus.RUNNING);
    }

    @Test
    void restartRedefinesTheDomainFromTheInventory() {
        assertThat(fleet.hypervisors().definitionXml(HV1, "4242_web01.example.net"))
                .doesNotContain("ca:fe:01");

        String uuid = fleet.domain(HV1, WEB01).uuid();

        igvm.restart(RestartRequest.builder("web01").build());

        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);
        assertThat(fleet.domain(HV1, WEB01).uuid()).as("redefined in place").isEqualTo(uuid);
        String xml = fleet.hypervisors().definitionXml(HV1, "4242_web01.example.net");
        assertThat(xml).contains("ca:fe:01:92:10:00").contains("<maxMemory").contains("Haswell-noTSX");
        assertUnlocked("web01.example.net");
    }

    @Test
    void restartOfARenamedVmGivesItsDomainTheNewUidName() {
        fleet.set("web01.example.net", "hostname", "web01-new.example.net");

        igvm.restart(RestartRequest.builder("web01-new").build());

        assertThat(fleet.domain(HV1, WEB01).name()).isEqualTo("4242_web01-new.example.net");
        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);
        assertThat(fleet.hypervisors().domains(HV1)).extracting(d -> d.name()).doesNotContain("4242_web01.example.net");
    }

    @Test
    void restartWithoutRedefineKeepsTheDefinition() {
        String before = fleet.hypervisors().definitionXml(HV1, "4242_web01.example.net");
        igvm.restart(RestartRequest.builder("web01").force(true).redefine(false).build());
        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);
        assertThat(fleet.hypervisors().definitionXml(HV1, "4242_web01.example.net"))
                .isEqualTo(before);
    }

    @Test
    void restartRefusesAnOutOfSyncVmAndChangesNothing() {
        fleet.set("web01.example.net", "memory", 4096L);
        String before = fleet.hypervisors().definitionXml(HV1, "4242_web01.example.net");

        assertThatThrownBy(() -> igvm.restart(RestartRequest.builder("web01").build()))
                .isInstanceOf(OutOfSyncException.class)
                .hasMessageContaining("memory 4096 (inventory) != 2048 (actual)");

        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);
        assertThat(fleet.hypervisors().definitionXml(HV1, "4242_web01.example.net"))
                .isEqualTo(before);
        assertThat(fleet.object("web01.example.net").integer("memory")).isEqualTo(4096);
        assertUnlocked("web01.example.net");
    }

    @Test
    void restartThatFailsAfterStoppingStartsTheVmAgainWithItsOldDefinition() {
        String before = fleet.hypervisors().definitionXml(HV1, "4242_web01.example.net");
        // The new definition cannot be built: the hypervisor's hardware model has no CPU family.
        fleet.set(HV1, "hardware_model", "Unknown_Box");

        assertThatThrownBy(() -> igvm.restart(RestartRequest.builder("web01").build()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Unknown_Box");

        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);
        assertThat(fleet.hypervisors().definitionXml(HV1, "4242_web01.example.net"))
                .isEqualTo(before);
        assertUnlocked("web01.example.net");
    }

    @Test
    void defineCreatesTheDomainOfAnExistingVolumeAndStartsIt() {
        fleet.hypervisors().undefine(HV1, "4243_db01.example.net");

        igvm.define("db01");

        assertThat(fleet.domain(HV1, DB01).state()).isEqualTo(DomainState.RUNNING);
        assertThat(fleet.domain(HV1, DB01).memoryMiB()).isEqualTo(4096);
        assertThat(fleet.domain(HV1, DB01).vcpus()).isEqualTo(4);
        assertThat(fleet.hypervisors().definitionXml(HV1, "4243_db01.example.net"))
                .contains("4243_db01.example.net")
                .contains("<tag id=\"100\"/>".replace('"', '\''));
        assertUnlocked("db01.example.net");
    }

    @Test
    void defineRefusesAnAlreadyDefinedVm() {
        String before = fleet.hypervisors().definitionXml(HV1, "4243_db01.example.net");
        assertThatThrownBy(() -> igvm.define("db01"))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("already defined");
        assertThat(fleet.hypervisors().definitionXml(HV1, "4243_db01.example.net"))
                .isEqualTo(before);
        assertThat(fleet.domain(HV1, DB01).state()).isEqualTo(DomainState.SHUTOFF);
    }

    @Test
    void defineWithoutVolumeFailsAndDefinesNothing() {
        fleet.hypervisors().undefine(HV1, "4243_db01.example.net");
        fleet.hypervisors().deleteVolume(HV1, "xen-data", "4243_db01.example.net");

        assertThatThrownBy(() -> igvm.define("db01"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("has no volume in pool xen-data");
        assertThat(fleet.hypervisors().findDomain(HV1, DB01)).isEmpty();
        assertUnlocked("db01.example.net");
    }

    @Test
    void deleteRefusesARunningVmAndChangesNothing() {
        assertThatThrownBy(() -> igvm.delete(DeleteRequest.builder("web01").build()))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("is running");
        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);
        assertThat(fleet.hypervisors().findVolume(HV1, "xen-data", WEB01)).isPresent();
        assertThat(fleet.exists("web01.example.net")).isTrue();
        assertUnlocked("web01.example.net");
    }

    @Test
    void deleteRemovesDomainVolumeAndInventoryObject() {
        igvm.delete(DeleteRequest.builder("db01").build());
        assertThat(fleet.hypervisors().findDomain(HV1, DB01)).isEmpty();
        assertThat(fleet.hypervisors().findVolume(HV1, "xen-data", DB01)).isEmpty();
        assertThat(fleet.exists("db01.example.net")).isFalse();
    }

    @Test
    void deleteWithRetireKeepsTheObjectRetiredWithoutHypervisor() {
        igvm.delete(DeleteRequest.builder("db01").retire(true).build());
        assertThat(fleet.hypervisors().findDomain(HV1, DB01)).isEmpty();
        assertThat(fleet.hypervisors().findVolume(HV1, "xen-data", DB01)).isEmpty();
        ServerObject db01 = fleet.object("db01.example.net");
        assertThat(db01.state()).isEqualTo("retired");
        assertThat(db01.isEmpty("hypervisor")).isTrue();
        assertUnlocked("db01.example.net");
    }

    @Test
    void syncCopiesTheActualValuesIntoTheInventory() {
        fleet.set("web01.example.net", "memory", 4096L);
        fleet.set("web01.example.net", "num_cpu", 8L);

        SyncReport report = igvm.sync("web01");

        assertThat(report.changes())
                .containsExactly(
                        new AttributeDifference("num_cpu", "8", "2"),
                        new AttributeDifference("memory", "4096", "2048"));
        ServerObject web01 = fleet.object("web01.example.net");
        assertThat(web01.integer("num_cpu")).isEqualTo(2);
        assertThat(web01.integer("memory")).isEqualTo(2048);
        assertThat(web01.integer("disk_size_gib")).isEqualTo(10);
        assertUnlocked("web01.example.net");
    }

    @Test
    void syncOfAnAgreeingVmChangesNothing() {
        assertThat(igvm.sync("web01").changedAnything()).isFalse();
        assertThat(fleet.object("web01.example.net").integer("memory")).isEqualTo(2048);
    }

    @Test
    void aVmLockedByAnotherIgvmIsNotTouched() {
        ServerObject web01 = fleet.object("web01.example.net");
        fleet.inventory()
                .commit(Commit.of(ObjectChange.set(web01.objectId(), "igvm_locked", null, "2026-11-26 03:00:00+0000")
                        .and("igvm_locked_by", null, "bob@elsewhere pid 99")));

        assertThatThrownBy(
                        () -> igvm.stop(StopRequest.builder("web01").force(true).build()))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("already being worked on by another igvm")
                .hasMessageContaining("bob@elsewhere pid 99");

        assertThat(fleet.domain(HV1, WEB01).state()).isEqualTo(DomainState.RUNNING);
        assertThat(fleet.object("web01.example.net").string("igvm_locked_by")).isEqualTo("bob@elsewhere pid 99");
    }

    @Test
    void anUnreachableHypervisorIsReportedAndTheInventoryStaysUntouched() throws Exception {
        fleet.close();
        fleet = TestFleet.create(dir.resolve("second"), Map.of("hv02.example.net", "qemu+tcp://127.0.0.1:1/system"));
        igvm = fleet.runtime.igvm();
        ServerObject before = fleet.object("web02.example.net");

        assertThatThrownBy(() -> igvm.stop(StopRequest.builder("web02").build()))
                .isInstanceOf(UnreachableException.class)
                .hasMessageContaining("hv02.example.net is unreachable");

        assertThat(fleet.object("web02.example.net")).isEqualTo(before);
    }

    private void assertUnlocked(String hostname) {
        ServerObject o = fleet.object(hostname);
        assertThat(o.isEmpty("igvm_locked")).as("%s is still locked", hostname).isTrue();
        assertThat(o.isEmpty("igvm_locked_by")).isTrue();
    }
}
