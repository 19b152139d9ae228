package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.igvm.api.ExitCodes;
import org.igvm.domain.inventory.Filter;
import org.igvm.domain.inventory.QueryParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile values fed to the command line, as an attacker or a slip of the keyboard would: every
 * one is refused with one error line and a non-zero exit, leaves the inventory as it was, and
 * injects nothing, neither when igvm runs nor when the operator pastes the command it suggests.
 */
class TestHostileInput {
    /** A file no command may ever create: the hostile values try to {@code touch} it. */
    private static final String WITNESS_PATH = "/tmp/igvm-hostile-witness";

    private static final Path WITNESS = Path.of(WITNESS_PATH);

    private static final String INJECTION = "x' ; touch " + WITNESS_PATH + " ; echo '";

    @TempDir
    Path dir;

    CliFixture igvm;

    @BeforeEach
    void fleet() throws Exception {
        Files.deleteIfExists(WITNESS);
        igvm = new CliFixture(dir);
    }

    static Stream<String> hostileNames() {
        return Stream.of(
                INJECTION,
                "*",
                "web01\nigvm: error: forged second line",
                "web\t01",
                "\u202Etxt.exe",
                "\u0001",
                "\u001b[31mred",
                "$(touch " + WITNESS + ")",
                "`touch " + WITNESS + "`",
                "web01;touch " + WITNESS,
                "(",
                "a'b\"c\\d",
                "");
    }

    static Stream<Arguments> hostileCommands() {
        List<Arguments> all = new ArrayList<>();
        hostileNames().forEach(name -> {
            all.add(Arguments.of(List.of("info", name), ExitCodes.NOT_FOUND));
            all.add(Arguments.of(List.of("start", name), ExitCodes.NOT_FOUND));
            all.add(Arguments.of(List.of("stop", "--force", name), ExitCodes.NOT_FOUND));
            all.add(Arguments.of(List.of("inventory", "show", name), ExitCodes.NOT_FOUND));
            all.add(Arguments.of(List.of("inventory", "set", name, "state=online"), ExitCodes.NOT_FOUND));
            all.add(Arguments.of(List.of("unlock", "--yes", name), ExitCodes.NOT_FOUND));
            all.add(Arguments.of(List.of("build", name), ExitCodes.NOT_FOUND));
            all.add(Arguments.of(List.of("clean-cert", name), ExitCodes.NOT_FOUND));
            // The new name is refused by the hostname rule before anything is looked up or run.
            all.add(Arguments.of(List.of("rename", "web01", name, "--offline"), ExitCodes.INVALID_INPUT));
            all.add(Arguments.of(List.of("rename", "nosuchvm", name, "--offline"), ExitCodes.INVALID_INPUT));
            all.add(Arguments.of(List.of("rename", name, "web09.example.net", "--offline"), ExitCodes.NOT_FOUND));
            all.add(Arguments.of(List.of("clean-cert", "--ca", "puppet.example.net", name), ExitCodes.INVALID_INPUT));
            all.add(Arguments.of(List.of("inventory", "query", "nosuchattr=" + quoted(name)), ExitCodes.INVALID_INPUT));
            all.add(Arguments.of(List.of("inventory", "query", "num_cpu=" + quoted(name)), ExitCodes.INVALID_INPUT));
        });
        for (String query : List.of(
                "nosuchattr=foo",
                "num_cpu=abc",
                "num_cpu=GreaterThan(abc)",
                "num_cpu=1 num_cpu=2",
                "state=Any(online",
                "servertype=vmm",
                "hostname=Regexp(*)",
                "'unclosed\n",
                "num_cpu=4\u202E")) {
            all.add(Arguments.of(List.of("inventory", "query", query), ExitCodes.INVALID_INPUT));
        }
        all.add(Arguments.of(
                List.of("inventory", "query", "servertype=vm", "-a", "nosuchattr"), ExitCodes.INVALID_INPUT));
        all.add(Arguments.of(List.of("inventory", "set", "web01", "num_cpu=" + INJECTION), ExitCodes.INVALID_INPUT));
        all.add(Arguments.of(List.of("inventory", "set", "web01", "colour\n=blue"), ExitCodes.INVALID_INPUT));
        all.add(Arguments.of(List.of("stop", "--bogus\u202E", "web01"), ExitCodes.INVALID_INPUT));
        return all.stream();
    }

