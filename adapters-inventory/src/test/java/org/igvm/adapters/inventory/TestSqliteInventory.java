package org.igvm.adapters.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
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
}
