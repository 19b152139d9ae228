package org.igvm.domain.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link HostShell} adapter must do, run against each adapter. The shell under test must
 * run on this machine (locally or over SSH to 127.0.0.1) so the files it writes can be checked.
 */
public abstract class HostShellContract {
    @TempDir
    protected Path dir;

    /** A shell on a host whose file system is this machine's. */
    protected abstract HostShell shell();

    @Test
    public void runReturnsStdoutStderrAndExitStatus() {
        CommandResult r = shell().run(ShellCommand.format("echo out; echo err >&2; exit 3"));
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.exitStatus()).isEqualTo(3);
        assertThat(r.succeeded()).isFalse();
    }

    @Test
    public void checkFailsWithTheCommandsStderr() {
        assertThatThrownBy(() -> shell().check(ShellCommand.of(
                        "ls", "--", dir.resolve("missing").toString())))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("No such file");
    }

    @Test
    public void largeOutputArrivesWhole() {
        CommandResult r = shell().run(ShellCommand.format("head -c 5000000 /dev/zero | tr '\\0' x"));
        assertThat(r.stdout()).hasSize(5_000_000).matches("x+");
    }

    @Test
    public void commandPastItsTimeoutIsKilled() throws Exception {
        Path marker = dir.resolve("finished");
        assertThatThrownBy(() -> shell().run(ShellCommand.format("sleep 5; touch {}", marker), Duration.ofMillis(500)))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("timed out");
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    public void putWritesTheFileWithItsModeAndGetReadsItBack() throws Exception {
        Path target = dir.resolve("script.sh");
        byte[] content = "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8);
        shell().put(content, target.toString(), 0755);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(shell().get(target.toString())).isEqualTo(content);

        shell().put("secret".getBytes(StandardCharsets.UTF_8), target.toString(), 0600);
        assertThat(Files.readString(target)).isEqualTo("secret");
        assertThat(Files.getPosixFilePermissions(target))
                .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target); // no temporary file left behind
        }
    }

    @Test
    public void readingAMissingFileFailsNamingIt() {
        String missing = dir.resolve("missing.conf").toString();
        assertThatThrownBy(() -> shell().get(missing))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining(missing);
    }

    @Test
    public void writingIntoAMissingDirectoryFailsAndLeavesNothing() throws Exception {
        Path target = dir.resolve("no-such-dir").resolve("file");
        assertThatThrownBy(() -> shell().put(new byte[] {1, 2, 3}, target.toString(), 0644))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining(target.getParent().toString());
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    public void hostileValuesArriveIntactAndInjectNothing() throws Exception {
        Path canary = dir.resolve("canary");
        String[] hostile = {
            "; touch " + canary,
            "$(touch " + canary + ")",
            "`touch " + canary + "`",
            "it's \"quoted\"",
            "two  spaces\tand tab",
            "line1\nline2",
            "-rf",
            "--help",
            "*",
            "a\\b",
            "",
            "| touch " + canary,
            "&& touch " + canary,
            "'; touch " + canary + "; '",
        };
        for (String value : hostile) {
            Path out = dir.resolve("out");
            String got = shell().check(ShellCommand.of("printf", "%s", value));
            assertThat(got).as("printf of %s", value).isEqualTo(value);
            shell().check(ShellCommand.format("printf '%s' {} > {}", value, out));
            assertThat(Files.readString(out)).as("redirected %s", value).isEqualTo(value);
            shell().check(ShellCommand.of("printf", "%s", value).inChroot("/"));
        }
        assertThat(Files.exists(canary)).as("an injected command ran").isFalse();
    }
}
