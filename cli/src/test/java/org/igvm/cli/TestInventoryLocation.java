package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.igvm.api.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An inventory that cannot be opened is one line naming the location and the cause, exit 8, and
 * nothing written; only {@code inventory init} and {@code inventory import} create a missing one.
 */
class TestInventoryLocation {
    @TempDir
    Path dir;

    private CliFixture.Run igvm(String url, String... args) throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, "inventory:\n  url: \"" + url + "\"\n");
        String[] full = new String[args.length + 2];
        full[0] = "--config";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return CliFixture.runRaw(full);
    }

    @ParameterizedTest
    @ValueSource(strings = {"inventory show web01", "inventory query servertype=vm", "inventory export", "info web01"})
    void aReadOnAMissingFileSaysItDoesNotExistAndCreatesNothing(String command) throws Exception {
        Path file = dir.resolve("typo/inventory.db");

        CliFixture.Run run = igvm("jdbc:sqlite:" + file, command.split(" "));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVENTORY_ERROR);
        assertOneLine(run, "igvm: error: inventory " + file + " does not exist; create it with: igvm inventory init");
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void initCreatesOnceThenReadsWork() throws Exception {
        Path file = dir.resolve("new/inventory.db");
        String url = "jdbc:sqlite:" + file;

        CliFixture.Run init = igvm(url, "inventory", "init");
        assertThat(init.exitCode()).as(init.err()).isZero();
        assertThat(init.out()).isEqualTo("created an empty inventory\n");
        assertThat(file).isRegularFile();

        assertThat(igvm(url, "inventory", "init").out()).isEqualTo("the inventory exists already; nothing changed\n");
        CliFixture.Run query = igvm(url, "inventory", "query", "servertype=vm");
        assertThat(query.exitCode()).isZero();
        assertThat(query.out()).isEmpty();
        CliFixture.Run show = igvm(url, "inventory", "show", "web01");
        assertThat(show.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void importCreatesAMissingInventory() throws Exception {
        Path file = dir.resolve("imported.db");
        String url = "jdbc:sqlite:" + file;

        CliFixture.Run run = igvm(
                url,
                "inventory",
                "import",
                CliFixture.EXAMPLES.resolve("fleet.yaml").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(igvm(url, "inventory", "show", "web01").out()).contains("web01.example.net");
    }

    @ParameterizedTest
    @ValueSource(strings = {"inventory show web01", "inventory init", "inventory import /nonexistent.yaml"})
    void aZeroByteFileIsNotRewritten(String command) throws Exception {
        Path file = Files.createFile(dir.resolve("empty.db"));

        CliFixture.Run run = igvm("jdbc:sqlite:" + file, command.split(" "));

        if (command.contains("import")) {
            // The fleet file is read first: the inventory is not even opened.
            assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        } else {
            assertThat(run.exitCode()).isEqualTo(ExitCodes.INVENTORY_ERROR);
            assertOneLine(run, "igvm: error: inventory " + file + " is an empty file (0 bytes), not an inventory");
        }
        assertThat(file).isEmptyFile();
    }

    @Test
    void aDirectoryIsNamed() throws Exception {
        CliFixture.Run run = igvm("jdbc:sqlite:" + dir, "inventory", "show", "web01");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVENTORY_ERROR);
        assertOneLine(run, "igvm: error: inventory " + dir + " is a directory, not an SQLite file");
    }

    @Test
    void aFileThatIsNoSqliteDatabaseIsNamedAndLeftAlone() throws Exception {
        Path file = Files.writeString(dir.resolve("fleet.yaml"), "objects: []\n");
        CliFixture.Run run = igvm("jdbc:sqlite:" + file, "inventory", "import", file.toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVENTORY_ERROR);
        assertOneLine(run, "igvm: error: inventory " + file + " is not an SQLite database");
        assertThat(file).hasContent("objects: []");
    }

    @Test
    void aCorruptDatabaseIsOneLine() throws Exception {
        Path file = dir.resolve("corrupt.db");
        byte[] garbage = new byte[4096];
        System.arraycopy("SQLite format 3\0".getBytes(), 0, garbage, 0, 16);
        java.util.Arrays.fill(garbage, 16, garbage.length, (byte) 0x5a);
        Files.write(file, garbage);

        CliFixture.Run run = igvm("jdbc:sqlite:" + file, "inventory", "show", "web01");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVENTORY_ERROR);
        assertOneLine(run, "igvm: error: inventory " + file + " failed: ");
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    }

    @Test
    void anUnsupportedUrlIsOneLine() throws Exception {
        CliFixture.Run run = igvm("mysql://db/igvm", "inventory", "show", "web01");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVENTORY_ERROR);
        assertOneLine(run, "igvm: error: unsupported inventory URL mysql://db/igvm; inventory.url must be");
    }

    @Test
    void aDuplicateConfigKeyIsOneLine() throws Exception {
        Path config = dir.resolve("twice.yaml");
        Files.writeString(config, "site:\n  lock_stale_after_minutes: 5\nsite:\n  guest_logins: false\n");
        CliFixture.Run run = CliFixture.runRaw("--config", config.toString(), "inventory", "show", "web01");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertOneLine(run, "igvm: error: config file " + config + " is not valid YAML: found duplicate key site");
    }

    @Test
    void aNegativeLockAgeIsOneLine() throws Exception {
        Path config = dir.resolve("negative.yaml");
        Files.writeString(config, "site:\n  lock_stale_after_minutes: -5\n");
        CliFixture.Run run = CliFixture.runRaw("--config", config.toString(), "inventory", "show", "web01");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertOneLine(
                run,
                "igvm: error: setting 'site.lock_stale_after_minutes' in " + config
                        + ": must be a whole number of at least 1, not -5");
    }

    private static void assertOneLine(CliFixture.Run run, String start) {
        assertThat(run.err().lines().toList()).as("stderr: %s", run.err()).hasSize(1);
        assertThat(run.err()).startsWith(start);
    }
}
