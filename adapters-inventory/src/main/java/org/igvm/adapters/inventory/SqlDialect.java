package org.igvm.adapters.inventory;

import java.sql.SQLException;

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
        throw new IllegalArgumentException("unsupported inventory JDBC URL (use jdbc:sqlite:FILE or"
                + " jdbc:postgresql://HOST/DB): " + jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***"));
    }

    /** Whether a failed transaction may simply be run again (a serialization failure or deadlock). */
    boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return this == POSTGRESQL && state != null && (state.equals("40001") || state.equals("40P01"));
    }
}