    /** A query-language literal holding the name, so the key's check sees the name itself. */
    private static String quoted(String name) {
        return "'" + name.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @ParameterizedTest
    @MethodSource("hostileCommands")
    void refusedInOneLineChangingNothingInjectingNothing(List<String> args, int exitCode) throws Exception {
        String before = igvm.run("inventory", "export").out();
        byte[] database = Files.readAllBytes(dir.resolve("inventory.db"));

        CliFixture.Run run = igvm.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        assertOneCleanErrorLine(run);
        assertThat(run.out()).isEmpty();
        assertThat(igvm.run("inventory", "export").out()).isEqualTo(before);
        assertThat(Files.readAllBytes(dir.resolve("inventory.db"))).isEqualTo(database);
        assertThat(WITNESS).doesNotExist();
    }

    /** The suggested query, pasted into a shell, is exactly one valid igvm command and nothing else. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                INJECTION,
                "*",
                "$(touch /tmp/igvm-hostile-witness)",
                "`touch /tmp/igvm-hostile-witness`",
                "web01;touch /tmp/igvm-hostile-witness",
                "a'b\"c\\d",
                "web 01",
                "("
            })
    void theSuggestedQueryIsSafeToPasteAndValid(String name) throws Exception {
        CliFixture.Run run = igvm.run("info", name);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        String hint = "check the name with: ";
        assertThat(run.err()).contains(hint);
        String suggested =
                run.err().substring(run.err().indexOf(hint) + hint.length()).strip();

        // The shell runs a stand-in igvm that prints its arguments one per line.
        List<String> words = shell("igvm() { printf '%s\\n' \"$@\"; }; " + suggested);

        assertThat(WITNESS).doesNotExist();
        assertThat(words).hasSize(3).startsWith("inventory", "query");
        assertThat(QueryParser.parse(words.get(2)).filters().get("hostname")).isEqualTo(new Filter.Contains(name));
        CliFixture.Run pasted = igvm.run(words.toArray(String[]::new));
        assertThat(pasted.exitCode()).as(pasted.err()).isZero();
        assertThat(pasted.err()).isEmpty();
    }

    @Test
    void aSuggestedUnlockOfAHostileHostnameIsQuoted() throws Exception {
        // A hostname holding shell syntax, as a careless import could store it.
        Path fleet = dir.resolve("hostile.yaml");
        Files.writeString(
                fleet,
                "objects:\n  - object_id: 9001\n    servertype: vm\n    hostname: \"evil;touch " + WITNESS
                        + "\"\n    state: retired\n");
        assertThat(igvm.run("inventory", "import", fleet.toString()).exitCode()).isZero();

        CliFixture.Run run = igvm.run("start", "evil;touch " + WITNESS);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        String hint = "set its state first: ";
        String suggested =
                run.err().substring(run.err().indexOf(hint) + hint.length()).strip();
        suggested = suggested.substring(0, suggested.length() - 1); // the closing parenthesis
        assertThat(shell("igvm() { printf '%s\\n' \"$@\"; }; " + suggested))
                .containsExactly("inventory", "set", "evil;touch " + WITNESS, "state=online");
        assertThat(WITNESS).doesNotExist();
    }

    private static List<String> shell(String script) throws Exception {
        Process sh =
                new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes());
        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sh.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static void assertOneCleanErrorLine(CliFixture.Run run) {
        assertThat(run.err()).startsWith("igvm: error: ").endsWith("\n");
        String line = run.err().substring(0, run.err().length() - 1);
        assertThat(line).as("stderr: %s", run.err()).doesNotContain("\n", "\r", "\t", "\u202E", "\u0001", "\u001b");
    }
}
