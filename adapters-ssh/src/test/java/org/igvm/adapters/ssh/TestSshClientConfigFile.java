package org.igvm.adapters.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TestSshClientConfigFile {
    static final SshClientConfigFile FILE = SshClientConfigFile.of(
            """
            # site defaults
            Host hv*.lab !hv9.lab
                User ops
                Port 2222
                IdentityFile ~/.ssh/lab_ed25519
            Host hv1.lab
                HostName 10.0.0.1
                User ignored-first-value-wins
            Match host web*
                User never
            Host *
                IdentityFile=/etc/igvm/fallback
            """);

    @Test
    void firstValueWinsAndIdentityFilesAddUp() {
        SshClientConfigFile.HostEntry hv1 = FILE.lookup("hv1.lab");
        assertThat(hv1.user()).contains("ops");
        assertThat(hv1.port()).contains(2222);
        assertThat(hv1.hostName()).contains("10.0.0.1");
        assertThat(hv1.identityFiles())
                .containsExactly(
                        Path.of(System.getProperty("user.home"), ".ssh", "lab_ed25519"), Path.of("/etc/igvm/fallback"));
    }

    @Test
    void negatedPatternsAndMatchBlocksDoNotApply() {
        SshClientConfigFile.HostEntry hv9 = FILE.lookup("hv9.lab");
        assertThat(hv9.user()).isEmpty();
        assertThat(hv9.port()).isEmpty();
        assertThat(FILE.lookup("web01").user()).isEmpty();
    }

    @Test
    void theConfiguredUserWinsOverTheFile() {
        SshConfig config = SshConfig.defaults("admin", java.time.Duration.ofMinutes(1));
        SshTarget target = SshTarget.resolve("hv2.lab", config, FILE);
        assertThat(target)
                .isEqualTo(new SshTarget(
                        "hv2.lab",
                        "hv2.lab",
                        2222,
                        "admin",
                        List.of(
                                Path.of(System.getProperty("user.home"), ".ssh", "lab_ed25519"),
                                Path.of("/etc/igvm/fallback"))));
        assertThat(SshTarget.resolve("other", SshConfig.defaults("", java.time.Duration.ofMinutes(1)), FILE)
                        .user())
                .isEqualTo(System.getProperty("user.name"));
        assertThat(Optional.of(target.describe())).contains("admin@hv2.lab:2222");
    }
}
