package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.igvm.adapters.ssh.SshShellPort;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A VM running nested inside the lab's DRBD hypervisors (busybox from its own LV, under TCG inside
 * TCG), moved by {@code igvm migrate} three times: online over drbd (drbd1 → drbd2), offline over
 * drbd while it runs (→ drbd1), and offline over netcat (→ drbd2) for the downtime comparison. The
 * VM boots once per class; each test starts from where the previous one left it.
 */
@Tag("lab-drbd")
@Tag("lab-long") // ~30 min of nested boots: lab/ci-e2e --drbd --long only
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestLabDrbdRunningVm {
    static final String VM = DrbdLabVm.VM;
    static final String DOMAIN = DrbdLabVm.DOMAIN;
    static final String A = DrbdLabVm.A;
    static final String B = DrbdLabVm.B;
    static final String RES = DrbdLabVm.RES;
    /** A nested boot under TCG inside TCG: 3-5 min to SSH here, with room for a loaded machine. */
    static final Duration NESTED_BOOT = Duration.ofMinutes(10);
    /** One login into the nested guest: its SSH server takes 10-20 s to fork and answer. */
    static final Duration LOGIN = Duration.ofSeconds(90);

    private final Lab lab = new Lab();
    private SshShellPort ssh;
    private HostShell a;
    private HostShell b;
    private String markerSum;

    @BeforeAll
    void vmdRunsOnDrbd1() {
        lab.requireUpAndInCtl();
        assertThat(lab.inventory(A)).as("the lab is up with --drbd").isPresent();
        ssh = TestLabDrbdTransport.shellPort(lab);
        a = ssh.open(A);
        b = ssh.open(B);
        lab.igvmOk("inventory", "set", A, "state=online");
        lab.igvmOk("inventory", "set", B, "state=online");
        Lab.Proc disk =
                Lab.run(Duration.ofMinutes(3), lab.repo.resolve("lab/igvm-lab").toString(), "drbd-vm");
        assertThat(disk.exit())
                .as("igvm-lab drbd-vm: %s%s", disk.out(), disk.err())
                .isZero();
        Instant defined = Instant.now();
        lab.igvmOk("define", VM);
        assertThat(Lab.domstate(A, DOMAIN)).contains("running");
        awaitSsh();
        report("nested boot to SSH", Duration.between(defined, Instant.now()));
        // a file written by the running guest, on its disk before the first move
        markerSum = guest("dd if=/dev/urandom of=/root/marker bs=64k count=16 2>/dev/null && sync"
                        + " && sha256sum /root/marker")
                .split("\\s+")[0];
        assertThat(markerSum).hasSize(64);
    }

    @AfterAll
    void putTheLabBack() {
        try {
            DrbdLabVm.removeFromBothHosts();
            lab.resetToSample();
        } finally {
            if (ssh != null) {
                ssh.close();
            }
        }
    }

    @Test
    @Order(1)
    void anOnlineMigrationOverDrbdMovesTheRunningVmWithoutARestart() {
        double uptimeBefore = uptime();
        Map<String, String> result;
        try (GuestProber probe = new GuestProber(lab, VM, Duration.ofSeconds(1), LOGIN)) {
            probe.awaitAnswers(2, NESTED_BOOT);
            result = Lab.flatJson(lab.igvmOk("migrate", VM, B, "--disk-transport", "drbd", "--json")
                    .out()
                    .strip());
            long before = probe.answers();
            probe.awaitAnswers(before + 2, NESTED_BOOT);
            probe.stop();
            report(
                    "online drbd: longest SSH outage",
                    probe.longestOutage(),
                    probe.failures().size() + " of " + probe.probes().size() + " logins failed, igvm took "
                            + result.get("duration_ms") + " ms");
            assertThat(probe.uptimes())
                    .as("the guest's uptime only grows: it never restarted")
                    .isSorted();
        }
        assertThat(result).containsEntry("mode", "online").containsEntry("transport", "drbd");
        assertThat(Lab.domstate(B, DOMAIN)).as("runs on the target").contains("running");
        assertMovedAway(A);
        assertThat(lab.inventory(VM).orElseThrow()).containsEntry("hypervisor", B);
        assertThat(uptime()).as("no restart").isGreaterThan(uptimeBefore);
        assertThat(marker()).as("the file written before the move").isEqualTo(markerSum);
        assertNoDrbdLeftovers();
    }

    @Test
    @Order(2)
    void anOfflineMigrationOverDrbdOfTheRunningVmRestartsItOnTheTarget() {
        Duration outage = offlineMove(A, "drbd");
        report("offline drbd: guest unreachable over SSH", outage, "");
        assertNoDrbdLeftovers();
    }

    @Test
    @Order(3)
    void anOfflineMigrationOverNetcatOfTheSameVmForComparison() {
        Duration outage = offlineMove(B, "netcat");
        report("offline netcat: guest unreachable over SSH", outage, "");
    }

    /** Moves the running VM offline to {@code target}; returns how long the guest did not answer. */
    private Duration offlineMove(String target, String transport) {
        String source = target.equals(A) ? B : A;
        Map<String, String> result;
        Duration outage;
        try (GuestProber probe = new GuestProber(lab, VM, Duration.ofSeconds(1), LOGIN)) {
            probe.awaitAnswers(2, NESTED_BOOT);
            result =
                    Lab.flatJson(lab.igvmOk("migrate", VM, target, "--offline", "--disk-transport", transport, "--json")
                            .out()
                            .strip());
            long before = probe.answers();
            probe.awaitAnswers(before + 1, NESTED_BOOT);
            probe.stop();
            outage = probe.longestOutage();
            report(
                    "offline " + transport + ": igvm's downtime (off until started)",
                    Duration.ofMillis(Long.parseLong(result.get("downtime_ms"))),
                    "igvm took " + result.get("duration_ms") + " ms");
        }
        assertThat(result).containsEntry("mode", "offline").containsEntry("transport", transport);
        assertThat(Lab.domstate(target, DOMAIN)).as("runs on the target").contains("running");
        assertMovedAway(source);
        assertThat(lab.inventory(VM).orElseThrow()).containsEntry("hypervisor", target);
        assertThat(marker()).as("the file written before the moves").isEqualTo(markerSum);
        return outage;
    }

    private void assertMovedAway(String source) {
        assertThat(Lab.domstate(source, DOMAIN))
                .as("no domain left on " + source)
                .isEmpty();
        HostShell s = source.equals(A) ? a : b;
        assertThat(s.run(ShellCommand.of("lvs", "xen-data/" + DOMAIN)).exitStatus())
                .as("no LV left on " + source)
                .isNotZero();
    }

    private void assertNoDrbdLeftovers() {
        for (HostShell h : List.of(a, b)) {
            TestLabDrbdTransport.assertNoDrbdLeftovers(h, RES);
        }
    }

    private void awaitSsh() {
        Lab.await("the nested guest " + VM + " answers SSH", NESTED_BOOT, () -> {
            Lab.Proc p = lab.ssh(VM, "true", LOGIN, LOGIN.dividedBy(2));
            return p.exit() == 0 ? java.util.Optional.of(true) : java.util.Optional.empty();
        });
    }

    private String guest(String command) {
        Lab.Proc p = lab.ssh(VM, command, LOGIN, LOGIN.dividedBy(2));
        assertThat(p.exit()).as("ssh %s %s: %s", VM, command, p.err()).isZero();
        return p.out().strip();
    }

    private double uptime() {
        return Double.parseDouble(guest("cut -d' ' -f1 /proc/uptime"));
    }

    private String marker() {
        return guest("sha256sum /root/marker").split("\\s+")[0];
    }

    /** A measured figure: on the test's output and in e2e/target/drbd-running-vm.txt for the notes. */
    private static void report(String what, Duration d, String detail) {
        String line = String.format(
                Locale.ROOT,
                "%s: %.1f s%s%n",
                what,
                d.toMillis() / 1000.0,
                detail.isEmpty() ? "" : " (" + detail + ")");
        System.out.print(line);
        try {
            Files.writeString(
                    Path.of("target/drbd-running-vm.txt"),
                    Instant.now() + " " + line,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void report(String what, Duration d) {
        report(what, d, "");
    }
}
