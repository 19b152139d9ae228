package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.igvm.adapters.local.LocalShell;
import org.igvm.api.CancelledException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.bootstrap.plugin.LoadedPlugins;
import org.igvm.bootstrap.plugin.PluginClassLoader;
import org.igvm.bootstrap.plugin.PluginDirectory;
import org.igvm.bootstrap.plugin.PluginLoader;
import org.igvm.bootstrap.plugin.TransportConfigSection;
import org.igvm.domain.plugin.RegisteredTransport;
import org.igvm.domain.spi.plugin.IgvmPlugin;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVolume;
import org.igvm.domain.testing.FreePortRange;
import org.igvm.domain.testing.RecordingTransportContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example third-party transport {@code zstd-nc} ({@code examples/transport-plugin/}), built
 * from its sources into a jar, dropped into a plugin directory and loaded by igvm's real {@link
 * PluginLoader}; its sessions run real {@code dd | zstd | nc} pipelines on this machine, with
 * {@code localhost} as both hypervisors. Not a lab test: it runs in the normal build.
 */
class TestExampleTransportPlugin {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    private Path plugins;
    private int portBase;

    @BeforeEach
    void buildTheJar() throws IOException {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        ExamplePluginJar.buildInto(plugins);
        // away from netcat's 7000+ and from another test run's ports
        portBase = FreePortRange.of(20);
    }

    private LoadedPlugins load() {
        return new PluginLoader(IgvmPlugin.class.getClassLoader())
                .load(List.of(new PluginDirectory(plugins, "config plugins.dirs")));
    }

    private TransportConfigSection config(Map<String, Object> values) {
        return new TransportConfigSection("config.yaml", ExamplePluginJar.NAME, values);
    }

    /** Both "hypervisors" are this machine, each side with a real local shell of its own. */
    private static RecordingTransportContext localContext(
            List<TransportVolume> volumes, TransportConfigSection config) {
        return new RecordingTransportContext(
                new LocalShell(Duration.ofSeconds(30)), new LocalShell(Duration.ofSeconds(30)), volumes, config);
    }

    private TransportConfigSection config() {
        return config(Map.of("port_base", portBase, "port_count", 20, "listen_timeout", "10s"));
    }

