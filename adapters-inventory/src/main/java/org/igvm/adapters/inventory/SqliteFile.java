package org.igvm.adapters.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.igvm.api.InventoryException;
import org.igvm.domain.io.IoFailureReason;

/**
 * The file an SQLite inventory URL names, checked before SQLite opens it: SQLite itself would
 * create a missing file, rewrite a zero-byte one and report a directory or a foreign file only as
 * a cryptic error on the first statement.
 */
final class SqliteFile {
    /** The first 16 bytes of every SQLite 3 database file. */
    private static final byte[] HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

    private final Path path;

    private SqliteFile(Path path) {
        this.path = path;
    }

    /** The file of a {@code jdbc:sqlite:} URL; null for an in-memory database. */
    static SqliteFile of(String jdbcUrl) {
        String location = jdbcUrl.substring("jdbc:sqlite:".length());
        if (location.startsWith("file:")) {
            location = location.substring("file:".length());
        }
        int parameters = location.indexOf('?');
        if (parameters >= 0) {
            location = location.substring(0, parameters);
        }
        if (location.isEmpty() || location.startsWith(":memory:")) {
            return null;
        }
        return new SqliteFile(Path.of(location).toAbsolutePath());
    }

    Path path() {
        return path;
    }

    boolean exists() {
        return Files.exists(path);
    }

    /**
     * Fails unless the file is there and looks like an SQLite database: not a directory, readable,
     * not empty, SQLite's header first.
     */
    void requireDatabase() {
        if (!Files.exists(path)) {
            throw new InventoryException("inventory " + path + " does not exist; create it with: igvm inventory init"
                    + " (or igvm inventory import FILE), or check inventory.url in the config");
        }
        if (Files.isDirectory(path)) {
            throw new InventoryException(
                    "inventory " + path + " is a directory, not an SQLite file; point inventory.url at a file");
        }
        byte[] start = new byte[HEADER.length];
        int read;
        try (InputStream in = Files.newInputStream(path)) {
            read = in.readNBytes(start, 0, start.length);
        } catch (IOException e) {
            throw new InventoryException("inventory " + path + " cannot be read: " + IoFailureReason.of(e), e);
        }
        if (read == 0) {
            throw new InventoryException("inventory " + path + " is an empty file (0 bytes), not an inventory;"
                    + " igvm does not overwrite it: remove it, then create the inventory with: igvm inventory init");
        }
        if (read < HEADER.length || !Arrays.equals(start, HEADER)) {
            throw new InventoryException("inventory " + path + " is not an SQLite database (it does not start with"
                    + " SQLite's header); check inventory.url in the config");
        }
    }

    /** Creates the directories a new inventory file goes into. */
    void createParentDirectory() {
        Path parent = path.getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new InventoryException(
                    "cannot create the inventory directory " + parent + ": " + IoFailureReason.of(e), e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
