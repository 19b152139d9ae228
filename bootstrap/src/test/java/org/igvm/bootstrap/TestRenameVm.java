package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.BuildProgress;
import org.igvm.api.BuildRequest;
import org.igvm.api.CancelledException;
import org.igvm.api.ConflictException;
import org.igvm.api.IgvmException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.api.OutOfSyncException;
import org.igvm.api.RefusedException;
import org.igvm.api.RenameRequest;
import org.igvm.api.RenameResult;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.build.GuestRootFiles;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * igvm rename on libvirt's test driver, the hosts faked by {@link BuildHosts}: new01 is built on
 * hv02 first (its volume holds its name files, the CA its certificate), then renamed to new07.
 * The test driver's directory pool has no files: the fake hypervisor's {@code mv} of the volume
 * renames it in the driver.
 */
class TestRenameVm {
    static final String HV = BuildFleet.HV2;
    static final long ID = BuildFleet.NEW01_ID;
    static final String OLD = BuildFleet.NEW01;
    static final String NEW = "new07.example.net";
    static final String OLD_UID = ID + "_" + OLD;
    static final String NEW_UID = ID + "_" + NEW;
    static final String POOL_DIR = "/var/lib/libvirt/images/xen-data/";

    @TempDir
    Path dir;

    BuildFleet f;

    @BeforeEach
    void builtVm() throws Exception {
        f = new BuildFleet(dir);
        f.build().run(BuildRequest.builder("new01").build(), BuildProgress.none());
        f.hosts.commands.clear();
        f.hosts.puppetRuns.clear();
    }

    @AfterEach
    void close() {
        f.close();
    }

    RenameSnapshot snapshot() {
        return RenameSnapshot.of(f, HV, ID);
    }

    static RenameRequest.Builder to(String name) {
        return RenameRequest.builder("new01", name).offline(true);
    }

    String guestFile(String vmPath) {
        return f.hosts.volumeFile(f.volume(HV, ID).orElseThrow().path(), vmPath);
    }

    @Test
    void theVmCarriesTheNewNameOnTheHypervisorInTheGuestInPuppetAndInTheInventory() {
        String oldPath = f.volume(HV, ID).orElseThrow().path();

        RenameResult r = f.igvm().rename(to(NEW).build());

        assertThat(r).isEqualTo(new RenameResult(OLD, NEW, HV, NEW_UID, NEW_UID, "offline", List.of()));
        // domain and volume under the new uid name only, the domain on the renamed volume
        DomainInfo domain = f.domain(HV, ID).orElseThrow();
        assertThat(domain.name()).isEqualTo(NEW_UID);
        assertThat(domain.state()).isEqualTo(DomainState.RUNNING);
        assertThat(f.hypervisors().domains(HV)).extracting(DomainInfo::name).doesNotContain(OLD_UID);
        VolumeInfo volume = f.volume(HV, ID).orElseThrow();
        assertThat(volume.name()).isEqualTo(NEW_UID);
        assertThat(volume.path()).isEqualTo(POOL_DIR + NEW_UID);
        assertThat(volume.capacityBytes()).isEqualTo(10 * VolumeInfo.GIB);
        assertThat(f.hypervisors().definitionXml(HV, NEW_UID))
                .contains("volume='" + NEW_UID + "'")
                .doesNotContain(OLD);
        assertThat(f.hosts.commands).contains(HV + ": mv -n -T " + oldPath + " " + POOL_DIR + NEW_UID);
        // the guest's name files, its other files moved along with the volume
        assertThat(guestFile(GuestRootFiles.HOSTNAME)).isEqualTo(NEW + "\n");
        assertThat(guestFile(GuestRootFiles.MAILNAME)).isEqualTo(NEW + "\n");
        assertThat(guestFile(GuestRootFiles.HOSTS)).isEqualTo("127.0.0.1 localhost\n10.20.30.50 " + NEW + " new07\n");
        assertThat(guestFile(GuestRootFiles.FSTAB)).isEqualTo("/dev/vda / xfs defaults 0 1\n");
        assertThat(f.hosts.files.keySet()).noneMatch(k -> k.startsWith("volume:" + oldPath + "/"));
        // Puppet ran once for the new certname, as a build runs it; the old certificate is gone
        assertThat(f.hosts.puppetRuns).singleElement().satisfies(run -> {
            assertThat(run.command())
                    .contains("--certname " + NEW)
                    .contains("--server puppet.example.net --ca_server puppet.example.net")
                    .endsWith(" --environment production");
            assertThat(run.policyBlocksServices()).isTrue();
            assertThat(run.bindsMounted()).isTrue();
        });
        assertThat(f.hosts.certificates).containsExactly(NEW);
        assertThat(f.hosts.commands)
                .last()
                .asString()
                .isEqualTo(BuildHosts.CA + ": puppetserver ca clean --certname " + OLD);
        // the inventory; no lock, mount, bind or temporary directory left
        assertThat(f.fleet.exists(OLD)).isFalse();
        assertThat(f.object(NEW).objectId()).isEqualTo(ID);
        assertThat(f.object(NEW).string("igvm_locked")).isNullOrEmpty();
        assertThat(f.hosts.mounts).isEmpty();
        assertThat(f.hosts.binds).isEmpty();
        assertThat(f.hosts.tempDirs).isEmpty();
    }

