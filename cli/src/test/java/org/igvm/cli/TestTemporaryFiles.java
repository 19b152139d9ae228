package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * igvm as separate processes, each with its own home and temp dir: a run leaves nothing in the
 * temp dir (sqlite-jdbc's native library lives in the user's cache, extracted once), and
 * concurrent first starts, which race to extract it, print nothing but their results.
 */
class TestTemporaryFiles {
    @TempDir
    Path dir;

    @Test
    void aRunLeavesNothingInTheTempDir() throws Exception {
        CliFixture fleet = new CliFixture(Files.createDirectories(dir.resolve("fleet")));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        Result show = igvm(home, tmp, "--config", fleet.config.toString(), "inventory", "show", "web01");
        Result stop = igvm(home, tmp, "--config", fleet.config.toString(), "stop", "--force", "web01");

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("web01.example.net");
        assertThat(stop.exitCode()).as(stop.err()).isZero();
        assertThat(stop.out()).isEqualTo("web01 stopped\n");
        assertThat(listing(tmp)).isEmpty();
        assertThat(listing(home))
                .as("extracted once, under a version-stamped name")
                .anyMatch(p -> p.matches(".cache/igvm/sqlite-jdbc-[0-9.]+/Linux-[^/]+/libsqlitejdbc.so"));
    }

    @Test
    void fourConcurrentFirstStartsPrintNoTrace() throws Exception {
        CliFixture fleet = new CliFixture(Files.createDirectories(dir.resolve("fleet")));
        Path home = Files.createDirectories(dir.resolve("home"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        List<Process> started = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            started.add(start(home, tmp, "--config", fleet.config.toString(), "inventory", "show", "web01"));
        }
        for (Process p : started) {
            Result r = finish(p);
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).startsWith("object_id").contains("web01.example.net");
        }
        assertThat(listing(tmp)).isEmpty();
        assertThat(listing(home)).noneMatch(p -> p.contains(".extracting-"));
    }

    private static Result igvm(Path home, Path tmp, String... args) throws Exception {
        return finish(start(home, tmp, args));
    }

    private static Process start(Path home, Path tmp, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home,
                "-Djava.io.tmpdir=" + tmp,
                "-XX:-UsePerfData",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("XDG_CACHE_HOME");
        builder.environment().put("HOME", home.toString());
        builder.environment().put("TMPDIR", tmp.toString());
        return builder.start();
    }

    private static Result finish(Process p) throws Exception {
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static List<String> listing(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    record Result(int exitCode, String out, String err) {}
}
