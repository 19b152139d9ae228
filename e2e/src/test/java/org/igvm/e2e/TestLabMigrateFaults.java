package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.IgvmException;
import org.igvm.api.MigrateRequest;
import org.igvm.api.MigrationResult;
import org.igvm.bootstrap.IgvmConfig;
import org.igvm.bootstrap.IgvmRuntime;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.command.CommandEnvironment;
import org.igvm.domain.command.MigrateVm;
import org.igvm.domain.placement.PlacementSettings;
import org.igvm.domain.plugin.RegisteredTransport;
import org.igvm.domain.plugin.TransportRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault injection at every step of a real migration on the lab (issue 12, "Proof on the lab"):
 * the migrate flow runs in-process over the lab's hypervisors with the real netcat and qemu
 * transports, its ports (inventory, libvirt, the host shells and every shell they open, the
 * transport session) counted by {@link FaultAtStep}; the N-th call fails (a host or libvirt error)
 * for N = 1, 2, … until the migration gets through. After each failure, independent witnesses:
 * vm1.lab runs on hv1 (offline: started again; online: never restarted), its inventory object
 * and both hypervisors' are unchanged (no lock), and hv2 has no domain, no volume, no netcat
 * listener or copy process and no port lock file. Then Ctrl-C (a real SIGINT to the command line
 * in a process of its own) during the netcat copy.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLabMigrateFaults {
    private static final String VM = "vm1.lab";
    private static final String DOMAIN = "5001_vm1.lab";
    private static final String VOLUME = "5001_vm1.lab";
    private static final String HV1 = "hv1.lab";
    private static final String HV2 = "hv2.lab";
    /**
     * What igvm's copies leave running in a hypervisor's namespace (the machine has one PID space:
     * only that namespace's processes count) and the ports its listeners take there.
     */
    private static final String LEFT_IN_NAMESPACE = "for p in $(ip netns pids \"$1\"); do"
            + " tr '\\0' ' ' < /proc/$p/cmdline 2>/dev/null; echo; done | grep -E 'igvm-netcat|nc -d -l|nc -N|dd ';"
            + " ip netns exec \"$1\" ss -Hltn 'sport >= :7000 and sport < :7100'; true";

    private final Lab lab = new Lab();
    private IgvmRuntime runtime;
    /** The lab's config with netcat's port locks and copy programs in directories of this test's own. */
    private Path config;

    private Path netcatLocks;
    private Path netcatPrograms;

    @BeforeAll
    void vm1RunsOnHv1() {
        lab.requireUpAndInCtl();
        lab.resetToSample();
        lab.igvmOk("define", VM);
        assertThat(Lab.domstate(HV1, DOMAIN)).contains("running");
        assertThat(lab.awaitSsh(VM, "hostname")).isEqualTo(VM);
        try {
            netcatLocks = Files.createDirectories(lab.state.resolve("run/netcat-locks"));
            netcatPrograms = Files.createDirectories(lab.state.resolve("run/netcat-programs"));
            config = lab.state.resolve("run/igvm-faults.yaml");
            Files.writeString(
                    config,
                    Files.readString(lab.config) + "\ntransports:\n  netcat:\n    lock_dir: " + netcatLocks
                            + "\n    temp_dir: " + netcatPrograms + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        runtime = IgvmRuntime.start(IgvmConfig.load(config, true));
    }

    @AfterAll
    void closeRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** Everything a failed migration must leave as it was. */
    record Witness(
            String stateOnHv1,
            String stateOnHv2,
            boolean volumeOnHv2,
            Map<String, String> vm,
            Map<String, String> hv1,
            Map<String, String> hv2,
            String leftOnHv1,
            String leftOnHv2,
            String leftInFiles) {}

    Witness witness() {
        return new Witness(
                Lab.domstate(HV1, DOMAIN).orElse("none"),
                Lab.domstate(HV2, DOMAIN).orElse("none"),
                Files.exists(lab.volumeFile(HV2, VOLUME)),
                lab.inventory(VM).orElseThrow(),
                lab.inventory(HV1).orElseThrow(),
                lab.inventory(HV2).orElseThrow(),
                left("hv1"),
                left("hv2"),
                leftInFiles());
    }

    /** The port lock files and copy programs' directories in this test's own directories. */
    private String leftInFiles() {
        List<String> left = new ArrayList<>();
        for (Path d : List.of(netcatLocks, netcatPrograms)) {
            try (var files = Files.list(d)) {
                files.map(Path::toString).sorted().forEach(left::add);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return String.join("\n", left);
    }

    private static String left(String namespace) {
        return Lab.run(Duration.ofSeconds(10), "sh", "-c", LEFT_IN_NAMESPACE, "left", namespace)
                .out()
                .strip();
    }

    /** The migrate flow over the harness's counted ports, with the lab's transports counted too. */
    MigrateVm migrateThrough(FaultAtStep harness) {
        TransportRegistry real = runtime.injector().getInstance(TransportRegistry.class);
        AtomicReference<FaultAtStep> current = new AtomicReference<>(harness);
        List<RegisteredTransport> counted = new ArrayList<>();
        for (RegisteredTransport t : real.all()) {
            counted.add(RegisteredTransport.of(FaultAtStep.transport(t.factory(), current), t.origin()));
        }
        return new MigrateVm(
                harness.environment(),
                runtime.injector().getInstance(PlacementSettings.class),
                TransportRegistry.of(counted, real::config));
    }

    /**
     * Fails the migration at step 1, 2, … and checks the witnesses after each; returns the steps
     * tried. The run that gets through (no step N, or a failure after the inventory commit, which
     * the flow only warns about) ends on hv2; the caller moves it back.
     */
    int failAtEveryStep(MigrateRequest request, String bootId) {
        Witness before = witness();
        assertThat(before.stateOnHv1()).isEqualTo("running");
        CommandEnvironment env = runtime.injector().getInstance(CommandEnvironment.class);
        List<String> tolerated = new ArrayList<>();
        for (int n = 1; ; n++) {
            // A guest still booting ignores the ACPI shutdown an offline migration starts with.
            String boot = lab.awaitSsh(VM, "cat /proc/sys/kernel/random/boot_id");
            if (bootId != null) {
                assertThat(boot).as("the running VM was never restarted").isEqualTo(bootId);
            }
            FaultAtStep harness = FaultAtStep.over(env, n, Fault.FAIL);
            MigrateVm migrate = migrateThrough(harness);
            AtomicReference<MigrationResult> result = new AtomicReference<>();

            Throwable thrown = catchThrowable(() -> result.set(migrate.run(request)));

            if (!harness.fired()) {
                assertThat(thrown).as("the migration without a fault").isNull();
                System.out.printf(
                        "%s %s: %d steps tried, faults the migration got past (warned): %s%n",
                        request.offline() ? "offline" : "online", request.diskTransport(), n - 1, tolerated);
                return n - 1;
            }
            String at = "failed at step " + n + " (" + harness.firedAt() + ")";
            if (thrown == null && pastTheCommit(harness.steps())) {
                // From here on every step is clean-up after the commit, only warned about; the test
                // driver's TestMigrateVm tries each of them (a lab round trip takes half a minute).
                assertThat(Lab.domstate(HV2, DOMAIN)).as(at).contains("running");
                System.out.printf(
                        "%s %s: %d steps tried up to the commit, faults the migration got past (warned): %s%n",
                        request.offline() ? "offline" : "online", request.diskTransport(), n, tolerated);
                moveBackToHv1(result.get());
                return n;
            }
            if (thrown == null) {
                // A fault in a best-effort step (a probe, a clean-up): the VM moved.
                System.out.println(
                        at + ": got past it; warnings " + result.get().warnings());
                tolerated.add(n + " " + harness.firedAt());
                assertThat(Lab.domstate(HV2, DOMAIN)).as(at).contains("running");
                assertThat(lab.inventory(VM).orElseThrow()).as(at).containsEntry("hypervisor", HV2);
                moveBackToHv1(result.get());
                before = witness();
                continue;
            }
            System.out.println(at + ": " + thrown.getMessage());
            assertThat(thrown).as(at).isInstanceOf(IgvmException.class);
            assertThat(thrown.getMessage()).as(at).contains("injected failure at step " + n);
            assertThat(witness()).as(at).isEqualTo(before);
        }
    }

    /** Whether the inventory commit after the transport's finish came before the last step. */
    private static boolean pastTheCommit(List<String> steps) {
        int finish = steps.lastIndexOf("TransportSession.finish");
        return finish >= 0 && steps.subList(finish, steps.size() - 1).contains("InventoryPort.commit");
    }

    /**
     * After a migration that got past a fault: what its warnings name is removed as the operator
     * would (a source domain or volume, a copy program's directory, a port lock, a lock), then
     * vm1.lab goes back to hv1 online.
     */
    private void moveBackToHv1(MigrationResult moved) {
        if (Lab.domstate(HV1, DOMAIN).isPresent()) {
            assertThat(moved.warnings()).as("the source domain left is named").isNotEmpty();
            Lab.virsh(HV1, "undefine", DOMAIN);
        }
        if (Files.exists(lab.volumeFile(HV1, VOLUME))) {
            assertThat(moved.warnings()).as("the source volume left is named").isNotEmpty();
            Lab.virsh(HV1, "vol-delete", VOLUME, "--pool", "xen-data");
        }
        Lab.run(
                Duration.ofSeconds(10),
                "sh",
                "-c",
                "rm -rf \"$1\"/* \"$2\"/*",
                "clean",
                netcatLocks.toString(),
                netcatPrograms.toString());
        for (String hv : List.of(HV1, HV2)) {
            Map<String, String> object = lab.inventory(hv).orElseThrow();
            if (!object.getOrDefault("igvm_locked", "").isEmpty()) {
                lab.igvmOk("unlock", hv, "--force", "--yes");
            }
        }
        lab.awaitSsh(VM, "true");
        lab.igvmOk("migrate", VM, HV1, "--disk-transport", "qemu");
        assertThat(Lab.domstate(HV1, DOMAIN)).contains("running");
    }

    @Test
    @Order(1)
    void anOfflineNetcatMigrationFailingAtAnyStepLeavesTheVmRunningOnHv1AndNothingOnHv2() {
        int steps = failAtEveryStep(
                MigrateRequest.builder(VM)
                        .hypervisorQuery(HV2)
                        .offline(true)
                        .diskTransport("netcat")
                        .build(),
                null);

        // lock, lookups, placement and its hard checks, maintenance, target volume, the listener,
        // shutdown, copy, checksums, define, start, commit ...
        assertThat(steps).isGreaterThanOrEqualTo(25);
        // the last round got through and was moved back
        assertThat(Lab.domstate(HV1, DOMAIN)).contains("running");
        assertThat(lab.inventory(VM).orElseThrow()).containsEntry("hypervisor", HV1);
    }

    @Test
    @Order(2)
    void anOnlineQemuMigrationFailingAtAnyStepLeavesTheVmRunningOnHv1WithoutARestart() {
        String bootId = lab.awaitSsh(VM, "cat /proc/sys/kernel/random/boot_id");

        int steps = failAtEveryStep(
                MigrateRequest.builder(VM)
                        .hypervisorQuery(HV2)
                        .diskTransport("qemu")
                        .build(),
                bootId);

        assertThat(steps).isGreaterThanOrEqualTo(15);
        assertThat(Lab.domstate(HV1, DOMAIN)).contains("running");
        assertThat(lab.awaitSsh(VM, "cat /proc/sys/kernel/random/boot_id"))
                .as("never restarted, through every round and every move back")
                .isEqualTo(bootId);
    }

    @Test
    @Order(3)
    void ctrlCDuringTheNetcatCopyExits130AndLeavesTheVmRunningOnHv1() throws Exception {
        // 100 MiB of random data at 8 MiB/s: the copy lasts about 12 s.
        lab.awaitSsh(VM, "true");
        Lab.Proc fill = lab.ssh(VM, "dd if=/dev/urandom of=/fill bs=1M count=100 2>/dev/null && sync && echo ok");
        assertThat(fill.out()).as("%s", fill).contains("ok");
        Witness before = witness();

        InterruptedRun run = InterruptedRun.of(
                l -> l.startsWith("migrate:   copied"),
                "the copy runs",
                () -> Optional.of(true),
                "--config",
                config.toString(),
                "migrate",
                VM,
                HV2,
                "--offline",
                "--disk-transport",
                "netcat",
                "--bwlimit",
                "8M");
        String output = run.output();
        int exit = run.exit();
        System.out.println("Ctrl-C during the copy:\n" + output);
        assertThat(exit).as(output).isEqualTo(130);
        assertThat(output).contains("cancelled migrate " + VM);
        lab.awaitSsh(VM, "true");
        assertThat(witness()).isEqualTo(before);
        assertThat(lab.awaitSsh(VM, "ls -l /fill")).contains(String.valueOf(100L * 1024 * 1024));
    }
}
