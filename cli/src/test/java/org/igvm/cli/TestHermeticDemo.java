package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo (scripts/try-testdriver) and the example fleet reach nothing outside loopback: every
 * igvm command the demo runs is run here, in-process, under a {@link NetworkGuard}.
 */
class TestHermeticDemo {
    private static final Path REPO = CliFixture.EXAMPLES.getParent();

    @TempDir
    Path dir;

    @Test
    void theDemoReachesNothingOutsideLoopback() throws Exception {
        Path config = renderDemoConfig(Files.readString(REPO.resolve("examples/testdriver/igvm.yaml.tmpl")));
        List<List<String>> commands = demoCommands();
        assertThat(commands).as("the demo's igvm commands").hasSizeGreaterThanOrEqualTo(4);
        try (NetworkGuard guard = new NetworkGuard()) {
            for (List<String> command : commands) {
                CliFixture.Run run = runIn(config, command);
                assertThat(run.exitCode()).as("igvm %s: %s", command, run.err()).isZero();
                assertThat(run.err()).as("igvm %s", command).doesNotContain("could not");
            }
            assertThat(guard.outsideAttempts()).isEmpty();
        }
    }

    @Test
    void theGuardSeesAVmLoginOutsideLoopback() throws Exception {
        // Canary: with guest logins on, `igvm info web01` reaches for the example VM's 10.20.30.40;
        // the guard sees it (and sends it to a closed loopback port instead).
        String template = Files.readString(REPO.resolve("examples/testdriver/igvm.yaml.tmpl"))
                .replace("guest_logins: false", "guest_logins: true");
        Path config = renderDemoConfig(template);
        try (NetworkGuard guard = new NetworkGuard()) {
            runIn(
                    config,
                    List.of(
                            "inventory",
                            "import",
                            REPO.resolve("examples/fleet.yaml").toString()));
            CliFixture.Run info = runIn(config, List.of("info", "web01"));
            assertThat(info.exitCode()).isZero();
            assertThat(guard.outsideAttempts()).contains("10.20.30.40:22");
        }
    }

    private Path renderDemoConfig(String template) throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, template.replace("@STATE@", dir.toString()).replace("@REPO@", REPO.toString()));
        return config;
    }

    private static CliFixture.Run runIn(Path config, List<String> command) {
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        for (String word : command) {
            // The demo runs from the repository root; examples/... paths are relative to it.
            args.add(word.startsWith("examples/") ? REPO.resolve(word).toString() : word);
        }
        return CliFixture.runRaw(args.toArray(String[]::new));
    }

    /** The lines {@code igvm ARGS} of the demo script, split as the shell does (single quotes). */
    private static List<List<String>> demoCommands() throws Exception {
        List<List<String>> commands = new ArrayList<>();
        for (String line : Files.readAllLines(REPO.resolve("scripts/try-testdriver"))) {
            if (line.startsWith("igvm ")) {
                commands.add(shellWords(line.substring("igvm ".length())));
            }
        }
        return commands;
    }

    private static List<String> shellWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : text.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
                any = true;
            }
        }
        if (any) {
            words.add(word.toString());
        }
        return words;
    }
}
