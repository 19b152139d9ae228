package org.igvm.transport.netcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.adapters.local.LocalShell;
import org.igvm.api.CancelledException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVolume;
import org.igvm.domain.testing.FreePortRange;
import org.igvm.domain.testing.RecordingTransportContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The netcat transport with real processes: python3 and nc on this machine, temp files as volumes,
 * source and target both on 127.0.0.1.
 */
class TestNetcatTransport {
    private static final int MiB = 1 << 20;

    @TempDir
    Path dir;

    private final int portBase = FreePortRange.of(20);
    private RecordingTransportContext context;

    @AfterEach
    void closeContext() {
        if (context != null) {
            context.close();
        }
    }

    private Map<String, String> config() throws IOException {
        Path locks = Files.createDirectories(dir.resolve("locks"));
        Path programs = Files.createDirectories(dir.resolve("tmp"));
        return Map.of(
                "port_base", String.valueOf(portBase), "lock_dir", locks.toString(), "temp_dir", programs.toString());
    }

    private TransportVolume volume(Path source, Path target) throws IOException {
        return new TransportVolume(
                "42_web01",
                "images",
                source.toString(),
                target.toString(),
                Files.size(source),
                "raw",
                StorageKind.FILE);
    }

    private RecordingTransportContext context(Path source, Path target) throws IOException {
        context = localContext(List.of(volume(source, target)));
        return context;
    }

    /** Both sides this machine's shell; the sender connects to 127.0.0.1, the listener is on localhost. */
    private RecordingTransportContext localContext(List<TransportVolume> volumes) throws IOException {
        return new RecordingTransportContext(
                        new LocalShell(Duration.ofSeconds(30)),
                        new LocalShell(Duration.ofSeconds(30)),
                        volumes,
                        new MapTransportConfig(config()))
                .hypervisors("localhost", "127.0.0.1");
    }

    private TransportSession session(RecordingTransportContext c) {
        return new NetcatTransportFactory().create(c);
    }

    private static void migrate(TransportSession session) {
        session.prepare();
        session.transfer();
        session.switchOver();
        session.finish();
    }

    private Path randomFile(String name, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return Files.write(dir.resolve(name), data);
    }

    private Path emptyTarget() throws IOException {
        return Files.createFile(dir.resolve("target.img"));
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[MiB];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
        return out;
    }

    private static long allocatedBytes(Path file) throws Exception {
        return Long.parseLong(run("stat", "-c", "%b", file.toString())) * 512;
    }

