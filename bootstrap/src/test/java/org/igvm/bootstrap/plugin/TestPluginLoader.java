package org.igvm.bootstrap.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.igvm.adapters.local.LocalShell;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.plugin.RegisteredTransport;
import org.igvm.domain.plugin.TransportRegistry;
import org.igvm.domain.spi.plugin.IgvmPlugin;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVolume;
import org.igvm.domain.testing.RecordingTransportContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin jars built at test time, dropped into plugin directories and loaded as igvm loads them. */
class TestPluginLoader {
    @TempDir
    Path dir;

    private LoadedPlugins load(Path... pluginDirs) {
        List<PluginDirectory> dirs = java.util.Arrays.stream(pluginDirs)
                .map(d -> new PluginDirectory(d, "config plugins.dirs"))
                .toList();
        return new PluginLoader(IgvmPlugin.class.getClassLoader()).load(dirs);
    }

    private Path pluginDir(String name) throws Exception {
        return Files.createDirectories(dir.resolve(name));
    }

    @Test
    void aDroppedInJarIsListedWithItsOriginAndItsSessionCopiesTheDisk() throws Exception {
        Path plugins = pluginDir("plugins");
        Path jar = TestPluginSources.copyTransport("org.example.copy", "filecopy")
                .writeTo(plugins.resolve("filecopy.jar"));

        try (LoadedPlugins loaded = load(plugins)) {
            assertThat(loaded.problems()).isEmpty();
            TransportRegistry registry = loaded.registry(
                    name -> new TransportConfigSection("config.yaml", name, Map.of("block_size", "4K")));
            RegisteredTransport t = registry.require("filecopy");
            assertThat(t.modes()).containsExactly(MigrationMode.OFFLINE);
            assertThat(t.storage()).containsExactlyInAnyOrder(StorageKind.FILE, StorageKind.LVM);
            assertThat(t.version()).isEqualTo("1.2.3");
            assertThat(t.origin()).isEqualTo(jar.toString());
            assertThat(t.factory().getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);

            byte[] disk = new byte[3 * 4096 + 17];
            new Random(7).nextBytes(disk);
            Path source = Files.write(dir.resolve("source.img"), disk);
            Path target = Files.createFile(dir.resolve("target.img"));
            LocalShell shell = new LocalShell(Duration.ofSeconds(30));
            RecordingTransportContext context = new RecordingTransportContext(
                    shell,
                    shell,
                    List.of(new TransportVolume(
                            "42_web01",
                            "vms",
                            source.toString(),
                            target.toString(),
                            disk.length,
                            "raw",
                            StorageKind.FILE)),
                    registry.config("filecopy"));
            try (TransportSession session = t.factory().create(context)) {
                session.prepare();
                session.transfer();
                session.switchOver();
                session.finish();
            } finally {
                context.close();
            }
            assertThat(target).hasBinaryContent(disk);
            assertThat(context.steps).containsExactly("copying with blocks of 4096 bytes", "verified");
            assertThat(context.bytes).singleElement().isEqualTo(new long[] {disk.length, disk.length});
            assertThat(context.undoSteps).containsExactly("empty " + target);
        }
    }

