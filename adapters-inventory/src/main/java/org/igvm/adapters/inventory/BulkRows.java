package org.igvm.adapters.inventory;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/**
 * Rows for one table of a bulk load, sent in blocks: on PostgreSQL as one {@code COPY … FROM STDIN}
 * per block (its text format, about four times the rows per second of batched multi-row INSERTs
 * here: the fleet's 5.3 M values took 128 s as INSERTs), on SQLite as a batch of a prepared INSERT
 * (in-process, nothing to save on round trips).
 */
final class BulkRows implements AutoCloseable {
    private final String table;
    private final String[] columns;
    private final PreparedStatement insert;
    private final org.postgresql.copy.CopyManager copy;
    private final StringBuilder block = new StringBuilder();
    private int pending;

    BulkRows(Connection connection, SqlDialect dialect, String table, String... columns) throws SQLException {
        this.table = table;
        this.columns = columns;
        if (dialect == SqlDialect.POSTGRESQL) {
            this.copy = connection.unwrap(PGConnection.class).getCopyAPI();
            this.insert = null;
        } else {
            this.copy = null;
            this.insert = connection.prepareStatement("INSERT INTO " + table + " (" + String.join(", ", columns)
                    + ") VALUES (" + "?, ".repeat(columns.length - 1) + "?)");
        }
    }

    /** One row: a value per column (Long, Integer or String). */
    void add(Object... values) throws SQLException {
        if (values.length != columns.length) {
            throw new IllegalArgumentException(table + " has " + columns.length + " columns, not " + values.length);
        }
        if (copy != null) {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    block.append('\t');
                }
                appendCopyText(block, values[i]);
            }
            block.append('\n');
        } else {
            for (int i = 0; i < values.length; i++) {
                if (values[i] instanceof Long l) {
                    insert.setLong(i + 1, l);
                } else if (values[i] instanceof Integer n) {
                    insert.setInt(i + 1, n);
                } else {
                    insert.setString(i + 1, (String) values[i]);
                }
            }
            insert.addBatch();
        }
        pending++;
    }

    int pending() {
        return pending;
    }

    /** Sends the rows added since the last flush. */
    void flush() throws SQLException {
        if (pending == 0) {
            return;
        }
        if (copy != null) {
            try {
                copy.copyIn(
                        "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN",
                        new StringReader(block.toString()));
            } catch (IOException e) {
                throw new SQLException("sending rows of " + table + " failed", e);
            }
            block.setLength(0);
        } else {
            insert.executeBatch();
        }
        pending = 0;
    }

    @Override
    public void close() throws SQLException {
        if (insert != null) {
            insert.close();
        }
    }

    /** COPY's text format: backslash escapes for the backslash, tab, newline and carriage return. */
    static void appendCopyText(StringBuilder out, Object value) {
        if (!(value instanceof String text)) {
            out.append(value);
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
