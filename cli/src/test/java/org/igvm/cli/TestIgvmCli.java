package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.igvm.api.ExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The igvm command line as an operator uses it: results on stdout, one clear line on stderr for
 * every failure, documented exit codes, and nothing changed when the input is bad.
 */
class TestIgvmCli {
    @TempDir
    Path dir;

    CliFixture igvm;

    @BeforeEach
    void fleet() throws Exception {
        igvm = new CliFixture(dir);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "start",
                "stop",
                "restart",
                "define",
                "delete",
                "sync",
                "info",
                "vcpu-set",
                "mem-set",
                "disk-set",
                "change-address",
                "unlock",
                "inventory",
                "inventory init",
                "inventory import",
                "inventory export",
                "inventory show",
                "inventory query",
                "inventory set"
            })
    void everyCommandHasHelp(String command) {
        List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        CliFixture.Run run = igvm.run(args.toArray(String[]::new));
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .startsWith("Usage: igvm " + command)
                .contains("--verbose")
                .contains("--config");
    }

    @Test
    void topLevelHelpDocumentsTheExitCodes() {
        CliFixture.Run run = CliFixture.runRaw("--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Exit codes:")
                .contains("3   no such VM")
                .contains("6   a hypervisor or host could not be reached");
    }

    @Test
    void helpAndVersionOpenNoInventory() throws Exception {
        Path config = dir.resolve("untouched.yaml");
        Path database = dir.resolve("never-created.db");
        Files.writeString(config, "inventory:\n  url: \"jdbc:sqlite:" + database + "\"\n");
        assertThat(CliFixture.runRaw("--config", config.toString(), "--help").exitCode())
                .isZero();
        assertThat(CliFixture.runRaw("--config", config.toString(), "--version").out())
                .startsWith("igvm ");
        assertThat(database).doesNotExist();
    }

    @Test
    void infoPrintsTheVmAsTextAndJson() {
        CliFixture.Run text = igvm.run("info", "web01");
        assertThat(text.exitCode()).isZero();
        assertThat(text.out()).contains("status           running").contains("hypervisor       hv01.example.net");

        CliFixture.Run json = igvm.run("info", "web01", "--json");
        assertThat(json.exitCode()).isZero();
        // Keys sorted; what the guest could not tell is null.
        assertThat(json.out().strip())
                .startsWith("{\"disk_free_gib\":null,\"disk_gib\":10,\"hostname\":\"web01.example.net\","
                        + "\"hypervisor\":\"hv01.example.net\",")
                .contains("\"memory_mib\":2048,\"num_cpu\":2,\"object_id\":4242,\"status\":\"running\"}");
    }

    @Test
    void stopReportsWhatItDid() {
        // Each run is a new test-driver connection that starts from the node file again, so the
        // effect itself is asserted in TestLifecycleCommands, within one runtime.
        CliFixture.Run run = igvm.run("stop", "--force", "web01");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("web01 stopped\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void unknownVmIsOneLineWithExitCodeNotFound() {
        CliFixture.Run run = igvm.run("start", "nosuchvm");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertOneErrorLine(run, "igvm: error: no VM named 'nosuchvm' in the inventory");
    }

    @Test
    void unknownOptionIsOneLineWithExitCodeInvalidInput() {
        CliFixture.Run run = igvm.run("stop", "--bogus", "web01");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertOneErrorLine(run, "igvm: error: Unknown option: '--bogus' (see: igvm stop --help)");
    }

    @Test
    void missingArgumentIsOneLine() {
        CliFixture.Run run = igvm.run("start");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertOneErrorLine(run, "igvm: error: Missing required parameter: 'VM'");
    }

    @Test
    void malformedQueryPointsAtTheToken() {
        CliFixture.Run run = igvm.run("inventory", "query", "state=Any(online");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertOneErrorLine(run, "igvm: error: malformed query at token");
    }

    @Test
    void badAttributeValuesChangeNothing() throws Exception {
        String before = igvm.run("inventory", "export").out();

        CliFixture.Run wrongType = igvm.run("inventory", "set", "web01", "num_cpu=4", "memory=lots");
        assertThat(wrongType.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertOneErrorLine(wrongType, "igvm: error: invalid value 'lots' for attribute memory");

        CliFixture.Run unknown = igvm.run("inventory", "set", "web01", "colour=blue");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertOneErrorLine(unknown, "igvm: error: unknown attribute 'colour' for servertype vm");

        assertThat(igvm.run("inventory", "export").out()).isEqualTo(before);
    }

    @Test
    void retiredVmIsRefusedAndStaysAsItWas() {
        assertThat(igvm.run("inventory", "set", "web01", "state=retired").exitCode())
                .isZero();
        String before = igvm.run("inventory", "export").out();

        CliFixture.Run run = igvm.run("restart", "web01");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertOneErrorLine(run, "igvm: error: web01.example.net is retired");
        assertThat(igvm.run("inventory", "export").out()).isEqualTo(before);
    }

    @Test
    void vmWithoutHypervisorIsRefused() {
        CliFixture.Run run = igvm.run("define", "new01");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertOneErrorLine(run, "igvm: error: new01.example.net has no hypervisor");
    }

    @Test
    void unreachableHypervisorIsOneLineAndLeavesTheInventoryAlone() {
        String before = igvm.run("inventory", "export").out();

        CliFixture.Run run = igvm.run("stop", "web02");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertOneErrorLine(run, "igvm: error: hypervisor hv02.example.net is unreachable");
        assertThat(igvm.run("inventory", "export").out()).isEqualTo(before);
    }

    @Test
    void brokenConfigIsOneLine() throws Exception {
        Path config = dir.resolve("broken.yaml");
        Files.writeString(config, "site:\n  bridge_name: br0\n");
        CliFixture.Run run = CliFixture.runRaw("--config", config.toString(), "info", "web01");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertOneErrorLine(run, "igvm: error: unknown setting 'site.bridge_name'");
    }

    @Test
    void setShowAndQueryWorkTogether() {
        assertThat(igvm.run("inventory", "set", "web01", "memory=4096", "mac=ca:fe:00:00:00:01")
                        .exitCode())
                .isZero();
        assertThat(igvm.run("inventory", "show", "web01", "--json").out())
                .contains("\"memory\":4096")
                .contains("\"mac\":[\"ca:fe:00:00:00:01\"]");
        assertThat(igvm.run("inventory", "query", "servertype=vm memory=GreaterThan(2048)")
                        .out())
                .isEqualTo("db01.example.net\nweb01.example.net\n");
    }

    @Test
    void exportImportsBackIntoAnEmptyInventory() throws Exception {
        Path exported = dir.resolve("export.yaml");
        assertThat(igvm.run("inventory", "export", exported.toString()).exitCode())
                .isZero();
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        CliFixture second = new CliFixture(other);
        CliFixture.Run again = second.run("inventory", "import", exported.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT); // already there
        assertThat(again.err()).contains("already in the inventory");
        assertThat(second.run("inventory", "import", "--replace", exported.toString())
                        .exitCode())
                .isZero();
        assertThat(second.run("inventory", "export").out())
                .isEqualTo(igvm.run("inventory", "export").out());
    }

    @Test
    void helpAndBadArgumentsDoNotReadABrokenConfig() throws Exception {
        Path config = dir.resolve("broken.yaml");
        Files.writeString(config, "site: [\n");

        CliFixture.Run help = CliFixture.runRaw("--config", config.toString(), "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: igvm ");
        assertThat(help.err()).isEmpty();

        CliFixture.Run subcommandHelp = CliFixture.runRaw("--config", config.toString(), "inventory", "show", "--help");
        assertThat(subcommandHelp.exitCode()).isZero();
        assertThat(subcommandHelp.out()).startsWith("Usage: igvm inventory show");

        CliFixture.Run version = CliFixture.runRaw("--config", config.toString(), "--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("igvm ");

        CliFixture.Run badArgument = CliFixture.runRaw("--config", config.toString(), "stop", "--bogus", "web01");
        assertThat(badArgument.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertOneErrorLine(badArgument, "igvm: error: Unknown option: '--bogus' (see: igvm stop --help)");

        // A command that runs reads the config, and says what is wrong with it.
        CliFixture.Run runs = CliFixture.runRaw("--config", config.toString(), "inventory", "show", "web01");
        assertThat(runs.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(runs.err()).startsWith("igvm: error: ").contains(config.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"igvm_locked=2020-01-01 00:00:00+0000", "igvm_locked_by=mallory@elsewhere pid 7"})
    void setCannotForgeALock(String assignment) {
        String before = igvm.run("inventory", "export").out();

        CliFixture.Run run = igvm.run("inventory", "set", "web01", "memory=4096", assignment);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        String attribute = assignment.substring(0, assignment.indexOf('='));
        assertOneErrorLine(run, "igvm: error: " + attribute + " of web01.example.net cannot be changed");
        assertThat(run.err()).contains("igvm unlock web01.example.net");
        assertThat(run.out()).isEmpty();
        assertThat(igvm.run("inventory", "export").out()).isEqualTo(before);
    }

    @Test
    void setCannotClearALockEither() throws Exception {
        forgeStaleLock("web01.example.net");
        String before = igvm.run("inventory", "export").out();

        CliFixture.Run run = igvm.run("inventory", "set", "web01", "igvm_locked=", "igvm_locked_by=");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertOneErrorLine(run, "igvm: error: igvm_locked of web01.example.net cannot be changed");
        assertThat(igvm.run("inventory", "export").out()).isEqualTo(before).contains("bob@gone pid 1");
    }

    @Test
    void unlockBreaksAStaleLockOnlyWhenConfirmed() throws Exception {
        forgeStaleLock("web01.example.net");

        CliFixture.Run blocked = igvm.run("stop", "web01");
        assertThat(blocked.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertOneErrorLine(blocked, "igvm: error: web01.example.net is already being worked on by another igvm");
        assertThat(blocked.err())
                .contains("bob@gone pid 1")
                .contains("stale")
                .contains("igvm unlock web01.example.net");

        CliFixture.Run unlocked = igvm.run("unlock", "web01", "--yes");
        assertThat(unlocked.exitCode()).isZero();
        assertThat(unlocked.out()).contains("locked by bob@gone pid 1 since 2020-01-01 00:00:00+0000");
        assertThat(igvm.run("inventory", "show", "web01", "--json").out()).doesNotContain("igvm_locked");

        CliFixture.Run notLocked = igvm.run("unlock", "web01", "--yes");
        assertThat(notLocked.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertOneErrorLine(notLocked, "igvm: error: web01.example.net is not locked");
    }

    @Test
    void unlockTakesForce() throws Exception {
        forgeStaleLock("web01.example.net");
        CliFixture.Run run = igvm.run("unlock", "--force", "--yes", "web01");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).endsWith("web01.example.net unlocked\n");
        assertThat(igvm.run("inventory", "show", "web01").out()).doesNotContain("igvm_locked");
        assertThat(igvm.run("unlock", "--help").out()).contains("--force");
    }

    @Test
    void inventoryJsonIsSortedAndTheSameBytesEveryTime() {
        CliFixture.Run show = igvm.run("inventory", "show", "web01", "--json");
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).startsWith("{\"disk_size_gib\":10,\"environment\":\"production\",");
        assertThat(show.out()).contains("\"num_cpu\":2,\"object_id\":4242,\"os\":\"bookworm\"");
        assertThat(igvm.run("inventory", "show", "web01", "--json").out()).isEqualTo(show.out());

        CliFixture.Run query = igvm.run("inventory", "query", "servertype=vm", "-a", "num_cpu,memory", "--json");
        assertThat(query.exitCode()).isZero();
        assertThat(query.out())
                .startsWith("[{\"hostname\":\"db01.example.net\",\"memory\":4096,\"num_cpu\":4,\"object_id\":4243}");
        assertThat(igvm.run("inventory", "query", "servertype=vm", "-a", "memory,num_cpu", "--json")
                        .out())
                .isEqualTo(query.out());
    }

    @Test
    void inventoryQueryPrintsTheAskedColumnsInTheirOrder() {
        // An attribute twice, a set (printed as a list), an empty one ("-"), and the identity.
        CliFixture.Run query = igvm.run(
                "inventory", "query", "servertype=vm", "-a", "num_cpu,hypervisor,num_cpu,sshfp,igvm_locked,object_id");
        assertThat(query.exitCode()).as(query.err()).isZero();
        assertThat(query.out().lines()).first().isEqualTo("db01.example.net\t4\thv01.example.net\t4\t[]\t-\t4243");
        assertThat(query.out().lines()).isSortedAccordingTo(java.util.Comparator.naturalOrder());
    }

    /**
     * A lock left by an igvm that died long ago, restored the way an operator restores a fleet
     * (export, import --replace): {@code inventory set} cannot write locks.
     */
    private void forgeStaleLock(String hostname) throws Exception {
        String exported = igvm.run("inventory", "export").out();
        String marker = "    hostname: " + hostname + "\n";
        assertThat(exported).contains(marker);
        String locked = exported.replace(
                marker,
                marker + "    igvm_locked: \"2020-01-01 00:00:00+0000\"\n    igvm_locked_by: \"bob@gone pid 1\"\n");
        Path file = dir.resolve("locked.yaml");
        Files.writeString(file, locked);
        CliFixture.Run imported = igvm.run("inventory", "import", "--replace", file.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(igvm.run("inventory", "show", hostname).out()).contains("bob@gone pid 1");
    }

    private static void assertOneErrorLine(CliFixture.Run run, String start) {
        assertThat(run.err().lines().toList()).as("stderr: %s", run.err()).hasSize(1);
        assertThat(run.err()).startsWith(start);
    }
}