    @Test
    void itLoadsThroughThePluginLoaderInItsOwnClassLoader() {
        try (LoadedPlugins loaded = load()) {
            assertThat(loaded.problems()).isEmpty();
            RegisteredTransport t = loaded.registry(this::sectionFor).require(ExamplePluginJar.NAME);
            assertThat(t.modes()).containsExactly(MigrationMode.OFFLINE);
            assertThat(t.storage()).containsExactly(StorageKind.FILE);
            assertThat(t.version()).isEqualTo(System.getProperty("igvm.version", "0.1.0-SNAPSHOT"));
            assertThat(t.origin())
                    .isEqualTo(plugins.resolve("zstd-nc-transport.jar").toString());
            assertThat(t.factory().getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
        }
        // and it is on no class path of igvm's
        assertThatThrownBy(() -> Class.forName("org.example.igvm.zstdnc.ZstdNcPlugin"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    private TransportConfigSection sectionFor(String name) {
        return name.equals(ExamplePluginJar.NAME)
                ? config()
                : new TransportConfigSection("config.yaml", name, Map.of());
    }

    @Test
    void itCopiesASparseFileWithEqualChecksumsAndTheTargetStaysSparse() throws Exception {
        long size = 64 * MIB;
        Path source = dir.resolve("source.img");
        Random random = new Random(12);
        try (RandomAccessFile f = new RandomAccessFile(source.toFile(), "rw")) {
            f.setLength(size);
            byte[] chunk = new byte[(int) MIB];
            for (long at = 0; at < size; at += 10 * MIB) { // 10 % allocated
                random.nextBytes(chunk);
                f.seek(at);
                f.write(chunk);
            }
        }
        Path target = dir.resolve("target.img");
        try (RandomAccessFile f = new RandomAccessFile(target.toFile(), "rw")) {
            f.setLength(size); // as the migrate flow creates it: empty, full size
        }

        try (LoadedPlugins loaded = load();
                RecordingTransportContext context = localContext(List.of(volume(source, target, size)), config())) {
            RegisteredTransport t = loaded.registry(this::sectionFor).require(ExamplePluginJar.NAME);
            try (TransportSession session = t.factory().create(context)) {
                session.prepare();
                session.transfer();
                session.switchOver();
                session.finish();
            }
            String sum = sha256(source);
            assertThat(sha256(target)).isEqualTo(sum);
            assertThat(context.steps)
                    .first()
                    .asString()
                    .startsWith("listening on localhost:" + portBase + " for 42_web01");
            assertThat(context.steps).contains("verified 42_web01: sha256 " + sum + " on both sides");
            assertThat(context.bytes).last().satisfies(b -> assertThat(b).containsExactly(size, size));
            assertThat(context.undoSteps).as("the flow owns the target volume").isEmpty();
        }
        assertThat(Files.size(target)).isEqualTo(size);
        assertThat(allocatedBytes(target))
                .as("the target stays sparse")
                .isLessThanOrEqualTo(allocatedBytes(source) + 2 * MIB);
        assertThat(processesOfPorts()).as("nothing left running").isEmpty();
    }

    @Test
    void abortBeforeTheCopyKillsTheListener() throws Exception {
        Path source = Files.write(dir.resolve("source.img"), new byte[4096]);
        Path target = Files.write(dir.resolve("target.img"), new byte[4096]);
        try (LoadedPlugins loaded = load();
                RecordingTransportContext context = localContext(List.of(volume(source, target, 4096)), config())) {
            TransportSession session = loaded.registry(this::sectionFor)
                    .require(ExamplePluginJar.NAME)
                    .factory()
                    .create(context);
            session.prepare();
            assertThat(processesOfPorts()).as("the listener runs").isNotEmpty();
            assertThat(listening(portBase)).isTrue();

            session.abort();

            assertThat(processesOfPorts()).isEmpty();
            assertThat(listening(portBase)).isFalse();
            session.abort(); // again: nothing
            session.close();
        }
    }

    @Test
    void cancellingDuringTheCopyEndsItAndAbortLeavesNoProcess() throws Exception {
        long size = 32 * MIB;
        byte[] data = new byte[(int) size];
        new Random(3).nextBytes(data);
        Path source = Files.write(dir.resolve("source.img"), data);
        Path target = Files.write(dir.resolve("target.img"), new byte[0]);
        // 1 MiB/s (pv -L): the copy takes half a minute, so it is surely running when cancelled
        try (LoadedPlugins loaded = load();
                RecordingTransportContext context = localContext(List.of(volume(source, target, size)), config())
                        .bandwidthLimit(MIB)) {
            TransportSession session = loaded.registry(this::sectionFor)
                    .require(ExamplePluginJar.NAME)
                    .factory()
                    .create(context);
            session.prepare();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread operation = new Thread(() -> {
                try {
                    session.switchOver();
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            operation.start();
            Lab.await("the sender runs", Duration.ofSeconds(20), () -> processesOfPorts().stream()
                    .filter(p -> p.contains("nc -N localhost"))
                    .findAny());
            Thread.sleep(1000);

            context.cancel(); // Ctrl-C: the signal is raised and the operation's thread interrupted
            operation.interrupt();
            operation.join(10_000);

            assertThat(operation.isAlive()).isFalse();
            assertThat(failure.get()).isInstanceOf(CancelledException.class);
            session.abort();
            session.close();
            assertThat(processesOfPorts()).isEmpty();
            assertThat(listening(portBase)).isFalse();
            assertThat(Files.size(target)).as("the copy did not finish").isLessThan(size);
        }
    }

    @Test
    void aTypoInItsConfigSectionIsAnError() {
        try (LoadedPlugins loaded = load();
                RecordingTransportContext context = localContext(List.of(), config(Map.of("levle", 3)))) {
            RegisteredTransport t = loaded.registry(this::sectionFor).require(ExamplePluginJar.NAME);
            assertThatThrownBy(() -> t.factory().create(context))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("levle");
        }
    }

    @Test
    void aMissingTargetVolumeFailsPrepareWithOneLine() throws Exception {
        Path source = Files.write(dir.resolve("source.img"), new byte[4096]);
        Path target = dir.resolve("no-such-volume.img");
        try (LoadedPlugins loaded = load();
                RecordingTransportContext context = localContext(List.of(volume(source, target, 4096)), config())) {
            try (TransportSession session = loaded.registry(this::sectionFor)
                    .require(ExamplePluginJar.NAME)
                    .factory()
                    .create(context)) {
                assertThatThrownBy(session::prepare)
                        .isInstanceOf(OperationFailedException.class)
                        .hasMessage("zstd-nc: " + target + " on localhost is not a writable file");
            }
            assertThat(processesOfPorts()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static TransportVolume volume(Path source, Path target, long size) {
        return new TransportVolume(
                "42_web01", "xen-data", source.toString(), target.toString(), size, "raw", StorageKind.FILE);
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[(int) MIB];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static long allocatedBytes(Path file) {
        Lab.Proc p = Lab.run(Duration.ofSeconds(10), "stat", "-c", "%b %B", file.toString());
        String[] f = p.out().strip().split(" ");
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }

    private boolean listening(int port) {
        return !Lab.run(Duration.ofSeconds(10), "ss", "-Hltn", "sport = :" + port)
                .out()
                .isBlank();
    }

    /**
     * The live (not zombie) processes of the process groups whose command line names one of this
     * test's ports: the session's listener and sender pipelines, each its own group.
     */
    private Set<String> processesOfPorts() {
        List<String[]> ps = Lab.run(Duration.ofSeconds(10), "ps", "-eo", "pid=,pgid=,stat=,args=")
                .out()
                .lines()
                .map(l -> l.strip().split("\\s+", 4))
                .filter(f -> f.length == 4 && !f[2].startsWith("Z"))
                .toList();
        Set<String> groups = ps.stream()
                .filter(f -> java.util.stream.IntStream.range(portBase, portBase + 20)
                        .anyMatch(p -> f[3].contains("localhost " + p)))
                .map(f -> f[1])
                .collect(Collectors.toSet());
        return ps.stream()
                .filter(f -> groups.contains(f[1]))
                .map(f -> f[0] + " " + f[3])
                .collect(Collectors.toSet());
    }
}
