package org.igvm.adapters.inventory;

import java.nio.file.Path;

/**
 * Where the inventory lives: a JDBC URL ({@code jdbc:sqlite:…} or {@code jdbc:postgresql:…}) and
 * optional credentials. The password never appears in {@link #toString()}.
 */
public record InventoryConfig(String jdbcUrl, String user, String password) {
    public InventoryConfig {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new org.igvm.api.InventoryException(
                    "the inventory URL is empty; set inventory.url to jdbc:sqlite:FILE or jdbc:postgresql://HOST/DB");
        }
        // Empty means "not given", so credentials in the URL stay in force.
        user = user == null || user.isEmpty() ? null : user;
        password = password == null || password.isEmpty() ? null : password;
    }

    /** The embedded default: SQLite at {@code ~/.local/share/igvm/inventory.db}. */
    public static InventoryConfig defaults() {
        return sqlite(defaultDatabaseFile());
    }

    public static InventoryConfig sqlite(Path file) {
        return new InventoryConfig("jdbc:sqlite:" + file.toAbsolutePath(), null, null);
    }

    public static InventoryConfig of(String jdbcUrl) {
        return new InventoryConfig(jdbcUrl, null, null);
    }

    public static Path defaultDatabaseFile() {
        return Path.of(System.getProperty("user.home"), ".local", "share", "igvm", "inventory.db");
    }

    /** The URL with any password parameter masked, for messages and logs. */
    public String redactedUrl() {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return "InventoryConfig[jdbcUrl=" + redactedUrl() + ", user=" + user + ", password="
                + (password == null ? "none" : "***") + "]";
    }
}
