package org.igvm.adapters.inventory;

import java.sql.SQLException;
import org.igvm.api.InventoryException;

/** The databases the JDBC inventory runs on, and where they differ. */
enum SqlDialect {
    SQLITE,
    POSTGRESQL;

    static SqlDialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new InventoryException("unsupported inventory URL " + jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***")
                + "; inventory.url must be jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB");
    }

    /** Whether a failed transaction may simply be run again (a serialization failure or deadlock). */
    boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return this == POSTGRESQL && state != null && (state.equals("40001") || state.equals("40P01"));
    }
}
