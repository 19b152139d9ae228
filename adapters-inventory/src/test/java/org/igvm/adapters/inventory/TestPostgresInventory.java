package org.igvm.adapters.inventory;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;

/**
 * The contract on PostgreSQL at {@code IGVM_TEST_PG_URL} (see {@code scripts/postgres-test-server}),
 * each test in its own fresh schema. Without the variable the tests are skipped, or fail when
 * {@code CI=true}.
 */
class TestPostgresInventory extends InventoryContract {
    static final String URL_VARIABLE = "IGVM_TEST_PG_URL";

    private String schema;

    /** Per test, so a run without PostgreSQL reports every contract case as skipped (or failed in CI). */
    static void requirePostgres() {
        if (postgresUrl() == null) {
            String reason = URL_VARIABLE + " is not set, so the PostgreSQL inventory tests cannot run; start a server"
                    + " with `scripts/postgres-test-server start DIR PORT` and export the line it prints";
            if ("true".equals(System.getenv("CI"))) {
                fail(reason + " (CI=true: these tests must run in CI)");
            }
            Assumptions.abort(reason);
        }
    }

    static String postgresUrl() {
        String url = System.getenv(URL_VARIABLE);
        return url == null || url.isBlank() ? null : url;
    }

    @Override
    protected String freshDatabaseUrl() throws Exception {
        requirePostgres();
        schema = "igvm_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = DriverManager.getConnection(postgresUrl());
                var statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return withSchema(postgresUrl(), schema);
    }

    static String withSchema(String url, String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            try (Connection connection = DriverManager.getConnection(postgresUrl());
                    var statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
