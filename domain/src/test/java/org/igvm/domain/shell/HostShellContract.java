package org.igvm.domain.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.CancelledException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.RunningCommand;
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

    private static final Duration GENEROUS = Duration.ofSeconds(10);

    @Test
    public void linesOfALongRunningCommandArriveBeforeItExits() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (RunningCommand running = shell().start(
                        ShellCommand.format("echo one; printf 'two\\r\\nthree\\rfour\\n'; sleep 60"),
                        OutputSink.lines(lines::add),
                        OutputSink.discard())) {
            for (String expected : List.of("one", "two", "three", "four")) {
                assertThat(lines.poll(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isEqualTo(expected);
            }
            assertThat(running.isRunning()).isTrue();
            assertThat(running.exitStatus()).isEmpty();
        }
    }

    @Test
    public void bytesWrittenToStdinComeBackOnStdout() throws Exception {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        try (RunningCommand cat = shell().start(ShellCommand.of("cat"))) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try (OutputStream in = cat.stdin()) {
                    in.write(data);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] echoed = cat.stdout().readAllBytes();
            writing.get(30, TimeUnit.SECONDS);
            assertThat(echoed.length).isEqualTo(data.length);
            assertThat(Arrays.mismatch(echoed, data)).as("first differing byte").isEqualTo(-1);
            CommandResult r = cat.waitFor(GENEROUS).orElseThrow();
            assertThat(r.exitStatus()).isZero();
        }
    }

    @Test
    public void stdinBytesLandInAFileThroughDd() throws Exception {
        Path target = dir.resolve("disk.img");
        byte[] data = new byte[1024 * 1024];
        new Random(7).nextBytes(data);
        try (RunningCommand dd = shell().start(
                        ShellCommand.format("dd of={} bs=64k", target), OutputSink.discard(), OutputSink.collect())) {
            try (OutputStream in = dd.stdin()) {
                in.write(data);
            }
            CommandResult r = dd.waitFor(GENEROUS).orElseThrow();
            assertThat(r.exitStatus()).isZero();
            assertThat(r.stderr()).contains("1048576 bytes");
        }
        assertThat(Files.readAllBytes(target)).isEqualTo(data);
    }

    @Test
    public void stderrOfAStartedCommandIsKeptApartFromStdout() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        List<String> err = new CopyOnWriteArrayList<>();
        try (RunningCommand running = shell().start(
                        ShellCommand.format("echo o1; echo e1 >&2; echo o2; echo e2 >&2; exit 4"),
                        OutputSink.lines(out::add),
                        OutputSink.lines(err::add))) {
            CommandResult r = running.waitFor(GENEROUS).orElseThrow();
            assertThat(r.exitStatus()).isEqualTo(4);
            assertThat(running.exitStatus()).hasValue(4);
        }
        assertThat(out).containsExactly("o1", "o2");
        assertThat(err).containsExactly("e1", "e2");
    }

    @Test
    public void waitingPastTheTimeoutLeavesTheCommandRunningUntilKilled() throws Exception {
        Path pids = dir.resolve("pids");
        try (RunningCommand running = shell().start(
                        ShellCommand.format("sleep 60 & echo $! > {}; wait", pids),
                        OutputSink.discard(),
                        OutputSink.discard())) {
            assertThat(running.waitFor(Duration.ofMillis(300))).isEmpty();
            assertThat(running.isRunning()).isTrue();
            long sleep = awaitPid(pids);
            assertThat(processGone(sleep)).isFalse();

            running.kill();

            assertThat(running.isRunning()).isFalse();
            assertThat(running.exitStatus()).hasValue(137);
            assertThat(running.waitFor(GENEROUS)).map(CommandResult::exitStatus).hasValue(137);
            assertThat(LocalSshd.waitFor(GENEROUS, () -> processGone(sleep)))
                    .as("the command's child is gone")
                    .isTrue();
        }
    }

    @Test
    public void killEndsEveryProcessOfAPipeline() throws Exception {
        Path pids = dir.resolve("pids");
        Path listened = dir.resolve("listened");
        RunningCommand running = shell().start(
                        ShellCommand.format(
                                "echo $$ > {}; sh -c {} | sh -c {}",
                                pids,
                                "echo $$ >> " + ShellCommand.quote(pids.toString()) + "; exec sleep 61",
                                "echo $$ >> " + ShellCommand.quote(pids.toString()) + "; exec cat > "
                                        + ShellCommand.quote(listened.toString())),
                        OutputSink.discard(),
                        OutputSink.discard());
        List<Long> all = awaitPids(pids, 3);
        running.close();
        assertThat(LocalSshd.waitFor(GENEROUS, () -> all.stream().allMatch(HostShellContract::processGone)))
                .as("every process of %s is gone", all)
                .isTrue();
        assertThat(running.exitStatus()).isPresent();
    }

    @Test
    public void interruptingAThreadInRunKillsTheCommandAndCancels() throws Exception {
        Path pids = dir.resolve("pids");
        HostShell shell = shell();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean flagAfterwards = new AtomicBoolean();
        Thread runner = new Thread(() -> {
            try {
                shell.run(ShellCommand.format("sleep 60 & echo $! > {}; wait", pids));
            } catch (Throwable t) {
                failure.set(t);
            }
            flagAfterwards.set(Thread.currentThread().isInterrupted());
        });
        runner.start();
        long sleep = awaitPid(pids);

        runner.interrupt();
        runner.join(GENEROUS.toMillis());

        assertThat(runner.isAlive()).isFalse();
        assertThat(failure.get())
                .isInstanceOf(CancelledException.class)
                .hasMessageContaining(shell.host())
                .hasMessageContaining("sleep 60");
        assertThat(flagAfterwards).as("the interrupt flag is restored").isTrue();
        assertThat(LocalSshd.waitFor(GENEROUS, () -> processGone(sleep))).isTrue();
    }

    @Test
    public void interruptingAThreadWaitingForAStartedCommandKillsItAndCancels() throws Exception {
        Path pids = dir.resolve("pids");
        RunningCommand running = shell().start(
                        ShellCommand.format("sleep 60 & echo $! > {}; wait", pids),
                        OutputSink.discard(),
                        OutputSink.discard());
        long sleep = awaitPid(pids);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean flagAfterwards = new AtomicBoolean();
        Thread waiter = new Thread(() -> {
            try {
                running.waitFor(Duration.ofSeconds(120));
            } catch (Throwable t) {
                failure.set(t);
            }
            flagAfterwards.set(Thread.currentThread().isInterrupted());
        });
        waiter.start();

        waiter.interrupt();
        waiter.join(GENEROUS.toMillis());

        assertThat(failure.get())
                .isInstanceOf(CancelledException.class)
                .hasMessageContaining(running.host())
                .hasMessageContaining("sleep 60");
        assertThat(flagAfterwards).isTrue();
        assertThat(running.isRunning()).isFalse();
        assertThat(LocalSshd.waitFor(GENEROUS, () -> processGone(sleep))).isTrue();
        running.close();
    }

    @Test
    public void anInterruptedThreadRunsNothing() throws Exception {
        Path marker = dir.resolve("ran");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> shell().run(ShellCommand.format("touch {}", marker)))
                    .isInstanceOf(CancelledException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    public void closingTheShellKillsTheCommandsItStarted() throws Exception {
        Path pids = dir.resolve("pids");
        HostShell shell = shell();
        RunningCommand running = shell.start(
                ShellCommand.format("sleep 60 & echo $! > {}; wait", pids), OutputSink.discard(), OutputSink.discard());
        long sleep = awaitPid(pids);

        shell.close();

        assertThat(running.isRunning()).isFalse();
        assertThat(LocalSshd.waitFor(GENEROUS, () -> processGone(sleep))).isTrue();
        assertThatThrownBy(() -> shell.run(ShellCommand.of("true"))).isInstanceOf(IllegalStateException.class);
        shell.close(); // twice is fine
    }

    /** The first PID written to the file, once it is there. */
    private static long awaitPid(Path file) throws Exception {
        return awaitPids(file, 1).get(0);
    }

    private static List<Long> awaitPids(Path file, int count) throws Exception {
        AtomicReference<List<Long>> pids = new AtomicReference<>(List.of());
        boolean written = LocalSshd.waitFor(GENEROUS, () -> {
            try {
                List<Long> read = Files.readAllLines(file).stream()
                        .filter(l -> l.matches("\\d+"))
                        .map(Long::valueOf)
                        .toList();
                pids.set(read);
                return read.size() >= count;
            } catch (IOException e) {
                return false;
            }
        });
        assertThat(written).as("%s holds %d PIDs", file, count).isTrue();
        return pids.get();
    }

    /** Whether the process has ended: no such PID, or only its zombie left for a parent to reap. */
    protected static boolean processGone(long pid) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        try {
            String text = Files.readString(stat);
            return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
