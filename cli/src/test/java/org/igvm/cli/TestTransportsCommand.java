package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.igvm.bootstrap.plugin.TestPluginSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code igvm transports} over plugin jars built at test time and dropped into a plugin directory. */
class TestTransportsCommand {
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
        assertThat(run.out())
                .isEqualTo("NAME        MODES    STORAGE   VERSION  ORIGIN\n"
                        + "alpha-copy  offline  file,lvm  1.2.3    " + alpha + "\n"
                        + "zeta-copy   offline  file,lvm  1.2.3    " + zeta + "\n");
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
                .isEqualTo("{\"plugin_directories\":[\"" + plugins + "\"],\"transports\":[{\"modes\":[\"offline\"],"
                        + "\"name\":\"filecopy\",\"origin\":\"" + jar + "\",\"storage\":[\"file\",\"lvm\"],"
                        + "\"version\":\"1.2.3\"}]}\n");
        assertThat(second.out()).isEqualTo(first.out());
    }

    @Test
    void noTransportsIsSaidAndExitsZero() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        CliFixture.Run run = transports("[" + empty + "]");
        CliFixture.Run json = transports("[" + empty + "]", "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .isEqualTo("no disk transports found: none is built in, and the plugin directories (" + empty
                        + ") hold none\n");
        assertThat(json.out()).isEqualTo("{\"plugin_directories\":[\"" + empty + "\"],\"transports\":[]}\n");
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
