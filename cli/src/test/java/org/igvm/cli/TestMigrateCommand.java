package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.igvm.bootstrap.IgvmConfig;
import org.igvm.bootstrap.IgvmRuntime;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.lock.HeldLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code igvm migrate} through the command line: both example hypervisors on libvirt's test driver
 * (fresh for every command line: the test driver keeps its state per connection), the example
 * fleet in SQLite, and a recording transport from a plugin jar built at test time.
 */
class TestMigrateCommand extends CommandOverTestDriver {
    @Test
    void anOfflineMigrationMovesTheVmInTheInventoryAndReportsEachPhase() throws Exception {
        CliFixture.Run run = igvm("migrate", "web01", "hv02.example.net", "--offline", "--disk-transport", "testcopy");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .startsWith("web01.example.net migrated from hv01.example.net to hv02.example.net"
                        + " (offline, testcopy, 10.0 GiB in ");
        assertThat(run.err())
                .contains(
                        "migrate: volume\n",
                        "migrate: prepare\n",
                        "migrate: shutdown\n",
                        "migrate: switch-over\n",
                        "migrate:   copied 10.0 GiB of 10.0 GiB\n",
                        "migrate: commit\n");
        assertThat(recorded())
                .containsExactly(
                        "prepare plugin-loader",
                        "transfer plugin-loader",
                        "switch_over plugin-loader",
                        "finish plugin-loader",
                        "close plugin-loader");
        CliFixture.Run show = igvm("inventory", "show", "web01");
        assertThat(show.out()).containsPattern("hypervisor\\s*[:=]?\\s*hv02\\.example\\.net");
        assertThat(show.out()).doesNotContain("maintenance");
    }

    @Test
    void silentPrintsNoProgressAndJsonIsTheResult() throws Exception {
        CliFixture.Run run = igvm(
                "-s", "migrate", "web01", "hv02.example.net", "--offline", "--disk-transport", "testcopy", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("migrate:");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertThat(json.get("target").asText()).isEqualTo("hv02.example.net");
        assertThat(json.get("mode").asText()).isEqualTo("offline");
        assertThat(json.get("bytes").asLong()).isEqualTo(10L << 30);
    }

    @Test
    void aTransportFailingInTheSwitchOverIsOneLineAndChangesNothing() throws Exception {
        config = writeConfig("switch_over");
        String before = inventory();

        CliFixture.Run run = igvm("migrate", "web01", "hv02.example.net", "--offline", "--disk-transport", "testcopy");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("igvm: error: recording transport failed in switch_over on hv02.example.net");
        assertThat(recorded()).endsWith("abort plugin-loader", "close plugin-loader");
        assertThat(inventory()).isEqualTo(before);
    }

    @Test
    void aDryRunPrintsThePlanAndChangesNothing() throws Exception {
        String before = inventory();

        CliFixture.Run run = igvm("migrate", "web01", "--offline", "--disk-transport", "testcopy", "--dry-run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .startsWith("plan for web01.example.net: hv01.example.net -> hv02.example.net\n")
                .contains("  why: ranked 1 of 1 among servertype=hypervisor")
                .contains("transport: testcopy (offline)\n")
                .contains("bytes to move: 10737418240 (10.0 GiB)\n")
                .contains("expected downtime: offline: web01.example.net is off from its shutdown")
                .endsWith("nothing was changed (dry run)\n");
        assertThat(inventory()).isEqualTo(before);
        assertThat(recorded()).isEmpty();

        CliFixture.Run json =
                igvm("migrate", "web01", "--offline", "--disk-transport", "testcopy", "--dry-run", "--json");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(json.out())
                        .get("target")
                        .asText())
                .isEqualTo("hv02.example.net");
    }

    @Test
    void anOfflineMigrationOfAFileVolumeTakesNetcatByDefaultAsDrbdMovesLvmOnly() throws Exception {
        String before = inventory();

        CliFixture.Run run = igvm("migrate", "web01", "--offline", "--dry-run");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("transport: netcat (offline)\n");
        assertThat(inventory()).isEqualTo(before);

        CliFixture.Run drbd = igvm("migrate", "web01", "--offline", "--disk-transport", "drbd", "--dry-run");
        assertThat(drbd.exitCode()).isEqualTo(2);
        assertThat(drbd.err().strip())
                .startsWith("igvm: error: disk transport 'drbd' cannot move file volumes such as ")
                .endsWith("; it moves: lvm")
                .doesNotContain("\n");
        assertThat(inventory()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown transport|web01 hv02.example.net --offline --disk-transport nope|2"
                        + "|unknown disk transport 'nope'; known transports: drbd, netcat, qemu, testcopy",
                "mode the transport lacks|web01 hv02.example.net --disk-transport testcopy|2"
                        + "|disk transport 'testcopy' cannot migrate online; it supports: offline",
                "same hypervisor|web01 hv01.example.net --offline --disk-transport testcopy|7"
                        + "|web01.example.net is already on hv01.example.net",
                "hard check|db01 hv02.example.net --offline --disk-transport testcopy|7"
                        + "|hv02.example.net cannot take db01.example.net: not enough memory",
                "malformed query|web01 hostname=Regexp( --offline --disk-transport testcopy|2|",
                "query matching nothing|web01 num_cpu=GreaterThan(1000) --offline --disk-transport testcopy|3"
                        + "|no hypervisor matches the placement filter",
                "bad bwlimit|web01 hv02.example.net --offline --disk-transport testcopy --bwlimit 10X|2"
                        + "|invalid rate '10X'",
                "online with run-puppet|web01 hv02.example.net --run-puppet|2"
                        + "|--run-puppet needs an offline migration",
            })
    void badInputIsOneLineAnExitCodeAndNothingChanged(String what, String args, int code, String message)
            throws Exception {
        assertOneLineErrorAndNothingChanged("migrate " + args, code, message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "retired|state=retired|7|web01.example.net is retired",
                "out of sync|memory=4096|5|web01.example.net is out of sync: memory 4096 (inventory) != 2048 (actual)",
            })
    void aRetiredOrOutOfSyncVmIsRefusedAndNothingChanged(String what, String change, int code, String message)
            throws Exception {
        assertThat(igvm("inventory", "set", "web01", change).exitCode()).isZero();
        String before = inventory();

        CliFixture.Run run = igvm("migrate", "web01", "hv02.example.net", "--offline", "--disk-transport", "testcopy");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(code);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains(message);
        assertThat(inventory()).isEqualTo(before);
        assertThat(recorded()).isEmpty();
    }

    @Test
    void aVmLockedByAnotherIgvmIsRefusedAndNothingChanged() throws Exception {
        try (IgvmRuntime other = IgvmRuntime.start(IgvmConfig.load(config, true));
                HeldLock held = other.locks()
                        .acquire(other.inventory()
                                .query(Query.where("hostname", "web01.example.net"))
                                .get(0))) {
            String before = inventory();

            CliFixture.Run run =
                    igvm("migrate", "web01", "hv02.example.net", "--offline", "--disk-transport", "testcopy");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
            assertThat(run.err().lines()).hasSize(1);
            assertThat(run.err()).contains("already being worked on by another igvm");
            assertThat(inventory()).isEqualTo(before);
            assertThat(recorded()).isEmpty();
        }
    }
}