    @Test
    void debugPuppetAddsDebugAndAFailingFirstRunIsRetriedOnce() {
        f.hosts.puppetExits.add(1);

        f.igvm().rename(to(NEW).debugPuppet(true).build());

        assertThat(f.hosts.puppetRuns).hasSize(2).allSatisfy(run -> assertThat(run.command())
                .contains("--certname " + NEW)
                .endsWith(" --debug"));
        assertThat(f.domain(HV, ID).orElseThrow().name()).isEqualTo(NEW_UID);
    }

    @Test
    void aStoppedVmIsRenamedAndStaysStopped() {
        f.hypervisors().destroy(HV, OLD_UID);

        RenameResult r = f.igvm().rename(to(NEW).build());

        assertThat(r.how()).isEqualTo("stopped");
        assertThat(f.domain(HV, ID).orElseThrow())
                .extracting(DomainInfo::name, DomainInfo::state)
                .containsExactly(NEW_UID, DomainState.SHUTOFF);
        assertThat(f.volume(HV, ID).orElseThrow().name()).isEqualTo(NEW_UID);
        assertThat(f.object(NEW).objectId()).isEqualTo(ID);
    }

    @Test
    void anLvmPoolsVolumeIsRenamedWithLvrenameInItsVolumeGroup() {
        f.poolType = "logical";

        f.igvm().rename(to(NEW).build());

        // the pool's directory plays /dev/<volume group>: its last part is the group
        assertThat(f.hosts.commands).contains(HV + ": lvrename xen-data " + OLD_UID + " " + NEW_UID);
        assertThat(f.hosts.commands).noneMatch(c -> c.contains(" mv "));
        assertThat(f.volume(HV, ID).orElseThrow().name()).isEqualTo(NEW_UID);
        assertThat(f.domain(HV, ID).orElseThrow().name()).isEqualTo(NEW_UID);
    }