    @Test
    void aPluginSeesTheSpiButNeitherGuiceNorIgvmInternals() throws Exception {
        Path plugins = pluginDir("plugins");
        TestPluginSources.probingItsClassLoader().writeTo(plugins.resolve("probe.jar"));

        try (LoadedPlugins loaded = load(plugins)) {
            assertThat(loaded.transports())
                    .extracting(RegisteredTransport::name)
                    .containsExactly("probe guice=false domain=false spi=true");
            ClassLoader loader = loaded.transports().get(0).factory().getClass().getClassLoader();
            assertThatThrownBy(() -> Class.forName("com.google.inject.Injector", false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThat(Class.forName("org.igvm.domain.spi.transport.TransportContext", false, loader))
                    .isSameAs(org.igvm.domain.spi.transport.TransportContext.class);
            assertThat(Class.forName("java.sql.Connection", false, loader)).isNotNull();
        }
    }

    @Test
    void aJarReachingForADomainClassFailsWithOneLineNamingTheJarAndTheClass() throws Exception {
        Path plugins = pluginDir("plugins");
        Path jar = TestPluginSources.reachingForInternals().writeTo(plugins.resolve("sneaky.jar"));

        try (LoadedPlugins loaded = load(plugins)) {
            assertThat(loaded.transports()).isEmpty();
            assertThat(loaded.problems())
                    .containsExactly("plugin " + jar + " not loaded: it uses org.igvm.domain.lock.ObjectLocks, which is"
                            + " not part of igvm's SPI; a plugin sees only org.igvm.api, org.igvm.domain.spi,"
                            + " org.slf4j and the JDK");
        }
    }

    @Test
    void twoTransportsWithOneNameAreAnErrorNamingBothJars() throws Exception {
        Path first = pluginDir("first");
        Path second = pluginDir("second");
        Path a = TestPluginSources.copyTransport("org.example.a", "filecopy").writeTo(first.resolve("a.jar"));
        Path b = TestPluginSources.copyTransport("org.example.b", "filecopy").writeTo(second.resolve("b.jar"));

        try (LoadedPlugins loaded = load(first, second)) {
            assertThatThrownBy(() -> loaded.registry(name -> null))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("two disk transports are named 'filecopy': one from " + a
                            + " (org.example.a.CopyTransportFactory), one from " + b
                            + " (org.example.b.CopyTransportFactory); remove one of them");
        }
    }

    @Test
    void brokenJarsAreOneWarningEachAndTheOthersStillLoad() throws Exception {
        Path plugins = pluginDir("plugins");
        Path corrupt = Files.write(plugins.resolve("a-corrupt.jar"), "PK\3\4 this is not a zip".getBytes());
        Path missing = new PluginJar().provider("org.example.Gone").writeTo(plugins.resolve("b-missing.jar"));
        Path grumpy = TestPluginSources.throwingProvider().writeTo(plugins.resolve("c-grumpy.jar"));
        Path empty = new PluginJar().writeTo(plugins.resolve("d-empty.jar"));
        Path good =
                TestPluginSources.copyTransport("org.example.copy", "filecopy").writeTo(plugins.resolve("e-good.jar"));
        Files.writeString(plugins.resolve("README.txt"), "not a plugin, and not worth a warning");

        try (LoadedPlugins loaded = load(plugins)) {
            assertThat(loaded.transports())
                    .extracting(RegisteredTransport::name, RegisteredTransport::origin)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("filecopy", good.toString()));
            assertThat(loaded.problems()).hasSize(4).allSatisfy(p -> assertThat(p)
                    .doesNotContain("\n"));
            assertThat(loaded.problems().get(0))
                    .startsWith("plugin " + corrupt + " not loaded: " + corrupt + " is not a valid jar (");
            assertThat(loaded.problems().get(1))
                    .isEqualTo("plugin " + missing + " not loaded: Provider org.example.Gone not found");
            assertThat(loaded.problems().get(2))
                    .isEqualTo("plugin " + grumpy + " not loaded: Provider org.example.grumpy.GrumpyPlugin could"
                            + " not be instantiated: IllegalStateException: no licence key");
            assertThat(loaded.problems().get(3))
                    .isEqualTo("plugin " + empty + " not loaded: it names no IgvmPlugin provider (no"
                            + " META-INF/services/org.igvm.domain.spi.plugin.IgvmPlugin)");
        }
    }

    @Test
    void aFolderOfJarsIsOnePluginWhoseJarsSeeEachOther() throws Exception {
        Path folder = Files.createDirectories(pluginDir("plugins").resolve("checked-copy"));
        Path lib = new PluginJar()
                .source(
                        "org.example.lib.Names",
                        """
                        package org.example.lib;

                        public final class Names {
                            public static String transport() {
                                return "checked-copy";
                            }
                        }
                        """)
                .writeTo(folder.resolve("lib.jar"));
        Path plugin = new PluginJar()
                .source(
                        "org.example.checked.CheckedPlugin",
                        """
                        package org.example.checked;

                        import java.util.List;
                        import java.util.Set;
                        import org.igvm.domain.spi.plugin.IgvmPlugin;
                        import org.igvm.domain.spi.transport.*;

                        public final class CheckedPlugin implements IgvmPlugin {
                            @Override
                            public Iterable<DiskTransportFactory> diskTransports() {
                                return List.of(new DiskTransportFactory() {
                                    public String name() { return org.example.lib.Names.transport(); }
                                    public Set<MigrationMode> modes() { return Set.of(MigrationMode.OFFLINE); }
                                    public Set<StorageKind> storage() { return Set.of(StorageKind.FILE); }
                                    public TransportSession create(TransportContext c) {
                                        throw new UnsupportedOperationException();
                                    }
                                });
                            }
                        }
                        """)
                .compileAgainst(lib)
                .provider("org.example.checked.CheckedPlugin")
                .writeTo(folder.resolve("plugin.jar"));

        try (LoadedPlugins loaded = load(folder.getParent())) {
            assertThat(loaded.problems()).isEmpty();
            assertThat(loaded.transports()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("checked-copy");
                assertThat(t.origin()).isEqualTo(plugin.toString());
                assertThat(t.version()).isEqualTo("unknown");
            });
        }
    }

