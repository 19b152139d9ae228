package org.igvm.bootstrap.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.igvm.api.InvalidInputException;
import org.igvm.bootstrap.IgvmConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plugins:} and {@code transports:} in igvm's config file. */
class TestPluginConfig {
    @TempDir
    Path dir;

    @Test
    void byDefaultPluginsComeFromTheUsersConfigDirectoryAndNoTransportHasSettings() {
        PluginConfig plugins = IgvmConfig.defaults().plugins();
        assertThat(plugins.dirs())
                .containsExactly(Path.of(System.getProperty("user.home"), ".config", "igvm", "plugins"));
        assertThat(plugins.configuredTransports()).isEmpty();
        assertThat(plugins.transport("netcat").keys()).isEmpty();
    }

    @Test
    void theConfigNamesThePluginDirectoriesAndEachTransportsSection() throws Exception {
        Path file = write(
                """
                plugins:
                  dirs: [/opt/igvm/plugins, ~/more-plugins]
                transports:
                  netcat:
                    port_base: 7000
                    verify: false
                  rsync: {}
                """);
        PluginConfig plugins = IgvmConfig.load(file, true).plugins();
        assertThat(plugins.dirs())
                .containsExactly(
                        Path.of("/opt/igvm/plugins"), Path.of(System.getProperty("user.home"), "more-plugins"));
        assertThat(plugins.configuredTransports()).containsExactly("netcat", "rsync");
        assertThat(plugins.transport("netcat").intValue("port_base", 0)).isEqualTo(7000);
        assertThat(plugins.transport("netcat").bool("verify", true)).isFalse();
        assertThat(plugins.transport("rsync").keys()).isEmpty();
    }

    @Test
    void anEmptyListOfDirectoriesMeansTheClassPathOnly() throws Exception {
        assertThat(IgvmConfig.load(write("plugins:\n  dirs: []\n"), true)
                        .plugins()
                        .dirs())
                .isEqualTo(List.of());
    }

    @Test
    void unknownPluginSettingsAndATransportThatIsNoMappingAreErrors() throws Exception {
        Path typo = write("plugins:\n  dir: /opt/igvm/plugins\n");
        assertThatThrownBy(() -> IgvmConfig.load(typo, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown setting 'plugins.dir' in " + typo + "; known settings here: dirs");
        Path scalar = write("transports:\n  netcat: fast\n");
        assertThatThrownBy(() -> IgvmConfig.load(scalar, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("setting 'transports.netcat' in " + scalar + " must be a mapping of settings, not 'fast'");
    }

    private Path write(String yaml) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "config", ".yaml"), yaml);
    }
}