    /** The copy programs' private directories on this machine now (both "hypervisors" share /tmp). */
    /** The copy programs' private directories now (both "hypervisors" are this machine). */
    private java.util.Set<String> copyProgramDirectories() throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        try (var dirs = Files.list(dir.resolve("tmp"))) {
            return dirs.map(Path::toString).collect(java.util.stream.Collectors.toSet());
        }
    }

    /** The shell, with its N-th call (counted across both shells by {@code calls}) failing without its effect. */
    private static org.igvm.domain.spi.shell.HostShell failingAt(
            org.igvm.domain.spi.shell.HostShell real, java.util.concurrent.atomic.AtomicInteger calls, int step) {
        return (org.igvm.domain.spi.shell.HostShell) java.lang.reflect.Proxy.newProxyInstance(
                org.igvm.domain.spi.shell.HostShell.class.getClassLoader(),
                new Class<?>[] {org.igvm.domain.spi.shell.HostShell.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("host")
                            && !method.getName().equals("close")
                            && calls.incrementAndGet() == step) {
                        throw new OperationFailedException("injected failure at shell call " + step + " ("
                                + method.getName() + (args == null ? "" : " " + args[0]) + ")");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aFailureAtAnyShellCallLeavesNoProcessNoProgramAndNoPortLock() throws Exception {
        Path source = randomFile("source.img", 4 * MiB);
        java.util.Set<String> programsBefore = copyProgramDirectories();
        int steps = 0;
        for (int n = 1; ; n++) {
            Path target = Files.createFile(dir.resolve("target-" + n + ".img"));
            try (RandomAccessFile f = new RandomAccessFile(target.toFile(), "rw")) {
                f.setLength(4 * MiB);
            }
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            Throwable thrown;
            try (RecordingTransportContext c = new RecordingTransportContext(
                                    failingAt(new LocalShell(Duration.ofSeconds(30)), calls, n),
                                    failingAt(new LocalShell(Duration.ofSeconds(30)), calls, n),
                                    List.of(volume(source, target)),
                                    new MapTransportConfig(config()))
                            .hypervisors("localhost", "127.0.0.1");
                    TransportSession session = session(c)) {
                thrown = org.assertj.core.api.Assertions.catchThrowable(() -> migrate(session));
                if (thrown != null) {
                    session.abort(); // as the migrate flow does
                }
            }
            if (calls.get() < n) {
                assertThat(thrown).as("no call failed").isNull();
                steps = n - 1;
                break;
            }
            String at = "failed at shell call " + n;
            if (thrown == null) {
                // A failure in the clean-up after a finished copy is only warned about (the copy
                // stands); what it left is removed here so the next round starts clean.
                for (String left : copyProgramDirectories()) {
                    if (!programsBefore.contains(left)) {
                        run("rm", "-rf", "--", left);
                    }
                }
                run("sh", "-c", "rm -f " + dir.resolve("locks") + "/*.lock");
                continue;
            }
            assertThat(thrown).as(at).hasMessageContaining("injected failure at shell call " + n);
            assertThat(processesOf(dir.toString())).as(at + ": processes left").isEmpty();
            assertThat(copyProgramDirectories()).as(at + ": copy programs left").isEqualTo(programsBefore);
            assertThat(portLocks()).as(at + ": port locks left").isEmpty();
        }
        // mktemp and put on each side, stat, the port probe and claim, the listener, the sender, ...
        assertThat(steps).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aFullyWrittenVolumeArrivesWithEqualChecksums() throws Exception {
        Path source = randomFile("source.img", 64 * MiB);
        Path target = emptyTarget();
        RecordingTransportContext c = context(source, target);
        try (NetcatTransportSession session = (NetcatTransportSession) session(c)) {
            migrate(session);
            NetcatTransportSession.Copy copy = session.copies().get(0);
            assertThat(copy.sent().sha256())
                    .hasSize(64)
                    .isEqualTo(copy.received().sha256());
            assertThat(session.wireBytes()).isBetween(64L * MiB, 64L * MiB + 64 * 12 + 100);
        }
        run("cmp", source.toString(), target.toString());
        assertThat(sha256(target)).isEqualTo(sha256(source));
        assertThat(c.bytes).isNotEmpty();
        assertThat(c.bytes.get(c.bytes.size() - 1)).startsWith(64L * MiB, 64L * MiB);
        assertThat(c.steps).anyMatch(s -> s.startsWith("verified 1 volume(s)"));
        assertThat(portLocks()).as("the listener removed its port lock").isEmpty();
    }

    private List<String> portLocks() throws IOException {
        try (var locks = Files.list(dir.resolve("locks"))) {
            return locks.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".lock"))
                    .toList();
        }
    }

    @Test
    void aSparseVolumeArrivesSparseAndOnlyItsDataCrossesTheWire() throws Exception {
        Path source = dir.resolve("sparse.img");
        Random random = new Random(1);
        try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
            f.setLength(100L * MiB);
            byte[] block = new byte[MiB];
            for (int i = 0; i < 10; i++) { // 10 % allocated, in 1 MiB pieces spread over the volume
                random.nextBytes(block);
                f.seek((i * 10L + 3) * MiB + 4096 * i);
                f.write(block);
            }
            f.seek(95L * MiB);
            f.write(new byte[2 * MiB]); // allocated, but zeros: not sent either
        }
        Path target = emptyTarget();
        try (NetcatTransportSession session = (NetcatTransportSession) session(context(source, target))) {
            migrate(session);
            // blocks touched: 10 data pieces, each across at most 2 blocks of 1 MiB
            assertThat(session.wireBytes()).isBetween(10L * MiB, 20L * MiB + 4096);
        }
        run("cmp", source.toString(), target.toString());
        assertThat(sha256(target)).isEqualTo(sha256(source));
        assertThat(Files.size(target)).isEqualTo(100L * MiB);
        // the data's 10 MiB, page for page; the source's 2 MiB of written zeros are holes now
        assertThat(allocatedBytes(source)).isBetween(12L * MiB, 12L * MiB + 256 * 1024);
        assertThat(allocatedBytes(target)).isBetween(10L * MiB, 10L * MiB + 256 * 1024);
    }

    @Test
    void aVolumeAlignedToBlocksSendsJustItsAllocatedTenPercent() throws Exception {
        Path source = dir.resolve("aligned.img");
        try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
            f.setLength(64L * MiB);
            byte[] block = new byte[MiB];
            Random random = new Random(2);
            for (int i = 0; i < 64; i += 10) { // 7 of 64 blocks: 10.9 %
                random.nextBytes(block);
                f.seek((long) i * MiB);
                f.write(block);
            }
        }
        Path target = emptyTarget();
        try (NetcatTransportSession session = (NetcatTransportSession) session(context(source, target))) {
            migrate(session);
            assertThat(session.wireBytes()).isBetween(7L * MiB, 7L * MiB + 1024);
        }
        run("cmp", source.toString(), target.toString());
        assertThat(allocatedBytes(target)).isBetween(7L * MiB, 7L * MiB + 64 * 1024);
    }

    @Test
    void aCorruptedTargetFailsVerificationWithOneLineNamingBothChecksumsAndHosts() throws Exception {
        Path source = randomFile("source.img", 8 * MiB);
        Path target = emptyTarget();
        RecordingTransportContext c = context(source, target);
        NetcatSettings corrupting = NetcatSettings.from(c.config()).withFlipByteAt(3 * MiB + 5);
        try (NetcatTransportSession session = new NetcatTransportSession(c, corrupting)) {
            session.prepare();
            session.transfer();
            session.switchOver();
            assertThatThrownBy(session::finish)
                    .isInstanceOf(OperationFailedException.class)
                    .hasMessageMatching("the copy of 42_web01 differs: sha256 [0-9a-f]{64} on localhost \\(" + source
                            + "\\), sha256 [0-9a-f]{64} on localhost \\(" + target + "\\)")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            session.abort();
        }
        assertThat(Files.mismatch(source, target)).isEqualTo(3L * MiB + 5);
    }

    @Test
    void aPortInUseOrHeldByAnotherMigrationIsSkipped() throws Exception {
        Path source = randomFile("source.img", MiB);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(portBase));
            RecordingTransportContext first = context(source, emptyTarget());
            Path target2 = Files.createFile(dir.resolve("target2.img"));
            try (RecordingTransportContext second = localContext(List.of(volume(source, target2)));
                    NetcatTransportSession one = (NetcatTransportSession) session(first);
                    NetcatTransportSession two = (NetcatTransportSession) session(second)) {
                one.prepare();
                two.prepare(); // nc -l would share a port that one listens on (SO_REUSEPORT): two must not
                assertThat(one.ports()).containsExactly(portBase + 1);
                assertThat(two.ports()).containsExactly(portBase + 2);
                two.switchOver();
                two.finish();
                one.switchOver();
                one.finish();
            }
            run("cmp", source.toString(), target2.toString());
            run("cmp", source.toString(), dir.resolve("target.img").toString());
        }
    }

    @Test
    void cancellingDuringTheCopyKillsSenderAndListener() throws Exception {
        cancelDuringCopy(true);
    }

    @Test
    void interruptingTheCopyKillsSenderAndListener() throws Exception {
        cancelDuringCopy(false);
    }

    private void cancelDuringCopy(boolean raiseCancellation) throws Exception {
        java.util.Set<String> programsBefore = copyProgramDirectories();
        Path source = randomFile("source.img", 64 * MiB);
        Path target = emptyTarget();
        RecordingTransportContext c = context(source, target).bandwidthLimit(4L * MiB);
        NetcatTransportSession session = (NetcatTransportSession) session(c);
        session.prepare();
        int port = session.ports().get(0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread copying = new Thread(() -> {
            try {
                session.switchOver();
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        copying.start();
        long until = System.currentTimeMillis() + 20_000;
        while (c.bytes.isEmpty() && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        assertThat(c.bytes).as("progress before the cancel").isNotEmpty();
        List<ProcessHandle> copy = processesOf(dir.toString(), "nc -N 127.0.0.1 " + port, "-p " + port);
        assertThat(copy).as("sender, listener and their nc").hasSizeGreaterThanOrEqualTo(4);
        assertThat(copyProgramDirectories())
                .as("both copy programs in temp_dir")
                .hasSize(programsBefore.size() + 2);
        if (raiseCancellation) {
            c.cancel();
        } else {
            copying.interrupt();
        }
        copying.join(10_000);
        assertThat(copying.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(CancelledException.class);
        session.abort();
        session.abort();
        session.close();
        long deadline = System.currentTimeMillis() + 5_000;
        while (copy.stream().anyMatch(ProcessHandle::isAlive) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(copy).noneMatch(ProcessHandle::isAlive);
        assertThat(c.undoSteps)
                .anyMatch(s -> s.startsWith("kill the netcat listener for 42_web01 on localhost"))
                .anyMatch(s -> s.startsWith("remove igvm's netcat copy program"));
        assertThat(copyProgramDirectories()).isEqualTo(programsBefore);
        assertThat(portLocks()).as("the killed listener's port lock is removed").isEmpty();
        assertThat(Files.size(source)).isEqualTo(64L * MiB);
    }

    private static List<ProcessHandle> processesOf(String... needles) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .commandLine()
                        .map(line -> List.of(needles).stream().anyMatch(line::contains))
                        .orElse(false))
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .toList();
    }

    @Test
    void theBandwidthLimitCapsTheRate() throws Exception {
        Path source = randomFile("source.img", 40 * MiB);
        Path target = emptyTarget();
        RecordingTransportContext c = context(source, target).bandwidthLimit(20L * MiB);
        long started = System.nanoTime();
        try (TransportSession session = session(c)) {
            migrate(session);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(millis).isGreaterThanOrEqualTo(1500);
        run("cmp", source.toString(), target.toString());
    }

    @Test
    void withoutVerificationTheCopyIsStillWhole() throws Exception {
        Path source = randomFile("source.img", 3 * MiB + 17);
        Path target = emptyTarget();
        RecordingTransportContext c = context(source, target).verify(false);
        try (NetcatTransportSession session = (NetcatTransportSession) session(c)) {
            migrate(session);
            assertThat(session.copies().get(0).sent().sha256()).isEqualTo("-");
        }
        run("cmp", source.toString(), target.toString());
        assertThat(c.steps).anyMatch(s -> s.startsWith("copied without verifying"));
    }

    @Test
    void abortBeforePrepareAndTwiceDoesNothing() throws Exception {
        Path source = randomFile("source.img", MiB);
        RecordingTransportContext c = context(source, emptyTarget());
        TransportSession session = session(c);
        session.abort();
        session.abort();
        session.close();
        session.close();
        assertThat(c.undoSteps).isEmpty();
        assertThat(Files.size(source)).isEqualTo(MiB);
    }

    @Test
    void aListenerThatCannotStartFailsPrepareWithItsReason() throws Exception {
        Path source = randomFile("source.img", MiB);
        RecordingTransportContext c = context(source, dir.resolve("missing/target.img"));
        try (TransportSession session = session(c)) {
            assertThatThrownBy(session::prepare)
                    .isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("missing/target.img")
                    .hasMessageContaining("localhost");
        }
    }
}