    @Test
    void aPluginOnIgvmsOwnClassPathIsBuiltInAndSharesIgvmsClassLoader() throws Exception {
        Path jar = TestPluginSources.copyTransport("org.example.builtin", "builtin-copy")
                .writeTo(dir.resolve("on-the-class-path.jar"));
        try (URLClassLoader classPath =
                new URLClassLoader(new URL[] {jar.toUri().toURL()}, IgvmPlugin.class.getClassLoader())) {
            LoadedPlugins loaded = new PluginLoader(classPath).load(List.of());
            assertThat(loaded.problems()).isEmpty();
            assertThat(loaded.transports()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("builtin-copy");
                assertThat(t.origin()).isEqualTo("built-in (classpath)");
                assertThat(t.factory().getClass().getClassLoader()).isSameAs(classPath);
            });
        }
    }

    @Test
    void aMissingDefaultDirectoryIsNormalButANamedOneIsAWarning() {
        Path gone = dir.resolve("gone");
        LoadedPlugins loaded = new PluginLoader(IgvmPlugin.class.getClassLoader())
                .load(List.of(new PluginDirectory(gone, "default"), new PluginDirectory(gone, "IGVM_PLUGIN_PATH")));
        assertThat(loaded.problems())
                .containsExactly("plugin directory " + gone
                        + " (from IGVM_PLUGIN_PATH) does not exist or is not a directory; no plugins loaded from it");
    }

    @Test
    void directoriesComeFromTheConfigThenIgvmPluginPathEachOnce() {
        PluginConfig config = new PluginConfig(List.of(Path.of("/opt/igvm/plugins")), "config.yaml", Map.of());
        assertThat(PluginDirectories.of(config, "/srv/p1::/opt/igvm/plugins:/srv/p2"))
                .containsExactly(
                        new PluginDirectory(Path.of("/opt/igvm/plugins"), "config plugins.dirs"),
                        new PluginDirectory(Path.of("/srv/p1"), "IGVM_PLUGIN_PATH"),
                        new PluginDirectory(Path.of("/srv/p2"), "IGVM_PLUGIN_PATH"));
        assertThat(PluginDirectories.of(PluginConfig.defaults(), null))
                .containsExactly(new PluginDirectory(PluginConfig.defaultDirectory(), "default"));
        assertThat(Set.of(PluginClassLoader.SPI_PACKAGES.toArray()))
                .containsExactlyInAnyOrder("org.igvm.api.", "org.igvm.domain.spi.", "org.slf4j.");
    }
}
