package org.igvm.adapters.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import org.igvm.api.InventoryException;
import org.igvm.domain.inventory.Query;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSqliteInventory extends InventoryContract {
    @TempDir
    Path directory;

    @Override
    protected String freshDatabaseUrl() {
        return "jdbc:sqlite:" + directory.resolve("inventory.db");
    }

    @Override
    protected void assertIntact(JdbcInventory reopened) throws Exception {
        try (var connection = DriverManager.getConnection(url());
                var statement = connection.createStatement();
                var rs = statement.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
    }

    @Test
    void createsMissingParentDirectoriesAndUsesWal() throws Exception {
        Path file = directory.resolve("a/b/c/inventory.db");
        try (JdbcInventory created = new JdbcInventory(InventoryConfig.sqlite(file))) {
            assertThat(created.create()).isTrue();
            assertThat(created.schemaVersion()).isEqualTo(SchemaMigrations.latestVersion());
        }
        assertThat(Files.isRegularFile(file)).isTrue();
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                var statement = connection.createStatement();
                var rs = statement.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void aReadOnAMissingFileSaysSoAndCreatesNothing() {
        Path file = directory.resolve("typo/inventory.db");
        try (JdbcInventory missing = new JdbcInventory(InventoryConfig.sqlite(file))) {
            assertThatThrownBy(() -> missing.query(new Query(Map.of())))
                    .isInstanceOf(InventoryException.class)
                    .hasMessage("inventory " + file + " does not exist; create it with: igvm inventory init"
                            + " (or igvm inventory import FILE), or check inventory.url in the config");
        }
        assertThat(file.getParent()).doesNotExist();
    }

    @Test
    void createMakesAMissingFileOnceAndThenFindsIt() throws Exception {
        Path file = directory.resolve("new.db");
        try (JdbcInventory fresh = new JdbcInventory(InventoryConfig.sqlite(file))) {
            assertThat(fresh.create()).isTrue();
            assertThat(fresh.query(new Query(Map.of()))).isEmpty();
        }
        try (JdbcInventory again = new JdbcInventory(InventoryConfig.sqlite(file))) {
            assertThat(again.create()).isFalse();
            assertThat(again.schemaVersion()).isEqualTo(SchemaMigrations.latestVersion());
        }
    }

    @Test
    void aZeroByteFileIsNeitherReadNorRewritten() throws Exception {
        Path file = Files.createFile(directory.resolve("empty.db"));
        try (JdbcInventory empty = new JdbcInventory(InventoryConfig.sqlite(file))) {
            String expected = "inventory " + file + " is an empty file (0 bytes), not an inventory; igvm does not"
                    + " overwrite it: remove it, then create the inventory with: igvm inventory init";
            assertThatThrownBy(() -> empty.query(new Query(Map.of()))).hasMessage(expected);
            assertThatThrownBy(empty::create).hasMessage(expected);
        }
        assertThat(file).isEmptyFile();
    }

    @Test
    void aDirectoryIsNamedAsSuch() {
        try (JdbcInventory dir = new JdbcInventory(InventoryConfig.sqlite(directory))) {
            assertThatThrownBy(dir::create)
                    .isInstanceOf(InventoryException.class)
                    .hasMessage("inventory " + directory
                            + " is a directory, not an SQLite file; point inventory.url at a file");
        }
    }

    @Test
    void aFileThatIsNoSqliteDatabaseIsLeftAsItIs() throws Exception {
        Path file = Files.writeString(directory.resolve("notes.txt"), "objects:\n  - hostname: web01\n");
        byte[] before = Files.readAllBytes(file);
        try (JdbcInventory notes = new JdbcInventory(InventoryConfig.sqlite(file))) {
            assertThatThrownBy(notes::create)
                    .isInstanceOf(InventoryException.class)
                    .hasMessage("inventory " + file + " is not an SQLite database (it does not start with SQLite's"
                            + " header); check inventory.url in the config");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aCorruptDatabaseIsOneInventoryError() throws Exception {
        Path file = directory.resolve("corrupt.db");
        byte[] garbage = new byte[8192];
        System.arraycopy("SQLite format 3\0".getBytes(), 0, garbage, 0, 16);
        for (int i = 16; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31);
        }
        Files.write(file, garbage);
        try (JdbcInventory corrupt = new JdbcInventory(InventoryConfig.sqlite(file))) {
            assertThatThrownBy(() -> corrupt.query(new Query(Map.of())))
                    .isInstanceOf(InventoryException.class)
                    .hasMessageStartingWith("inventory " + file + " failed: ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
    }

    @Test
    void anotherApplicationsSqliteDatabaseIsNotTakenOver() throws Exception {
        Path file = directory.resolve("other.db");
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                var statement = connection.createStatement()) {
            statement.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)");
        }
        byte[] before = Files.readAllBytes(file);
        try (JdbcInventory other = new JdbcInventory(InventoryConfig.sqlite(file))) {
            assertThatThrownBy(other::create)
                    .hasMessage("inventory " + file + " is an SQLite database of something else (it has tables but no"
                            + " igvm schema); check inventory.url in the config");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void aReadOnlyInventoryCanBeRead() throws Exception {
        Path file = directory.resolve("ro.db");
        try (JdbcInventory writable = new JdbcInventory(InventoryConfig.sqlite(file))) {
            writable.create();
        }
        // mode=ro: SQLite refuses every write, as on a file the user may not write (root may write any).
        try (JdbcInventory readOnly = new JdbcInventory(InventoryConfig.of("jdbc:sqlite:file:" + file + "?mode=ro"))) {
            assertThat(readOnly.query(new Query(Map.of()))).isEmpty();
            assertThat(readOnly.schemaVersion()).isEqualTo(SchemaMigrations.latestVersion());
        }
    }

    @Test
    void anUnsupportedUrlIsAnInventoryError() {
        assertThatThrownBy(() -> new JdbcInventory(InventoryConfig.of("jdbc:mysql://db/igvm?password=secret")))
                .isInstanceOf(InventoryException.class)
                .hasMessage("unsupported inventory URL jdbc:mysql://db/igvm?password=***; inventory.url must be"
                        + " jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB");
    }

    @Test
    void anInventoryOfSchemaVersion2MovesItsValuesIntoTheClusteredTable() throws Exception {
        Path file = directory.resolve("v2.db");
        String url = "jdbc:sqlite:" + file;
        try (var connection = DriverManager.getConnection(url);
                var statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            SchemaMigrations.apply(connection, SqlDialect.SQLITE, 2);
            statement.execute("INSERT INTO objects VALUES (7, 'vm', 'web07.example.net', 1)");
            statement.execute("INSERT INTO attribute_values VALUES (7, 'num_cpu', 0, '4', 'integer')");
            statement.execute("INSERT INTO attribute_values VALUES (7, 'mac', 0, 'ca:fe:00:00:00:01', 'string')");
            statement.execute("INSERT INTO attribute_values VALUES (7, 'mac', 1, 'ca:fe:00:00:00:02', 'string')");
            connection.commit();
        }

        try (JdbcInventory migrated = new JdbcInventory(InventoryConfig.of(url))) {
            assertThat(migrated.get(7).orElseThrow().attributes())
                    .containsEntry("num_cpu", 4L)
                    .containsEntry("mac", java.util.List.of("ca:fe:00:00:00:01", "ca:fe:00:00:00:02"));
            assertThat(migrated.schemaVersion()).isEqualTo(SchemaMigrations.latestVersion());
            assertThat(migrated.query(org.igvm.domain.inventory.QueryParser.parse("num_cpu=4")))
                    .extracting(o -> o.hostname())
                    .containsExactly("web07.example.net");
        }
        try (var connection = DriverManager.getConnection(url);
                var statement = connection.createStatement();
                var rs = statement.executeQuery(
                        "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'attribute_values'" + " ORDER BY name")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("attribute_values");
            assertThat(rs.getString(2)).endsWith("WITHOUT ROWID");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(SchemaMigrations.VALUE_INDEX);
            assertThat(rs.next()).isFalse();
        }
    }
}
