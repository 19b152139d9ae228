package org.igvm.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * sqlite-jdbc's native library, extracted once per sqlite-jdbc version and platform into the
 * user's cache ({@code $XDG_CACHE_HOME/igvm} or {@code ~/.cache/igvm}) and loaded from there. Left alone,
 * sqlite-jdbc extracts a 1 MB copy into {@code /tmp} in every process (a killed process leaves it
 * behind) and sweeps other processes' copies, which concurrent starts race on. The file is written
 * under a private name and renamed into place, so concurrent first starts each load a complete
 * library and print nothing. Nothing is changed when the operator set {@code org.sqlite.lib.path}
 * himself, nor when the cache is not writable (sqlite-jdbc then does what it always did).
 */
final class SqliteNativeLibrary {
    private static final Logger log = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    private static final String LIB_PATH = "org.sqlite.lib.path";
    private static final String LIB_NAME = "org.sqlite.lib.name";
    private static final String TMPDIR = "org.sqlite.tmpdir";

    private SqliteNativeLibrary() {}

    /** Points sqlite-jdbc at the cached library, extracting it first if needed. */
    static synchronized void prepare() {
        if (System.getProperty(LIB_PATH) != null) {
            return;
        }
        try {
            String name = System.mapLibraryName("sqlitejdbc");
            Path dir = cacheHome()
                    .resolve("igvm")
                    .resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion())
                    .resolve(platform());
            Path library = dir.resolve(name);
            if (!Files.isRegularFile(library)) {
                // sqlite-jdbc's own folder for this platform: finding it runs `uname -o` (is it
                // Android?), a process start every command would pay, so only when extracting.
                String folder = OSInfo.getNativeLibFolderPathForCurrentOS();
                extract("/org/sqlite/native/" + folder + "/" + name, dir, library);
            }
            System.setProperty(LIB_PATH, dir.toString());
            System.setProperty(LIB_NAME, name);
            // sqlite-jdbc sweeps its temp dir for old copies at start: sweep ours, never /tmp.
            System.setProperty(TMPDIR, dir.toString());
        } catch (IOException | RuntimeException e) {
            log.debug("sqlite-jdbc extracts its native library itself: {}", e.toString());
        }
    }

    private static void extract(String resource, Path dir, Path library) throws IOException {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + " in sqlite-jdbc");
            }
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, ".extracting-", ".tmp");
            try {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(partial, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, library, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(partial);
            }
        }
    }

    /** The cache's folder for this machine's kind, from the JVM's properties alone. */
    static String platform() {
        return (System.getProperty("os.name") + "-" + System.getProperty("os.arch")).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Path cacheHome() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg);
        }
        return Path.of(System.getProperty("user.home"), ".cache");
    }
}
