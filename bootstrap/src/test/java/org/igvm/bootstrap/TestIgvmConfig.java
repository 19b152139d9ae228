package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.igvm.adapters.ssh.HostKeyChecking;
import org.igvm.adapters.ssh.SshConfig;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.build.BuildSettings;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestIgvmConfig {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheProductionSettings() {
        IgvmConfig config = IgvmConfig.defaults();
        assertThat(config.inventoryUrl()).startsWith("jdbc:sqlite:").endsWith(".local/share/igvm/inventory.db");
        assertThat(config.libvirtUriTemplate()).isEqualTo("qemu+ssh://{user@}{hostname}/system");
        assertThat(config.libvirtUris()).isEmpty();
        assertThat(config.site().hypervisorDefaults()).isEqualTo(HypervisorSettings.defaults());
        assertThat(config.site().cpuFamilies()).containsEntry("Dell_R640", "Haswell-noTSX");
        assertThat(config.site().shutdownTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.site().lockStaleAfter()).isEqualTo(Duration.ofHours(1));
        assertThat(config.site().lockHeartbeat()).isEqualTo(Duration.ofMinutes(1));
        SshConfig ssh = config.ssh();
        assertThat(ssh.hostKeyChecking()).isEqualTo(HostKeyChecking.STRICT);
        assertThat(ssh.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ssh.commandTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(ssh.knownHosts()).isEmpty();
        assertThat(ssh.knownHostsFiles())
                .containsExactly(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        assertThat(ssh.identityFiles()).isEmpty();
        assertThat(ssh.clientConfig()).isEqualTo(Path.of(System.getProperty("user.home"), ".ssh", "config"));
        assertThat(ssh.sudo()).isTrue();
        BuildSettings build = config.build();
        assertThat(build.imageUrl()).isEqualTo(System.getenv().getOrDefault("IGVM_IMAGE_URL", ""));
        assertThat(build.imageCacheDir()).isEqualTo("/tmp");
        assertThat(build.xfsOptions())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "buster", "lts_4.19", "bullseye", "lts_5.10", "bookworm", "lts_6.1", "trixie", "lts_6.1"));
        assertThat(build.puppetBinary("bullseye")).isEqualTo("/opt/puppetlabs/puppet/bin/puppet");
        assertThat(build.puppetBinary("bookworm")).isEqualTo("/usr/bin/puppet");
        assertThat(build.sshTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(build.downloadTimeout()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theBuildSettingsAreRead() throws Exception {
        Path file = write(
                """
                site:
                  image_url: "http://10.200.0.254/{os}-base.tar.gz"
                  image_cache_dir: /var/cache/igvm
                  xfs_options: {badsum: lts_6.1, buster: lts_5.10}
                  puppet_binaries: {badsum: /bin/true}
                  build_ssh_timeout_seconds: 600
                  image_download_timeout_seconds: 120
                """);
        BuildSettings build = IgvmConfig.load(file, true).build();
        assertThat(build.imageUrlFor("bookworm")).isEqualTo("http://10.200.0.254/bookworm-base.tar.gz");
        assertThat(build.imageCacheDir()).isEqualTo("/var/cache/igvm");
        assertThat(build.xfsOptions()).containsEntry("badsum", "lts_6.1").containsEntry("buster", "lts_5.10");
        assertThat(build.xfsOptions()).containsEntry("bookworm", "lts_6.1");
        assertThat(build.puppetBinary("badsum")).isEqualTo("/bin/true");
        assertThat(build.sshTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(build.downloadTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(build.withImageUrl("http://images/base/").imageUrlFor("trixie"))
                .as("a URL without {os} is a base URL")
                .isEqualTo("http://images/base/trixie-base.tar.gz");
    }

    @Test
    void aRelativeImageCacheIsAnError() throws Exception {
        Path file = write("site:\n  image_cache_dir: cache\n");
        assertThatThrownBy(() -> IgvmConfig.load(file, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("absolute path");
    }

    @Test
    void everySshSettingIsRead() throws Exception {
        Path file = write(
                """
                ssh:
                  user: ops
                  command_timeout_seconds: 120
                  connect_timeout_seconds: 3
                  known_hosts: /etc/igvm/known_hosts
                  identity_files: [~/.ssh/igvm_ed25519, /etc/igvm/id_rsa]
                  host_key_checking: accept-new
                  config_file: /etc/igvm/ssh_config
                  sudo: false
                """);
        SshConfig ssh = IgvmConfig.load(file, true).ssh();
        assertThat(ssh)
                .isEqualTo(new SshConfig(
                        "ops",
                        List.of(
                                Path.of(System.getProperty("user.home"), ".ssh", "igvm_ed25519"),
                                Path.of("/etc/igvm/id_rsa")),
                        Optional.of(Path.of("/etc/igvm/known_hosts")),
                        HostKeyChecking.ACCEPT_NEW,
                        Path.of("/etc/igvm/ssh_config"),
                        Duration.ofSeconds(3),
                        Duration.ofSeconds(120),
                        false));
        assertThat(ssh.knownHostsFiles())
                .containsExactly(
                        Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"),
                        Path.of("/etc/igvm/known_hosts"));
        assertThat(ssh.knownHostsToRecordIn()).isEqualTo(Path.of("/etc/igvm/known_hosts"));
    }

    @Test
    void hostKeyCheckingCannotBeSwitchedOff() throws Exception {
        Path file = write("ssh:\n  host_key_checking: \"no\"\n");
        assertThatThrownBy(() -> IgvmConfig.load(file, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'ssh.host_key_checking'")
                .hasMessageContaining("strict")
                .hasMessageContaining("accept-new");
    }

    @Test
    void everySettingIsRead() throws Exception {
        Path file = write(
                """
                inventory:
                  url: jdbc:postgresql://db.example.net/igvm
                  user: igvm
                  password_env: IGVM_TEST_UNSET_PASSWORD
                libvirt:
                  uri: "qemu+tcp://{hostname}/system"
                  hypervisors:
                    hv1.lab: "qemu+tcp://10.200.0.1/system"
                ssh:
                  user: ops
                  command_timeout_seconds: 120
                site:
                  domain_type: qemu
                  machine: pc-i440fx-7.2
                  emulator: /usr/bin/qemu-system-x86_64
                  bridge: br1
                  virtualport: ""
                  kernel: /boot/vmlinuz
                  initrd: /boot/initrd
                  cmdline: console=ttyS0
                  cpu_model: qemu64
                  storage_pool: images
                  host_memory_reserve_mib: 1024
                  domain_memory_overhead_mib: 64
                  pool_reserve_gib: 1
                  serial_log_dir: /var/log/libvirt/qemu
                  cpu_families:
                    Lab_Box: qemu64
                  shutdown_timeout_seconds: 30
                  lock_stale_after_minutes: 5
                  hypervisors:
                    hv2.lab:
                      bridge: br9
                """);
        IgvmConfig config = IgvmConfig.load(file, true);
        assertThat(config.inventoryUrl()).isEqualTo("jdbc:postgresql://db.example.net/igvm");
        assertThat(config.inventoryUser()).isEqualTo("igvm");
        assertThat(config.libvirtUriTemplate()).isEqualTo("qemu+tcp://{hostname}/system");
        assertThat(config.libvirtUris()).containsEntry("hv1.lab", "qemu+tcp://10.200.0.1/system");
        assertThat(config.sshUser()).isEqualTo("ops");
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofSeconds(120));
        HypervisorSettings site = config.site().hypervisorDefaults();
        assertThat(site)
                .isEqualTo(new HypervisorSettings(
                        "qemu",
                        "pc-i440fx-7.2",
                        "/usr/bin/qemu-system-x86_64",
                        "br1",
                        "",
                        "/boot/vmlinuz",
                        "/boot/initrd",
                        "console=ttyS0",
                        "qemu64",
                        "images",
                        1024,
                        64,
                        1,
                        "/var/log/libvirt/qemu"));
        assertThat(config.site().cpuFamilies())
                .containsEntry("Lab_Box", "qemu64")
                .containsKey("Dell_R640");
        assertThat(config.site().shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.site().lockStaleAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.site().lockHeartbeat())
                .as("a quarter of the stale age, at most a minute")
                .isEqualTo(Duration.ofMinutes(1));
        // A hypervisor override changes only what it names.
        assertThat(config.site().forHypervisor("hv2.lab").bridge()).isEqualTo("br9");
        assertThat(config.site().forHypervisor("hv2.lab").domainType()).isEqualTo("qemu");
        assertThat(config.site().forHypervisor("hv1.lab")).isEqualTo(site);
    }

    @Test
    void anUnknownSettingIsAnErrorNamingIt() throws Exception {
        Path file = write("site:\n  brige: br0\n");
        assertThatThrownBy(() -> IgvmConfig.load(file, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("unknown setting 'site.brige'")
                .hasMessageContaining(file.toString());
    }

    @Test
    void aWrongTypeIsAnErrorNamingTheSetting() throws Exception {
        Path file = write("site:\n  pool_reserve_gib: lots\n");
        assertThatThrownBy(() -> IgvmConfig.load(file, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("'site.pool_reserve_gib'")
                .hasMessageContaining("whole number");
    }

    @Test
    void aMissingNamedFileIsAnErrorButTheDefaultLocationMayBeMissing() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> IgvmConfig.load(missing, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("does not exist");
        assertThat(IgvmConfig.load(missing, false)).isEqualTo(IgvmConfig.defaults());
    }

    @Test
    void brokenYamlIsOneLine() throws Exception {
        Path file = write("site: [unclosed\n");
        assertThatThrownBy(() -> IgvmConfig.load(file, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not valid YAML")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void thePasswordComesFromTheNamedVariableOnly() throws Exception {
        IgvmConfig config = IgvmConfig.load(write("inventory:\n  password_env: IGVM_TEST_UNSET_PASSWORD\n"), true);
        assertThat(config.toString()).doesNotContain("password=");
        assertThatThrownBy(config::inventoryPassword)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("IGVM_TEST_UNSET_PASSWORD");
    }

    /** lab/igvm-lab renders lab/igvm-config.yaml.tmpl into the config igvm runs with in the lab. */
    @Test
    void theLabConfigIsAccepted() throws Exception {
        String template = Files.readString(Path.of("..", "lab", "igvm-config.yaml.tmpl"));
        Path file = write(
                template.replace("@LAB_STATE@", "/srv/igvm/lab/state")
                        .replace("@IMAGE_URL@", "http://10.200.0.254:80/bookworm-base.tar.gz")
                        .replace(
                                "@HVS_URIS@",
                                "    hv1.lab: \"qemu+tcp://10.200.0.1/system\"\n    hv2.lab: \"qemu+tcp://10.200.0.2/system\""));
        IgvmConfig config = IgvmConfig.load(file, true);
        assertThat(config.inventoryUrl()).isEqualTo("jdbc:sqlite:/srv/igvm/lab/state/run/inventory.db");
        assertThat(config.libvirtUris()).containsEntry("hv2.lab", "qemu+tcp://10.200.0.2/system");
        HypervisorSettings lab = config.site().hypervisorDefaults();
        assertThat(lab.domainType()).isEqualTo("qemu");
        assertThat(lab.virtualport()).isEmpty();
        assertThat(lab.cpuModel()).isEqualTo("qemu64");
        assertThat(lab.kernel()).isEqualTo("/var/lib/libvirt/boot/vmlinux-lab");
        assertThat(lab.serialLogDir()).isEqualTo("/var/log/libvirt/qemu");
    }

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void lockAgesInSecondsAndTheHeartbeatAreConfigurableAndAHeartbeatNotBelowTheAgeIsRefused() {
        IgvmConfig config = IgvmConfig.parse(
                java.util.Map.of("site", java.util.Map.of("lock_stale_after_seconds", 4, "lock_heartbeat_seconds", 1)),
                "test config");
        assertThat(config.site().lockStaleAfter()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.site().lockHeartbeat()).isEqualTo(Duration.ofSeconds(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IgvmConfig.parse(
                        java.util.Map.of(
                                "site", java.util.Map.of("lock_stale_after_seconds", 4, "lock_heartbeat_seconds", 4)),
                        "test config"))
                .isInstanceOf(org.igvm.api.InvalidInputException.class)
                .hasMessage(
                        "test config: site.lock_heartbeat_seconds (4) must be at least 1 and below the stale age (4 s)");
    }

    @Test
    void aDuplicateKeyIsAnErrorNamingKeyAndLine() throws Exception {
        Path file = write("site:\n  lock_stale_after_minutes: 30\n  lock_stale_after_minutes: 90\n");
        assertThatThrownBy(() -> IgvmConfig.load(file, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("config file " + file
                        + " is not valid YAML: found duplicate key lock_stale_after_minutes (line 3, column 3)");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "site,lock_stale_after_minutes,-5",
        "site,lock_stale_after_seconds,0",
        "site,lock_heartbeat_seconds,-1",
        "site,shutdown_timeout_seconds,0",
        "ssh,command_timeout_seconds,-10",
        "ssh,connect_timeout_seconds,0",
        "placement,hard_check_batch_size,0",
        "placement,migration_log_expiry_hours,-1",
    })
    void aZeroOrNegativeAgeOrTimeoutIsAnError(String section, String key, long value) throws Exception {
        Path file = write(section + ":\n  " + key + ": " + value + "\n");
        assertThatThrownBy(() -> IgvmConfig.load(file, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("setting '" + section + "." + key + "' in " + file
                        + ": must be a whole number of at least 1, not " + value);
    }

    @Test
    void aDirectoryIsNamedAsSuch() {
        assertThatThrownBy(() -> IgvmConfig.load(dir, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("config file " + dir + " is a directory; name a YAML file");
    }

    @Test
    void aFileThatIsNotUtf8SaysSo() throws Exception {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {
            's',
            'i',
            't',
            'e',
            ':',
            '\n',
            ' ',
            ' ',
            'b',
            'r',
            'i',
            'd',
            'g',
            'e',
            ':',
            ' ',
            (byte) 0xe9,
            (byte) 0xff,
            '\n'
        });
        assertThatThrownBy(() -> IgvmConfig.load(file, true))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("config file " + file + " is not UTF-8 text; save it as UTF-8");
    }
}
