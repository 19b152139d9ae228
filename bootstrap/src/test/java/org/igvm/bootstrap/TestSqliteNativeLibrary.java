package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite library as a command's JVM gets it: each run is a JVM of its own (the library and
 * sqlite-jdbc's properties are per process) with a home of the test's own.
 */
class TestSqliteNativeLibrary {
    @TempDir
    Path home;

    /** A JVM that prepares the library, then asks SQLite for its version. */
    public static final class OpenSqlite {
        public static void main(String[] args) throws Exception {
            SqliteNativeLibrary.prepare();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
                    ResultSet r = c.createStatement().executeQuery("select sqlite_version()")) {
                r.next();
                System.out.println("sqlite " + r.getString(1) + " from " + System.getProperty("org.sqlite.lib.path"));
            }
        }
    }

    private record Run(int exit, String output, String classesLoaded) {}

    private Run openSqlite(String name) throws Exception {
        Path classes = home.resolve(name + ".classes");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home,
                "-Xlog:class+load:file=" + classes,
                "-cp",
                System.getProperty("java.class.path"),
                OpenSqlite.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("XDG_CACHE_HOME");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output, Files.readString(classes));
    }

    @Test
    void theLibraryIsExtractedOnceIntoTheCacheAndLaterStartsStartNoProcess() throws Exception {
        Path dir = home.resolve(".cache/igvm")
                .resolve("sqlite-jdbc-" + org.sqlite.SQLiteJDBCLoader.getVersion())
                .resolve(SqliteNativeLibrary.platform());

        Run first = openSqlite("first");

        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).startsWith("sqlite 3.").contains(" from " + dir);
        Path library = dir.resolve(System.mapLibraryName("sqlitejdbc"));
        assertThat(library).isRegularFile();
        assertThat(Files.size(library)).isGreaterThan(100_000);
        try (var left = Files.list(dir)) {
            assertThat(left).as("no partial copy left").containsExactly(library);
        }
        long extracted = Files.getLastModifiedTime(library).toMillis();

        Run second = openSqlite("second");

        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).startsWith("sqlite 3.").contains(" from " + dir);
        assertThat(Files.getLastModifiedTime(library).toMillis())
                .as("not extracted again")
                .isEqualTo(extracted);
        // sqlite-jdbc's platform detection runs `uname -o`: a start with the library cached does neither
        assertThat(second.classesLoaded())
                .doesNotContain("org.sqlite.util.OSInfo")
                .doesNotContain("java.lang.ProcessImpl");
        assertThat(first.classesLoaded()).as("the check above can fail").contains("org.sqlite.util.OSInfo");
    }
}
