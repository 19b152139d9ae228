package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * vcpu-set, mem-set, disk-set and change-address on the command line, against the example fleet
 * on the test driver (web01 runs on hv01 with 2 vCPUs, its domain's maximum): what they print, and
 * one line with the right exit code for every bad input, with nothing changed.
 */
class TestChangeCommands {
    @TempDir
    Path dir;

    CliFixture igvm;

    @BeforeEach
    void fleet() throws Exception {
        igvm = new CliFixture(dir);
    }

    private String web01() {
        CliFixture.Run show = igvm.run("inventory", "show", "web01", "--json");
        assertThat(show.exitCode()).isZero();
        return show.out();
    }

    @Test
    void theSameValueIsAWarningAndExitZero() {
        CliFixture.Run run = igvm.run("vcpu-set", "web01", "2");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("igvm: warning: web01.example.net already has 2 vCPUs; nothing changed\n");
    }

    @Test
    void anOfflineChangeReportsOneLineAndCommits() {
        CliFixture.Run run = igvm.run("vcpu-set", "web01", "+1", "--offline");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("web01.example.net: num_cpu 2 -> 3 (offline)\n");
        assertThat(web01()).contains("\"num_cpu\":3");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "vcpu-set web01 0|2|web01.example.net cannot have 0 vCPUs: at least 1",
                "vcpu-set web01 -3|2|web01.example.net cannot have -1 vCPUs: at least 1",
                "vcpu-set web01 99|2|web01.example.net cannot have 99 vCPUs: hv01.example.net has only 16 cores",
                "vcpu-set web01 two|2|invalid vCPU count 'two'",
                "vcpu-set web01 3|7|web01.example.net's domain takes at most 2 vCPUs while running",
                "vcpu-set web01 1|7|web01.example.net runs: removing vCPUs (2 -> 1) needs --offline",
                "vcpu-set web01|2|Missing required parameter: 'COUNT'",
                "mem-set web01 +100|2|goes in steps of 128 MiB",
                "mem-set web01 1.5K|2|invalid size '1.5K'",
                "mem-set web01 0|2|web01.example.net cannot have 0 MiB of memory",
                "mem-set web01 +1G|2|web01.example.net cannot grow by 1024 MiB: hv01.example.net has 0 MiB free",
                "mem-set web01 1G|7|removing memory (2048 -> 1024 MiB) needs --offline",
                "disk-set web01 5|2|disk-set only grows disks: web01.example.net has 10 GiB, 5 GiB would shrink it",
                "disk-set web01 10.5|2|not a whole number of GiB",
                "change-address web01 10.20.30.99|2|change-address needs --offline",
                "change-address web01 10.20.30.40 --offline|2|already has the address 10.20.30.40",
                "change-address web01 10.9.9.9 --offline|2|10.9.9.9 is in no route network of the inventory",
                "change-address web01 10.20.30.99 --offline --network nope|3|unknown route network nope",
                "change-address web01 10.20.30.41 --offline|4|10.20.30.41 is already the address of db01.example.net",
                "rename web01 web09.example.net|2|rename needs --offline: the VM is shut down while it is renamed",
                "rename web01 Web09.example.net --offline|2|invalid new hostname 'Web09.example.net': it must match",
                "rename web01 9web.example.net --offline|2|invalid new hostname '9web.example.net'",
                "rename web01 web01.example.net --offline|2|web01.example.net already has that name",
                "rename web01 db01.example.net --offline|4|db01.example.net is already taken by object 4243 (vm)",
                "rename web01|2|Missing required parameter: 'NEW'",
                "rename nosuchvm web09.example.net --offline|3|nosuchvm",
                "vcpu-set nosuchvm 2|3|nosuchvm"
            })
    void badInputIsOneLineWithItsExitCodeAndChangesNothing(String line, int exit, String message) {
        String before = web01();

        CliFixture.Run run = igvm.run(line.split(" "));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(exit);
        assertThat(run.err().lines()).as(run.err()).singleElement().asString().contains(message);
        assertThat(run.out()).isEmpty();
        assertThat(web01()).isEqualTo(before);
    }

    @Test
    void renameHasHelpNamingItsOptions() {
        CliFixture.Run run = igvm.run("rename", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .startsWith("Usage: igvm rename ")
                .contains("VM", "NEW", "--offline", "--debug-puppet", "<object_id>_NEW");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aRenameOfARetiredVmIsRefused() {
        assertThat(igvm.run("inventory", "set", "web01", "state=retired").exitCode())
                .isZero();

        CliFixture.Run run = igvm.run("rename", "web01", "web09.example.net", "--offline");

        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(run.err()).startsWith("igvm: error: web01.example.net is retired; rename refuses retired VMs");
    }

    @Test
    void aRetiredVmIsRefused() {
        assertThat(igvm.run("inventory", "set", "web01", "state=retired").exitCode())
                .isZero();

        CliFixture.Run run = igvm.run("disk-set", "web01", "+1");

        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(run.err()).startsWith("igvm: error: web01.example.net is retired; disk-set refuses retired VMs");
    }

    @Test
    void anOutOfSyncVmIsRefused() {
        assertThat(igvm.run("inventory", "set", "web01", "memory=4096").exitCode())
                .isZero();

        CliFixture.Run run = igvm.run("mem-set", "web01", "+128");

        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .contains("web01.example.net is out of sync: memory 4096 (inventory) != 2048 (actual)");
    }
}
