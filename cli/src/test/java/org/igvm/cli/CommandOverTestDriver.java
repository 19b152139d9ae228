package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.igvm.bootstrap.plugin.TestPluginSources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command tests of migrate and evacuate stand on: both example hypervisors on libvirt's
 * test driver (fresh for every command line: the test driver keeps its state per connection),
 * the example fleet in SQLite, and a recording transport ({@code testcopy}) from a plugin jar built
 * at test time, which writes its calls to {@link #record} and fails in the phase the config says.
 */
abstract class CommandOverTestDriver {
    @TempDir
    Path dir;

    Path config;
    Path record;

    @BeforeEach
    void fleet() throws Exception {
        new CliFixture(dir); // imports the example fleet into dir/inventory.db
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        TestPluginSources.recordingTransport("org.example.rec", "testcopy").writeTo(plugins.resolve("rec.jar"));
        record = dir.resolve("calls.txt");
        config = writeConfig("");
    }

    Path writeConfig(String failIn) throws Exception {
        return Files.writeString(
                dir.resolve("migrate.yaml"),
                """
                inventory:
                  url: "jdbc:sqlite:%s"
                libvirt:
                  hypervisors:
                    hv01.example.net: "test://%s"
                    hv02.example.net: "test://%s"
                site:
                  shutdown_timeout_seconds: 5
                  guest_logins: false
                plugins:
                  dirs: ["%s"]
                transports:
                  testcopy:
                    record_to: "%s"
                    fail_in: "%s"
                """
                        .formatted(
                                dir.resolve("inventory.db"),
                                CliFixture.EXAMPLES.resolve("testdriver/hv01.xml"),
                                CliFixture.EXAMPLES.resolve("testdriver/hv02.xml"),
                                dir.resolve("plugins"),
                                record,
                                failIn));
    }

    CliFixture.Run igvm(String... args) {
        List<String> full = new ArrayList<>(List.of("--config", config.toString()));
        full.addAll(List.of(args));
        return CliFixture.runRaw(full.toArray(String[]::new));
    }

    String inventory() {
        CliFixture.Run export = igvm("inventory", "export");
        assertThat(export.exitCode()).as(export.err()).isZero();
        return export.out();
    }

    List<String> recorded() throws Exception {
        return Files.exists(record) ? Files.readAllLines(record) : List.of();
    }

    /**
     * Runs the command line (words split at spaces) and checks what bad input must give: exit
     * {@code code}, one line on stderr starting "igvm: error: " and containing {@code message}
     * (when not null), nothing on stdout, the inventory unchanged, no transport call.
     */
    void assertOneLineErrorAndNothingChanged(String commandLine, int code, String message) throws Exception {
        String before = inventory();

        CliFixture.Run run = igvm(commandLine.split(" "));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(code);
        assertThat(run.err().lines()).as(run.err()).hasSize(1);
        assertThat(run.err()).startsWith("igvm: error: ");
        if (message != null) {
            assertThat(run.err()).contains(message);
        }
        assertThat(run.out()).isEmpty();
        assertThat(inventory()).isEqualTo(before);
        assertThat(recorded()).isEmpty();
    }
}
