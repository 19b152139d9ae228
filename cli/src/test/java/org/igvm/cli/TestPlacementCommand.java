package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code igvm placement} on the example fleet; hv01 on the test driver, hv02 unreachable unless reconfigured. */
class TestPlacementCommand {
    @TempDir
    Path dir;

    CliFixture cli;

    @BeforeEach
    void fleet() throws Exception {
        cli = new CliFixture(dir);
    }

    /** The fixture's inventory with both hypervisors on the test driver. */
    CliFixture.Run runWithBothHypervisors(String... args) throws Exception {
        Path config = dir.resolve("both.yaml");
        Files.writeString(
                config,
                """
                inventory:
                  url: "jdbc:sqlite:%s"
                libvirt:
                  hypervisors:
                    hv01.example.net: "test://%s"
                    hv02.example.net: "test://%s"
                """
                        .formatted(
                                dir.resolve("inventory.db"),
                                CliFixture.EXAMPLES.resolve("testdriver/hv01.xml"),
                                CliFixture.EXAMPLES.resolve("testdriver/hv02.xml")));
        String[] full = new String[args.length + 2];
        full[0] = "--config";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return CliFixture.runRaw(full);
    }

    @Test
    void printsTheRankingTheExcludedAndTheChosenHypervisor() throws Exception {
        CliFixture.Run run = runWithBothHypervisors("placement", "new01");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("placement of new01.example.net among servertype=hypervisor state=online vlan_networks=net-a")
                .containsPattern("1 +hv02\\.example\\.net +0\\.\\d{4} ")
                .contains("excluded hv01.example.net: preference enough_memory")
                .endsWith("chosen: hv02.example.net\n");
    }

    @Test
    void jsonHasEveryPreferencesScore() throws Exception {
        CliFixture.Run run = runWithBothHypervisors("placement", "new01", "--json", "--soft-preferences");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("\"chosen\":\"hv02.example.net\"")
                .contains("\"enough_memory\":")
                .contains("\"same_project\":");
        // Valid JSON, and the same plan prints the same bytes.
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(run.out())
                        .get("chosen")
                        .asText())
                .isEqualTo("hv02.example.net");
        assertThat(runWithBothHypervisors("placement", "new01", "--json", "--soft-preferences")
                        .out())
                .isEqualTo(run.out());
    }

    @Test
    void anUnreachableHypervisorIsSkippedWithItsReasonAndNoCandidateLeftFails() {
        CliFixture.Run run = cli.run("placement", "new01");
        assertThat(run.exitCode()).isEqualTo(7);
        assertThat(run.err())
                .contains("no hypervisor can take new01.example.net (filter 'servertype=hypervisor state=online"
                        + " vlan_networks=net-a'): 1 ranked, 1 failed their hard checks");
        assertThat(run.err().lines()).hasSize(1);
        // First the ranking, then why each checked candidate failed.
        assertThat(run.out())
                .contains("1    hv02.example.net")
                .contains("excluded hv01.example.net: preference enough_memory")
                .contains("hard check failed hv02.example.net: ")
                .contains("2 candidates, 1 ranked, 2 excluded")
                .contains("chosen: none");
        assertThat(run.out().indexOf("1    hv02.example.net"))
                .isLessThan(run.out().indexOf("hard check failed hv02.example.net"));
    }

    @Test
    void badInputIsOneLineWithItsExitCode() {
        assertThat(cli.run("placement", "new01", "state=Any(online").exitCode()).isEqualTo(2);
        CliFixture.Run none = cli.run("placement", "new01", "nothing.* num_cpu=1");
        assertThat(none.exitCode()).isEqualTo(3);
        assertThat(none.err()).contains("no hypervisor matches the placement filter");
        CliFixture.Run unknown = cli.run("placement", "new01", "hv99");
        assertThat(unknown.exitCode()).isEqualTo(3);
    }
}