    @Test
    void aPoolIgvmCannotRenameInIsRefusedBeforeAnythingChanges() {
        f.poolType = "iscsi";
        RenameSnapshot before = snapshot();

        Throwable thrown = catchThrowable(() -> f.igvm().rename(to(NEW).build()));

        assertThat(thrown)
                .isInstanceOf(RefusedException.class)
                .hasMessage("cannot rename volume " + OLD_UID + " in pool xen-data on " + HV
                        + ": igvm renames volumes in pools of type dir, fs, netfs and logical, not iscsi");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.hosts.commands).isEmpty();
    }

    @Test
    void aVmLockedByAnotherIgvmIsNotRenamed() {
        String now = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssZ")
                .withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now());
        f.fleet
                .inventory()
                .commit(Commit.of(ObjectChange.set(ID, "igvm_locked", null, now)
                        .and("igvm_locked_by", null, "bob@elsewhere pid 99")));
        RenameSnapshot before = snapshot();

        Throwable thrown = catchThrowable(() -> f.igvm().rename(to(NEW).build()));

        assertThat(thrown)
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("already being worked on by another igvm")
                .hasMessageContaining("bob@elsewhere pid 99");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.hosts.commands).isEmpty();
    }

    @Test
    void puppetFailingTwiceRestoresTheOldNameEverywhereAndCleansTheNewCertificate() {
        RenameSnapshot before = snapshot();
        f.hosts.puppetExits.add(1);
        f.hosts.puppetExits.add(6);

        Throwable thrown = catchThrowable(() -> f.igvm().rename(to(NEW).build()));

        assertThat(thrown)
                .isInstanceOf(OperationFailedException.class)
                .hasMessageStartingWith("Puppet failed for " + NEW + " on " + HV + " (exit 6 twice)");
        assertThat(f.hosts.puppetRuns).hasSize(2);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.hosts.certificates).containsExactly(OLD);
    }

    @Test
    void aFailingCleanOfTheOldCertificateIsAWarningNamingTheCommand() {
        f.hosts.caFailsFor.add(OLD);

        RenameResult r = f.igvm().rename(to(NEW).build());

        assertThat(r.warnings())
                .singleElement()
                .asString()
                .startsWith("the old certificate of " + OLD + " is still on " + BuildHosts.CA + " (")
                .endsWith("; clean it with: igvm clean-cert " + OLD + " --ca " + BuildHosts.CA);
        assertThat(f.domain(HV, ID).orElseThrow().name()).isEqualTo(NEW_UID);
        assertThat(f.object(NEW).objectId()).isEqualTo(ID);
        assertThat(f.hosts.certificates).containsExactlyInAnyOrder(OLD, NEW);
    }

    /** A refusal: with {@code attribute} set, new01's attribute is set to {@code value} first (and back after). */
    record Refusal(
            String why,
            String attribute,
            Object value,
            RenameRequest request,
            Class<? extends IgvmException> error,
            String message) {}

    static final String LEFTOVER_FILE = "a file at the new volume path";

    @Test
    void refusalsAreOneLineAndChangeNothing() {
        List<Refusal> refusals = List.of(
                new Refusal(
                        "no --offline",
                        null,
                        null,
                        RenameRequest.builder("new01", NEW).build(),
                        InvalidInputException.class,
                        "rename needs --offline: the VM is shut down while it is renamed"),
                new Refusal(
                        "an invalid name",
                        null,
                        null,
                        to("New07.example.net").build(),
                        InvalidInputException.class,
                        "invalid new hostname 'New07.example.net': it must match ^[a-z][a-z0-9.-]+$ (lower-case"
                                + " letters, digits, dots and dashes, a letter first)"),
                new Refusal(
                        "a name hostile to shells",
                        null,
                        null,
                        to("x;touch /tmp/igvm-hostile").build(),
                        InvalidInputException.class,
                        "invalid new hostname 'x;touch /tmp/igvm-hostile'"),
                new Refusal(
                        "the same name",
                        null,
                        null,
                        to(OLD).build(),
                        InvalidInputException.class,
                        OLD + " already has that name"),
                new Refusal(
                        "a name another VM has",
                        null,
                        null,
                        to("web01.example.net").build(),
                        ConflictException.class,
                        "web01.example.net is already taken by object 4242 (vm); choose another name"),
                new Refusal(
                        "a name a hypervisor has",
                        null,
                        null,
                        to("hv01.example.net").build(),
                        ConflictException.class,
                        "hv01.example.net is already taken by object 1001 (hypervisor)"),
                new Refusal(
                        "something at the new volume path",
                        LEFTOVER_FILE,
                        null,
                        to(NEW).build(),
                        RefusedException.class,
                        POOL_DIR + NEW_UID + " already exists on " + HV + "; move it away before renaming to "
                                + NEW_UID),
                new Refusal(
                        "puppet_disabled",
                        "puppet_disabled",
                        true,
                        to(NEW).build(),
                        RefusedException.class,
                        OLD + " has puppet_disabled set; rename runs Puppet for the new name and needs it enabled"),
                new Refusal(
                        "no puppet_master",
                        "puppet_master",
                        null,
                        to(NEW).build(),
                        InvalidInputException.class,
                        OLD + " has no puppet_master; a rename runs Puppet and needs it"),
                new Refusal(
                        "no puppet_ca",
                        "puppet_ca",
                        null,
                        to(NEW).build(),
                        InvalidInputException.class,
                        OLD + " has no puppet_ca; a rename runs Puppet and needs it"),
                new Refusal(
                        "out of sync",
                        "memory",
                        4096L,
                        to(NEW).build(),
                        OutOfSyncException.class,
                        OLD + " is out of sync: memory 4096 (inventory) != 2048 (actual)"),
                new Refusal(
                        "retired",
                        "state",
                        "retired",
                        to(NEW).build(),
                        RefusedException.class,
                        OLD + " is retired; rename refuses retired VMs"));
        RenameSnapshot clean = snapshot();
        for (Refusal r : refusals) {
            Object saved = r.attribute() == null || LEFTOVER_FILE.equals(r.attribute())
                    ? null
                    : f.object(OLD).get(r.attribute());
            if (LEFTOVER_FILE.equals(r.attribute())) {
                f.hosts.files.put(POOL_DIR + NEW_UID, "left over".getBytes(StandardCharsets.UTF_8));
            } else if (r.attribute() != null) {
                f.fleet.set(OLD, r.attribute(), r.value());
            }
            RenameSnapshot before = snapshot();
            f.hosts.commands.clear();

            Throwable thrown = catchThrowable(() -> f.igvm().rename(r.request()));

            assertThat(thrown).as(r.why()).isInstanceOf(r.error());
            assertThat(thrown.getMessage()).as(r.why()).startsWith(r.message()).doesNotContain("\n");
            assertThat(snapshot()).as(r.why()).isEqualTo(before);
            assertThat(f.hosts.puppetRuns).as(r.why()).isEmpty();
            assertThat(f.hosts.commands).as(r.why()).allMatch(c -> c.startsWith(HV + ": test -e "), "only looks");
            // back to the built VM for the next refusal
            if (LEFTOVER_FILE.equals(r.attribute())) {
                f.hosts.files.remove(POOL_DIR + NEW_UID);
            } else if (r.attribute() != null) {
                f.fleet.set(OLD, r.attribute(), saved);
            }
            assertThat(snapshot()).as(r.why() + ", set back").isEqualTo(clean);
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aRenameFailingOrCancelledAtAnyStepRestoresTheOldNameEverywhere(Fault fault) {
        RenameSnapshot before = snapshot();
        int steps = 0;
        for (int n = 1; ; n++) {
            AtomicReference<FaultAtStep> harness = new AtomicReference<>();
            int step = n;
            Throwable thrown = catchThrowable(() -> f.igvm(harness, step, fault).rename(to(NEW).build()));
            if (!harness.get().fired()) {
                assertThat(thrown).as("the rename without a fault").isNull();
                steps = n - 1;
                break;
            }
            String at = "at step " + n + " (" + harness.get().firedAt() + ", " + fault + ")";
            if (thrown == null) {
                // Past the commit (the old certificate's clean): the rename stands.
                assertThat(harness.get().steps()).as(at).contains("InventoryPort.commit");
                assertThat(f.domain(HV, ID).orElseThrow())
                        .as(at)
                        .extracting(DomainInfo::name, DomainInfo::state)
                        .containsExactly(NEW_UID, DomainState.RUNNING);
                assertThat(f.object(NEW).objectId()).as(at).isEqualTo(ID);
                assertThat(f.hosts.mounts).as(at).isEmpty();
                Thread.interrupted();
                steps = n;
                break;
            }
            if (fault == Fault.FAIL) {
                assertThat(thrown).as(at).isInstanceOf(IgvmException.class);
                assertThat(thrown.getMessage()).as(at).contains("injected failure at step " + n);
            } else {
                assertThat(thrown).as(at).isInstanceOf(CancelledException.class);
                assertThat(thrown.getMessage()).as(at).startsWith("cancelled rename " + OLD);
            }
            assertThat(snapshot()).as(at + ": " + thrown.getMessage()).isEqualTo(before);
            assertThat(Thread.currentThread().isInterrupted()).as(at).isFalse();
        }
        // lock, checks, shutdown, mv, refresh, mount, name files, CA, binds, Puppet, unmount, define, start, commit ...
        assertThat(steps).isGreaterThanOrEqualTo(40);
    }
}
