package org.igvm.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.igvm.adapters.ssh.HostKeyChecking;
import org.igvm.adapters.ssh.SshConfig;
import org.igvm.api.InvalidInputException;
import org.igvm.bootstrap.plugin.PluginConfig;
import org.igvm.domain.build.BuildSettings;
import org.igvm.domain.hypervisor.CpuFamilies;
import org.igvm.domain.hypervisor.SiteSettings;
import org.igvm.domain.io.IoFailureReason;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.placement.PlacementSettings;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * igvm's configuration, read from one YAML file ({@code --config}, else {@code $IGVM_CONFIG}, else
 * {@code ~/.config/igvm/config.yaml}; a missing default file means all defaults). The inventory
 * password is never stored here in clear: {@code password_env} names the environment variable
 * that holds it.
 */
public record IgvmConfig(
        String inventoryUrl,
        String inventoryUser,
        String inventoryPasswordEnv,
        String libvirtUriTemplate,
        String sshUser,
        Map<String, String> libvirtUris,
        SiteSettings site,
        Duration commandTimeout,
        SshConfig ssh,
        PlacementSettings placement,
        PluginConfig plugins,
        BuildSettings build) {

    public static final String DEFAULT_LIBVIRT_URI = "qemu+ssh://{user@}{hostname}/system";

    /** The default inventory: an SQLite file in the user's data directory. */
    public static String defaultInventoryUrl() {
        return org.igvm.adapters.inventory.InventoryConfig.defaults().jdbcUrl();
    }

    public static IgvmConfig defaults() {
        return parse(Map.of(), "the defaults");
    }

    /** Where the configuration is read from when no file is named. */
    public static Path defaultLocation() {
        String env = System.getenv("IGVM_CONFIG");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".config", "igvm", "config.yaml");
    }

    /**
     * Reads the file. A named file that is missing is an error; the default location may be
     * missing.
     */
    public static IgvmConfig load(Path file, boolean mustExist) {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("config file " + file + " is a directory; name a YAML file");
        }
        LoaderOptions options = new LoaderOptions();
        // A key given twice is a mistake (which one did the operator mean?), not "the last wins".
        options.setAllowDuplicateKeys(false);
        try (InputStream in = Files.newInputStream(file)) {
            Object root = new Yaml(new SafeConstructor(options)).load(in);
            if (root == null) {
                return defaults();
            }
            if (!(root instanceof Map)) {
                throw new InvalidInputException(
                        file + " must hold a mapping of settings (inventory:, libvirt:, site:)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) root;
            return parse(map, file.toString());
        } catch (NoSuchFileException e) {
            if (mustExist) {
                throw new InvalidInputException(
                        "config file " + file + " does not exist; create it or leave out --config");
            }
            return defaults();
        } catch (YAMLException e) {
            throw new InvalidInputException("config file " + file + " " + YamlProblem.describe(e));
        } catch (IOException e) {
            throw new InvalidInputException("cannot read config file " + file + ": " + IoFailureReason.of(e));
        }
    }

    static IgvmConfig parse(Map<String, Object> root, String source) {
        ConfigSection top = new ConfigSection(source, "", root);
        ConfigSection inventory = top.section("inventory");
        String url = inventory.string("url", defaultInventoryUrl());
        String user = inventory.string("user", "");
        String passwordEnv = inventory.string("password_env", "");
        inventory.rejectUnknown();

        ConfigSection libvirt = top.section("libvirt");
        String uri = libvirt.string("uri", DEFAULT_LIBVIRT_URI);
        Map<String, String> uris = libvirt.strings("hypervisors");
        libvirt.rejectUnknown();

        ConfigSection ssh = top.section("ssh");
        String sshUser = ssh.string("user", System.getenv().getOrDefault("IGVM_SSH_USER", ""));
        Duration commandTimeout = Duration.ofSeconds(ssh.positive("command_timeout_seconds", 3600));
        SshConfig sshConfig = sshConfig(ssh, sshUser, commandTimeout);
        ssh.rejectUnknown();

        ConfigSection site = top.section("site");
        HypervisorSettings defaults = hypervisorSettings(site, HypervisorSettings.defaults());
        Map<String, String> families = new LinkedHashMap<>(CpuFamilies.DEFAULTS);
        families.putAll(site.strings("cpu_families"));
        Duration shutdown = Duration.ofSeconds(site.positive("shutdown_timeout_seconds", 60));
        // Seconds are for tests and labs; sites think in minutes.
        long staleSeconds = site.positive("lock_stale_after_seconds", -1);
        Duration stale = staleSeconds > 0
                ? Duration.ofSeconds(staleSeconds)
                : Duration.ofMinutes(site.positive("lock_stale_after_minutes", 60));
        long heartbeatSeconds = site.positive("lock_heartbeat_seconds", -1);
        Duration heartbeat =
                heartbeatSeconds < 0 ? ObjectLocks.defaultHeartbeat(stale) : Duration.ofSeconds(heartbeatSeconds);
        if (heartbeat.isZero() || heartbeat.compareTo(stale) >= 0) {
            throw new InvalidInputException(source + ": site.lock_heartbeat_seconds (" + heartbeat.toSeconds()
                    + ") must be at least 1 and below the stale age (" + stale.toSeconds() + " s)");
        }
        boolean guestLogins = site.bool("guest_logins", true);
        BuildSettings build = buildSettings(site);
        ConfigSection perHv = site.section("hypervisors");
        Map<String, HypervisorSettings> overrides = new LinkedHashMap<>();
        for (String hv : perHv.keys()) {
            ConfigSection one = perHv.section(hv);
            overrides.put(hv, hypervisorSettings(one, defaults));
            one.rejectUnknown();
        }
        site.rejectUnknown();
        PlacementSettings placement = PlacementConfigReader.read(top.section("placement"));
        PluginConfig plugins = pluginConfig(top, source);
        top.rejectUnknown();
        return new IgvmConfig(
                url,
                user,
                passwordEnv,
                uri,
                sshUser,
                uris,
                new SiteSettings(defaults, overrides, families, shutdown, stale, heartbeat, guestLogins),
                commandTimeout,
                sshConfig,
                placement,
                plugins,
                build);
    }

    /** The build's settings in {@code site:}: image URL and cache, XFS options and Puppet per OS, SSH wait. */
    private static BuildSettings buildSettings(ConfigSection site) {
        BuildSettings defaults = BuildSettings.defaults();
        Map<String, String> xfs = new LinkedHashMap<>(defaults.xfsOptions());
        xfs.putAll(site.strings("xfs_options"));
        Map<String, String> puppet = new LinkedHashMap<>(defaults.puppetBinaries());
        puppet.putAll(site.strings("puppet_binaries"));
        return new BuildSettings(
                site.string("image_url", defaults.imageUrl()),
                site.string("image_cache_dir", defaults.imageCacheDir()),
                xfs,
                puppet,
                Duration.ofSeconds(site.positive(
                        "build_ssh_timeout_seconds", defaults.sshTimeout().toSeconds())),
                defaults.sshPollInterval(),
                Duration.ofSeconds(site.positive(
                        "image_download_timeout_seconds",
                        defaults.downloadTimeout().toSeconds())),
                defaults.caRetries(),
                defaults.caBackoff());
    }

    /** {@code plugins: {dirs: [...]}} and {@code transports: {<name>: {...}}}. */
    private static PluginConfig pluginConfig(ConfigSection top, String source) {
        ConfigSection plugins = top.section("plugins");
        boolean named = plugins.has("dirs");
        List<Path> listed =
                plugins.list("dirs").stream().map(IgvmConfig::expandHome).toList();
        // The config's list replaces the default directory; an empty list means the class path only.
        List<Path> dirs = named ? listed : List.of(PluginConfig.defaultDirectory());
        plugins.rejectUnknown();
        ConfigSection transports = top.section("transports");
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        for (String name : transports.keys()) {
            sections.put(name, transports.mapping(name));
        }
        transports.rejectUnknown();
        return new PluginConfig(dirs, source, sections);
    }

    private static SshConfig sshConfig(ConfigSection ssh, String user, Duration commandTimeout) {
        SshConfig defaults = SshConfig.defaults(user, commandTimeout);
        String knownHosts = ssh.string("known_hosts", "");
        String checking =
                ssh.string("host_key_checking", defaults.hostKeyChecking().setting());
        HostKeyChecking hostKeyChecking;
        try {
            hostKeyChecking = HostKeyChecking.parse(checking);
        } catch (InvalidInputException e) {
            throw new InvalidInputException("setting 'ssh.host_key_checking' must be 'strict' or 'accept-new', not '"
                    + checking + "'; igvm never accepts unknown host keys without recording them");
        }
        return new SshConfig(
                user,
                ssh.list("identity_files").stream().map(IgvmConfig::expandHome).toList(),
                knownHosts.isEmpty() ? Optional.empty() : Optional.of(expandHome(knownHosts)),
                hostKeyChecking,
                expandHome(ssh.string("config_file", defaults.clientConfig().toString())),
                Duration.ofSeconds(ssh.positive(
                        "connect_timeout_seconds", defaults.connectTimeout().toSeconds())),
                commandTimeout,
                ssh.bool("sudo", defaults.sudo()));
    }

    private static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }

    private static HypervisorSettings hypervisorSettings(ConfigSection s, HypervisorSettings base) {
        return new HypervisorSettings(
                s.string("domain_type", base.domainType()),
                s.string("machine", base.machine()),
                s.string("emulator", base.emulator()),
                s.string("bridge", base.bridge()),
                s.string("virtualport", base.virtualport()),
                s.string("kernel", base.kernel()),
                s.string("initrd", base.initrd()),
                s.string("cmdline", base.cmdline()),
                s.string("cpu_model", base.cpuModel()),
                s.string("storage_pool", base.storagePool()),
                s.number("host_memory_reserve_mib", base.hostMemoryReserveMiB()),
                s.number("domain_memory_overhead_mib", base.domainMemoryOverheadMiB()),
                s.number("pool_reserve_gib", base.poolReserveGiB()),
                s.string("serial_log_dir", base.serialLogDir()));
    }

    /** The inventory password from the environment variable the config names; empty if none. */
    public String inventoryPassword() {
        if (inventoryPasswordEnv.isEmpty()) {
            return "";
        }
        String value = System.getenv(inventoryPasswordEnv);
        if (value == null) {
            throw new InvalidInputException("the inventory password variable " + inventoryPasswordEnv
                    + " named in the config is not set; export it first");
        }
        return value;
    }
}
