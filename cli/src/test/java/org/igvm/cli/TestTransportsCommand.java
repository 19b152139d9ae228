package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.igvm.bootstrap.plugin.TestPluginSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code igvm transports} over plugin jars built at test time and dropped into a plugin directory. */
class TestTransportsCommand {
    /** The version in the built-in transports' manifests: igvm's own (the build passes it in). */
    static final String BUILT_IN_VERSION = System.getProperty("igvm.version", "unknown");

    @TempDir
    Path dir;

    private CliFixture.Run transports(String pluginDirs, String... more) throws Exception {
        Path config = Files.writeString(
                dir.resolve("config.yaml"),
                """
                inventory:
                  url: "jdbc:sqlite:%s"
                plugins:
                  dirs: %s
                """
                        .formatted(dir.resolve("inventory.db"), pluginDirs));
        String[] args = new String[3 + more.length];
        args[0] = "--config";
        args[1] = config.toString();
        args[2] = "transports";
        System.arraycopy(more, 0, args, 3, more.length);
        return CliFixture.runRaw(args);
    }

    @Test
    void listsEachTransportWithModesStorageVersionAndOriginSortedByName() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path zeta =
                TestPluginSources.copyTransport("org.example.z", "zeta-copy").writeTo(plugins.resolve("a.jar"));
        Path alpha =
                TestPluginSources.copyTransport("org.example.a", "alpha-copy").writeTo(plugins.resolve("b.jar"));

        CliFixture.Run run = transports("[" + plugins + "]");

        assertThat(run.exitCode()).as(run.err()).isZero();
        // igvm's own transports are on its class path and load the same way as the plugins.
        String v = BUILT_IN_VERSION;
        String pad = " ".repeat(v.length() - "1.2.3".length());
        assertThat(run.out())
                .isEqualTo("NAME        MODES           STORAGE   VERSION" + " ".repeat(v.length() - "VERSION".length())
                        + "  ORIGIN\n"
                        + "alpha-copy  offline         file,lvm  1.2.3" + pad + "  " + alpha + "\n"
                        + "drbd        online,offline  lvm       " + v + "  built-in (classpath)\n"
                        + "netcat      offline         file,lvm  " + v + "  built-in (classpath)\n"
                        + "qemu        online          file,lvm  " + v + "  built-in (classpath)\n"
                        + "zeta-copy   offline         file,lvm  1.2.3" + pad + "  " + zeta + "\n");
    }

    @Test
    void jsonIsSortedAndTheSameBytesEveryTime() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path jar = TestPluginSources.copyTransport("org.example.copy", "filecopy")
                .writeTo(plugins.resolve("filecopy.jar"));

        CliFixture.Run first = transports("[" + plugins + "]", "--json");
        CliFixture.Run second = transports("[" + plugins + "]", "--json");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out())
                .isEqualTo("{\"plugin_directories\":[\"" + plugins + "\"],\"transports\":[" + DRBD_JSON
                        + ",{\"modes\":[\"offline\"],"
                        + "\"name\":\"filecopy\",\"origin\":\"" + jar + "\",\"storage\":[\"file\",\"lvm\"],"
                        + "\"version\":\"1.2.3\"},"
                        + builtInJson("offline", "netcat") + "," + builtInJson("online", "qemu") + "]}\n");
        assertThat(second.out()).isEqualTo(first.out());
    }

    @Test
    void withoutPluginsTheBuiltInTransportsAreListed() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        CliFixture.Run run = transports("[" + empty + "]", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .isEqualTo("{\"plugin_directories\":[\"" + empty + "\"],\"transports\":[" + DRBD_JSON + ","
                        + builtInJson("offline", "netcat") + "," + builtInJson("online", "qemu") + "]}\n");
    }

    private static final String DRBD_JSON = "{\"modes\":[\"online\",\"offline\"],\"name\":\"drbd\","
            + "\"origin\":\"built-in (classpath)\",\"storage\":[\"lvm\"],\"version\":\"" + BUILT_IN_VERSION + "\"}";

    private static String builtInJson(String mode, String name) {
        return "{\"modes\":[\"" + mode + "\"],\"name\":\"" + name + "\",\"origin\":\"built-in (classpath)\","
                + "\"storage\":[\"file\",\"lvm\"],\"version\":\"" + BUILT_IN_VERSION + "\"}";
    }

    @Test
    void twoTransportsWithOneNameIsOneLineNamingBothJars() throws Exception {
        Path first = Files.createDirectories(dir.resolve("first"));
        Path second = Files.createDirectories(dir.resolve("second"));
        Path a = TestPluginSources.copyTransport("org.example.a", "filecopy").writeTo(first.resolve("a.jar"));
        Path b = TestPluginSources.copyTransport("org.example.b", "filecopy").writeTo(second.resolve("b.jar"));

        CliFixture.Run run = transports("[" + first + ", " + second + "]");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().lines()).hasSize(1);
        assertThat(run.err()).contains("two disk transports are named 'filecopy': one from " + a, "one from " + b);
    }
}
