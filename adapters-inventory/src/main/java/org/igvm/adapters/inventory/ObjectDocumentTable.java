package org.igvm.adapters.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code object_documents} table: every object's values as one {@link ObjectDocument}, kept
 * exact by every write in the same transaction (a commit refreshes the objects it touched, an
 * import writes the documents of what it creates), so a query reads one row per object. The
 * values in {@code attribute_values} stay the truth that filters, totals and single loads use;
 * every object has exactly one document.
 */
final class ObjectDocumentTable {
    /** SQLite: the id is the rowid (one B-tree, documents of ~200 bytes sit in its leaves). */
    static final String SQLITE_DDL = "CREATE TABLE object_documents (object_id INTEGER PRIMARY KEY"
            + " REFERENCES objects (object_id), document TEXT NOT NULL)";

    static final String POSTGRESQL_DDL = "CREATE TABLE object_documents (object_id BIGINT PRIMARY KEY"
            + " REFERENCES objects (object_id), document TEXT NOT NULL)";

    static final String INSERT = "INSERT INTO object_documents (object_id, document) VALUES (?, ?)";

    private static final int BATCH = 2_000;

    private final Connection connection;

    ObjectDocumentTable(Connection connection) {
        this.connection = connection;
    }

    /** Rewrites the documents of these objects from their stored values; a deleted object has none. */
    void refresh(Collection<Long> objectIds) throws SQLException {
        if (objectIds.isEmpty()) {
            return;
        }
        try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM object_documents WHERE object_id = ?");
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM objects WHERE object_id = ?");
                PreparedStatement values = connection.prepareStatement(
                        "SELECT name, value_text FROM attribute_values WHERE object_id = ? ORDER BY name, position");
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (long id : objectIds) {
                delete.setLong(1, id);
                delete.executeUpdate();
                exists.setLong(1, id);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                }
                Map<String, List<String>> stored = new TreeMap<>();
                values.setLong(1, id);
                try (ResultSet rs = values.executeQuery()) {
                    while (rs.next()) {
                        stored.computeIfAbsent(rs.getString(1), n -> new ArrayList<>(1))
                                .add(rs.getString(2));
                    }
                }
                insert.setLong(1, id);
                insert.setString(2, ObjectDocument.encode(stored));
                insert.executeUpdate();
            }
        }
    }

    /**
     * Writes every object's document anew from the stored values, in one pass over them in
     * object order: the schema step that adds the table.
     */
    void rebuild() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM object_documents");
        }
        try (PreparedStatement read = connection.prepareStatement("SELECT o.object_id, v.name, v.value_text"
                        + " FROM objects o LEFT JOIN attribute_values v ON v.object_id = o.object_id"
                        + " ORDER BY o.object_id, v.name, v.position");
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            read.setFetchSize(4096);
            int pending = 0;
            try (ResultSet rs = read.executeQuery()) {
                long current = Long.MIN_VALUE;
                Map<String, List<String>> stored = new TreeMap<>();
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (id != current) {
                        if (current != Long.MIN_VALUE) {
                            pending = add(insert, current, stored, pending);
                        }
                        current = id;
                        stored = new TreeMap<>();
                    }
                    String name = rs.getString(2);
                    if (name != null) {
                        stored.computeIfAbsent(name, n -> new ArrayList<>(1)).add(rs.getString(3));
                    }
                }
                if (current != Long.MIN_VALUE) {
                    add(insert, current, stored, pending);
                }
            }
            insert.executeBatch();
        }
    }

    private static int add(PreparedStatement insert, long id, Map<String, List<String>> stored, int pending)
            throws SQLException {
        insert.setLong(1, id);
        insert.setString(2, ObjectDocument.encode(stored));
        insert.addBatch();
        if (pending + 1 >= BATCH) {
            insert.executeBatch();
            return 0;
        }
        return pending + 1;
    }
}
