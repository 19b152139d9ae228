package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.igvm.api.VmInfo;
import org.igvm.api.VmStatus;
import org.igvm.domain.shell.LocalSshd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code igvm info} on a running VM reads free memory, disk and load from the VM over SSH: here the
 * "VM" is this machine, behind a real sshd on 127.0.0.1 that the VM's {@code intern_ip} points at.
 */
class TestInfoOverSsh {
    private static LocalSshd sshd;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = LocalSshd.start();
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void infoReadsFreeMemoryDiskAndLoadFromTheRunningVm() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, sshd.knownHostsLine());
        Map<String, Object> ssh = Map.of(
                "user", "root",
                "identity_files", List.of(sshd.clientEd25519.toString()),
                "known_hosts", knownHosts.toString(),
                "config_file", sshd.clientConfig().toString());
        try (TestFleet fleet = TestFleet.create(dir.resolve("fleet"), Map.of(), ssh)) {
            fleet.set("web01.example.net", "intern_ip", "127.0.0.1");
            VmInfo web01 = fleet.runtime.igvm().info("web01");

            assertThat(web01.status()).isEqualTo(VmStatus.RUNNING);
            assertThat(web01.memoryFreeMiB()).isPositive().isLessThanOrEqualTo(memTotalMiB());
            Path root = Path.of("/");
            long freeGiB = Files.getFileStore(root).getUsableSpace() / (1L << 30);
            assertThat(web01.diskFreeGiB()).isBetween(Math.max(0, freeGiB - 1), freeGiB + 1);
            assertThat(web01.load()).isNotNull().isGreaterThanOrEqualTo(0.0);
            assertThat(web01.memoryMiB())
                    .as("the hypervisor's facts are still there")
                    .isEqualTo(2048);

            VmInfo db01 = fleet.runtime.igvm().info("db01");
            assertThat(db01.status()).isEqualTo(VmStatus.STOPPED);
            assertThat(db01.memoryFreeMiB()).as("a stopped VM is not asked").isNull();
        }
    }

    @Test
    void infoOnAnUnreachableVmShowsEverythingElse() throws Exception {
        try (TestFleet fleet = TestFleet.create(dir.resolve("fleet"), Map.of())) {
            VmInfo web01 = fleet.runtime.igvm().info("web01");
            assertThat(web01.status()).isEqualTo(VmStatus.RUNNING);
            assertThat(web01.hypervisor()).isEqualTo("hv01.example.net");
            assertThat(web01.numCpu()).isEqualTo(2);
            assertThat(web01.memoryFreeMiB()).isNull();
            assertThat(web01.diskFreeGiB()).isNull();
            assertThat(web01.load()).isNull();
        }
    }

    private static long memTotalMiB() throws Exception {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                        .filter(l -> l.startsWith("MemTotal:"))
                        .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
                        .findFirst()
                        .orElseThrow()
                / 1024;
    }
}
