package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code igvm evacuate} through the command line, on the example fleet (hv01 runs web01 and db01;
 * hv02 has room for web01 only) over libvirt's test driver, with the recording transport from a
 * plugin jar built at test time. The three-hypervisor plan, parallelism, failures and
 * cancellation are proven in bootstrap's TestEvacuateHypervisor and on the lab.
 */
class TestEvacuateCommand extends CommandOverTestDriver {
    @Test
    void aDryRunPrintsThePlanWithTheVmThatHasNoRoomAndChangesNothing() throws Exception {
        String before = inventory();

        CliFixture.Run run = igvm("evacuate", "hv01", "--dry-run", "--offline-transport", "testcopy");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(7);
        assertThat(run.out())
                .startsWith("evacuation plan for hv01.example.net (state online, to become online_reserved):\n"
                        + "  1. web01.example.net -> hv02.example.net (online, qemu, 10.0 GiB)\n")
                .contains("       why: ranked 1 of 1 among servertype=hypervisor")
                .contains("  no room: db01.example.net: no hypervisor can take db01.example.net")
                .endsWith("nothing was changed (dry run)\n");
        assertThat(run.err())
                .isEqualTo("igvm: error: no hypervisor can take db01.example.net; nothing would move; add --partial"
                        + " to move the others, or widen the target query\n");
        assertThat(inventory()).isEqualTo(before);
        assertThat(recorded()).isEmpty();

        CliFixture.Run json =
                igvm("evacuate", "hv01", "--dry-run", "--partial", "--offline-transport", "testcopy", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertThat(tree.get("plan").get(0).get("target").asText()).isEqualTo("hv02.example.net");
        assertThat(tree.get("unplaced").get(0).get("vm").asText()).isEqualTo("db01.example.net");
        assertThat(inventory()).isEqualTo(before);
    }

    @Test
    void offlineWithFunctionsMovesOnlyThoseOfflineAndTheOthersOnline() throws Exception {
        CliFixture.Run db = igvm(
                "evacuate", "hv01", "--dry-run", "--partial", "--offline-transport", "testcopy", "--offline", "db");
        CliFixture.Run web = igvm(
                "evacuate",
                "hv01",
                "--dry-run",
                "--partial",
                "--offline-transport",
                "testcopy",
                "--offline",
                "web",
                "db");

        assertThat(db.exitCode()).as(db.err()).isZero();
        assertThat(db.out()).contains("web01.example.net -> hv02.example.net (online, qemu, 10.0 GiB)");
        assertThat(web.exitCode()).as(web.err()).isZero();
        assertThat(web.out()).contains("web01.example.net -> hv02.example.net (offline, testcopy, 10.0 GiB)");
    }

    @Test
    void withoutPartialAVmWithoutRoomRefusesAndNothingMoves() throws Exception {
        String before = inventory();

        CliFixture.Run run = igvm("evacuate", "hv01", "--offline", "--offline-transport", "testcopy");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(7);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains("no hypervisor can take db01.example.net", "--partial");
        assertThat(inventory()).isEqualTo(before);
        assertThat(recorded()).isEmpty();
    }

    @Test
    void partialMovesWhatHasRoomPrintsTheSummaryAndNamesWhatDidNotMove() throws Exception {
        CliFixture.Run run = igvm("evacuate", "hv01", "--offline", "--offline-transport", "testcopy", "--partial");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.err())
                .contains("evacuate: web01.example.net -> hv02.example.net (offline, testcopy) started\n")
                .contains("evacuate: web01.example.net: commit\n")
                .contains("evacuate: web01.example.net moved to hv02.example.net in ")
                .endsWith(
                        "igvm: error: 1 VM(s) did not move off hv01.example.net: db01.example.net (see the summary)\n");
        assertThat(run.out().lines().toList().get(0)).matches("VM +TARGET +MODE +TRANSPORT +TIME +DOWNTIME +RESULT");
        assertThat(run.out())
                .containsPattern("web01\\.example\\.net +hv02\\.example\\.net +offline +testcopy +[0-9.]+ s +[0-9.]+ s"
                        + " +moved\n")
                .containsPattern("db01\\.example\\.net +- +- +- +- +- +no room: no hypervisor can take db01")
                .endsWith("hv01.example.net is online_reserved\n");
        assertThat(igvm("inventory", "show", "web01").out())
                .containsPattern("hypervisor\\s*[:=]?\\s*hv02\\.example\\.net");
        assertThat(igvm("inventory", "show", "hv01").out()).containsPattern("state\\s*[:=]?\\s*online_reserved");
        assertThat(recorded()).contains("prepare plugin-loader", "finish plugin-loader");
    }

    @Test
    void anEmptyHypervisorIsSetReservedSaysSoAndExitsZero() throws Exception {
        // hv02 runs web02 only: the inventory no longer places it there.
        assertThat(igvm("inventory", "set", "web02", "hypervisor=").exitCode()).isZero();

        CliFixture.Run run = igvm("evacuate", "hv02");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .isEqualTo(
                        "hv02.example.net has no VMs; its state is online_reserved\n"
                                + "left alone: domain 4244_web02.example.net (the inventory does not place a VM of it there)\n");
        assertThat(igvm("inventory", "show", "hv02").out()).containsPattern("state\\s*[:=]?\\s*online_reserved");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown hypervisor|hv09|3|no hypervisor named 'hv09' in the inventory",
                "a VM given as hypervisor|web01|2|web01.example.net is a vm, not a hypervisor",
                "parallel 0|hv01 --parallel 0|2|--parallel must be at least 1, got 0",
                "negative parallel|hv01 --parallel -2|2|--parallel must be at least 1, got -2",
                "max per target 0|hv01 --max-per-target 0|2|--max-per-target must be at least 1, got 0",
                "parallel not a number|hv01 --parallel many|2|",
                "bad bwlimit|hv01 --bwlimit 10X|2|invalid rate '10X'",
                "malformed query|hv01 hostname=Regexp( --offline-transport testcopy|2|",
                "unknown attribute in query|hv01 nosuchattr=1 --offline-transport testcopy|2|nosuchattr",
                "unknown transport|hv01 --offline --offline-transport nope|2|unknown disk transport 'nope'",
            })
    void badInputIsOneLineAnExitCodeAndNothingChanged(String what, String args, int code, String message)
            throws Exception {
        assertOneLineErrorAndNothingChanged("evacuate " + args, code, message);
    }

    @Test
    void aRetiredHypervisorIsRefused() throws Exception {
        assertThat(igvm("inventory", "set", "hv02", "state=retired").exitCode()).isZero();
        String before = inventory();

        CliFixture.Run run = igvm("evacuate", "hv02");

        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(run.err()).isEqualTo("igvm: error: hv02.example.net is retired; there is nothing to evacuate\n");
        assertThat(inventory()).isEqualTo(before);
    }
}
