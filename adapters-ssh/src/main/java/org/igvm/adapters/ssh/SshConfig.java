package org.igvm.adapters.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How igvm logs in over SSH.
 *
 * @param user the login user; empty means {@code IGVM_SSH_USER} (resolved by the caller), then the
 *     client config file's {@code User} for the host, then the local user
 * @param identityFiles private keys to offer; empty means OpenSSH's default files in {@code ~/.ssh}
 * @param knownHosts a known_hosts file read in addition to {@code ~/.ssh/known_hosts}; with
 *     accept-new, first-seen keys are recorded here (else in {@code ~/.ssh/known_hosts})
 * @param hostKeyChecking strict or accept-new
 * @param clientConfig OpenSSH client config ({@code ~/.ssh/config}) read for {@code HostName},
 *     {@code Port}, {@code User} and {@code IdentityFile}
 * @param connectTimeout how long connecting may take
 * @param commandTimeout how long a command may run unless the caller says otherwise
 * @param sudo run commands through {@code sudo -n} when the login user is not root
 */
public record SshConfig(
        String user,
        List<Path> identityFiles,
        Optional<Path> knownHosts,
        HostKeyChecking hostKeyChecking,
        Path clientConfig,
        Duration connectTimeout,
        Duration commandTimeout,
        boolean sudo) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    public SshConfig {
        identityFiles = List.copyOf(identityFiles);
    }

    public static Path sshDirectory() {
        return Path.of(System.getProperty("user.home"), ".ssh");
    }

    /** Strict checking, default keys, 5 s connect timeout. */
    public static SshConfig defaults(String user, Duration commandTimeout) {
        return new SshConfig(
                user,
                List.of(),
                Optional.empty(),
                HostKeyChecking.STRICT,
                sshDirectory().resolve("config"),
                DEFAULT_CONNECT_TIMEOUT,
                commandTimeout,
                true);
    }

    public SshConfig withKnownHosts(Path file, HostKeyChecking checking) {
        return new SshConfig(
                user, identityFiles, Optional.of(file), checking, clientConfig, connectTimeout, commandTimeout, sudo);
    }

    public SshConfig withIdentityFiles(List<Path> files) {
        return new SshConfig(
                user, files, knownHosts, hostKeyChecking, clientConfig, connectTimeout, commandTimeout, sudo);
    }

    public SshConfig withClientConfig(Path file) {
        return new SshConfig(
                user, identityFiles, knownHosts, hostKeyChecking, file, connectTimeout, commandTimeout, sudo);
    }

    public SshConfig withUser(String login, boolean useSudo) {
        return new SshConfig(
                login,
                identityFiles,
                knownHosts,
                hostKeyChecking,
                clientConfig,
                connectTimeout,
                commandTimeout,
                useSudo);
    }

    /** The known_hosts files checked, in order: the user's, then the configured one. */
    public List<Path> knownHostsFiles() {
        Path own = sshDirectory().resolve("known_hosts");
        return knownHosts.filter(k -> !k.equals(own)).map(k -> List.of(own, k)).orElse(List.of(own));
    }

    /** Where first-seen keys are written with accept-new. */
    public Path knownHostsToRecordIn() {
        return knownHosts.orElse(sshDirectory().resolve("known_hosts"));
    }
}
