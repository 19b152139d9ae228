package org.igvm.adapters.inventory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.igvm.api.InventoryException;

/**
 * The inventory's table layout as numbered steps. Opening an inventory applies the steps it has
 * not seen yet, all in one transaction, and records each in {@code schema_version}; reopening is a
 * no-op. Only ever append steps: released ones may already have run somewhere.
 */
final class SchemaMigrations {
    /** A statement with this prefix runs on PostgreSQL only. */
    private static final String POSTGRESQL_ONLY = "postgresql-only: ";
    /** A statement with this prefix runs on SQLite only. */
    private static final String SQLITE_ONLY = "sqlite-only: ";
    /** Not SQL: the object documents written from the stored values, in Java (their encoding is Java's). */
    private static final String FILL_OBJECT_DOCUMENTS = "java: fill object_documents";

    /** The index that finds objects by an attribute's value. */
    static final String VALUE_INDEX = "attribute_values_by_value";

    static final String VALUE_INDEX_DDL = "CREATE INDEX " + VALUE_INDEX + " ON attribute_values (name, value_text)";

    /** Step n (1-based) is the list at index n-1; SQL that runs unchanged on SQLite and PostgreSQL. */
    static final List<List<String>> STEPS = List.of(
            List.of(
                    "CREATE TABLE objects (object_id BIGINT PRIMARY KEY, servertype VARCHAR(64) NOT NULL,"
                            + " hostname VARCHAR(255) NOT NULL UNIQUE, version BIGINT NOT NULL)",
                    "CREATE TABLE attribute_values (object_id BIGINT NOT NULL REFERENCES objects (object_id),"
                            + " name VARCHAR(128) NOT NULL, position INTEGER NOT NULL, value_text TEXT NOT NULL,"
                            + " value_type VARCHAR(16) NOT NULL, PRIMARY KEY (object_id, name, position))",
                    VALUE_INDEX_DDL,
                    "CREATE TABLE counters (name VARCHAR(64) PRIMARY KEY, value BIGINT NOT NULL)",
                    "INSERT INTO counters (name, value) VALUES ('commit', 0)"),
            List.of(
                    // servertype=… selects a tenth of the objects or less: an index, not a scan.
                    "CREATE INDEX objects_by_servertype ON objects (servertype)",
                    // Hostname prefixes (short names) are ranges in code-point order; PostgreSQL's
                    // default collation is another order, so it gets an index in "C" order.
                    POSTGRESQL_ONLY + "CREATE INDEX objects_by_hostname_c ON objects (hostname COLLATE \"C\")"),
            List.of(
                    // SQLite: the values clustered by their primary key (WITHOUT ROWID), so an object's
                    // values are one B-tree range instead of a key index search plus a row fetch each.
                    // PostgreSQL keeps its heap table and index.
                    SQLITE_ONLY + "CREATE TABLE attribute_values_clustered (object_id BIGINT NOT NULL"
                            + " REFERENCES objects (object_id), name VARCHAR(128) NOT NULL, position INTEGER NOT NULL,"
                            + " value_text TEXT NOT NULL, value_type VARCHAR(16) NOT NULL,"
                            + " PRIMARY KEY (object_id, name, position)) WITHOUT ROWID",
                    SQLITE_ONLY + "INSERT INTO attribute_values_clustered (object_id, name, position, value_text,"
                            + " value_type) SELECT object_id, name, position, value_text, value_type"
                            + " FROM attribute_values ORDER BY object_id, name, position",
                    SQLITE_ONLY + "DROP TABLE attribute_values",
                    SQLITE_ONLY + "ALTER TABLE attribute_values_clustered RENAME TO attribute_values",
                    SQLITE_ONLY + VALUE_INDEX_DDL,
                    SQLITE_ONLY + "ANALYZE"),
            List.of(
                    // Per-hypervisor VM totals kept by every write, so placement reads 10,000 rows
                    // instead of four values of each of 400,000 VMs.
                    HypervisorLoadTable.CREATE_DDL, HypervisorLoadTable.FILL_SQL),
            List.of(
                    // Each object's values as one text, so a query of 400,000 objects reads one row
                    // per object instead of one per value.
                    SQLITE_ONLY + ObjectDocumentTable.SQLITE_DDL,
                    POSTGRESQL_ONLY + ObjectDocumentTable.POSTGRESQL_DDL,
                    FILL_OBJECT_DOCUMENTS));

    /** Serialises concurrent first opens of one PostgreSQL database. */
    private static final long POSTGRES_MIGRATION_LOCK = 0x6967766d01L;

    private SchemaMigrations() {}

    static int latestVersion() {
        return STEPS.size();
    }

    /** The schema version the database is at, 0 for a database igvm never opened; reads only. */
    static int currentVersion(Connection connection, SqlDialect dialect) throws SQLException {
        String exists = dialect == SqlDialect.POSTGRESQL
                ? "SELECT CASE WHEN to_regclass('schema_version') IS NULL THEN 0 ELSE 1 END"
                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'";
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(exists)) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    return 0;
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Whether an SQLite database has no tables at all (new, or made by {@code sqlite3} without any). */
    static boolean hasNoTables(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")) {
            rs.next();
            return rs.getInt(1) == 0;
        }
    }

    /** Brings the schema up to date inside the connection's (write) transaction; returns the version. */
    static int apply(Connection connection, SqlDialect dialect) throws SQLException {
        return apply(connection, dialect, STEPS.size());
    }

    /** Brings the schema up to {@code target} (tests make older inventories with it); returns the version. */
    static int apply(Connection connection, SqlDialect dialect, int target) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (dialect == SqlDialect.POSTGRESQL) {
                statement.execute("SELECT pg_advisory_xact_lock(" + POSTGRES_MIGRATION_LOCK + ")");
            }
            statement.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                    + " applied_at VARCHAR(40) NOT NULL)");
            int current;
            try (ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                current = rs.getInt(1);
            }
            if (current > STEPS.size()) {
                throw new InventoryException("the inventory's schema version " + current
                        + " is newer than this igvm understands (" + STEPS.size() + "); upgrade igvm");
            }
            for (int version = current + 1; version <= target; version++) {
                for (String sql : STEPS.get(version - 1)) {
                    if (sql.equals(FILL_OBJECT_DOCUMENTS)) {
                        new ObjectDocumentTable(connection).rebuild();
                    } else if (sql.startsWith(POSTGRESQL_ONLY)) {
                        if (dialect == SqlDialect.POSTGRESQL) {
                            statement.execute(sql.substring(POSTGRESQL_ONLY.length()));
                        }
                    } else if (sql.startsWith(SQLITE_ONLY)) {
                        if (dialect == SqlDialect.SQLITE) {
                            statement.execute(sql.substring(SQLITE_ONLY.length()));
                        }
                    } else {
                        statement.execute(sql);
                    }
                }
                statement.execute("INSERT INTO schema_version (version, applied_at) VALUES (" + version + ", '"
                        + Instant.now() + "')");
            }
            return Math.max(current, target);
        }
    }
}
