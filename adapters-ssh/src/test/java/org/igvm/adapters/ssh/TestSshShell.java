package org.igvm.adapters.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.igvm.api.UnreachableException;
import org.igvm.domain.shell.HostShellContract;
import org.igvm.domain.shell.LocalSshd;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.RunningCommand;
import org.igvm.domain.spi.shell.ShellCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SSH shell against a real OpenSSH sshd on 127.0.0.1, logged in as root so the files it writes
 * are this machine's: the shell contract plus what only SSH has (host keys, logins, sudo, dropped
 * connections, the pool).
 */
class TestSshShell extends HostShellContract {
    private static LocalSshd sshd;
    private static SshShellPort port;
    private static Path knownHosts;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = LocalSshd.start();
        knownHosts = sshd.dir.resolve("known_hosts");
        Files.writeString(knownHosts, sshd.knownHostsLine());
        port = noAgent(config("root", sshd.clientEd25519));
    }

    @AfterAll
    static void stopSshd() throws Exception {
        try {
            if (port != null) {
                port.close();
            }
            if (sshd != null) {
                sshd.close();
            }
        } finally {
            LocalSshd.removeSudoUser(); // also when a sudo test failed half-way
        }
        assertThat(LocalSshd.sudoUserExists())
                .as("the test user and its sudoers drop-in are gone")
                .isFalse();
    }

    static SshConfig config(String user, Path key) throws Exception {
        return new SshConfig(
                user,
                List.of(key),
                Optional.of(knownHosts),
                HostKeyChecking.STRICT,
                sshd.clientConfig(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                true);
    }

    /** A port that ignores any ssh-agent of the environment running the tests. */
    static SshShellPort noAgent(SshConfig config) {
        return new SshShellPort(config, Optional.empty());
    }

    @Test
    void logsInWithKeysHeldByAnSshAgent() throws Exception {
        Path socket = sshd.dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(sshd.dir.resolve("agent.log").toFile())
                .start();
        try {
            assertThat(LocalSshd.waitFor(Duration.ofSeconds(10), () -> Files.exists(socket)))
                    .isTrue();
            for (Path key : List.of(sshd.clientRsa, sshd.clientEd25519)) {
                ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
                add.environment().put("SSH_AUTH_SOCK", socket.toString());
                Process p = add.start();
                p.getInputStream().readAllBytes();
                assertThat(p.waitFor()).isZero();
                // Only the agent holds a key sshd knows: the file offered is a stranger's.
                try (SshShellPort withAgent = new SshShellPort(config("root", sshd.strangerKey), Optional.of(socket))) {
                    assertThat(withAgent.open("127.0.0.1").check(ShellCommand.of("id", "-un")))
                            .isEqualTo("root\n");
                }
                ProcessBuilder clear = new ProcessBuilder("ssh-add", "-D").redirectErrorStream(true);
                clear.environment().put("SSH_AUTH_SOCK", socket.toString());
                Process c = clear.start();
                c.getInputStream().readAllBytes();
                assertThat(c.waitFor()).isZero();
            }
        } finally {
            LocalSshd.kill(agent.pid());
            agent.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    protected HostShell shell() {
        return port.open("127.0.0.1");
    }

    @Test
    void logsInWithAnRsaKeyToo() throws Exception {
        try (SshShellPort rsa = noAgent(config("root", sshd.clientRsa))) {
            assertThat(rsa.open("127.0.0.1").check(ShellCommand.of("id", "-un")))
                    .isEqualTo("root\n");
        }
    }

    @Test
    void userComesFromTheClientConfigWhenNotConfigured() throws Exception {
        Path clientConfig = sshd.dir.resolve("ssh_config_user");
        Files.writeString(clientConfig, "Host db-admin\n  HostName 127.0.0.1\n  Port " + sshd.port + "\n  User root\n");
        Files.writeString(knownHosts, sshd.knownHostsLine());
        SshConfig c = config("", sshd.clientEd25519).withClientConfig(clientConfig);
        try (SshShellPort p = noAgent(c)) {
            HostShell s = p.open("db-admin");
            assertThat(s.host()).isEqualTo("db-admin");
            assertThat(s.check(ShellCommand.of("id", "-un"))).isEqualTo("root\n");
        }
    }

    @Test
    void unknownKeyLoginIsOneClearLine() throws Exception {
        try (SshShellPort stranger = noAgent(config("root", sshd.strangerKey))) {
            assertThatThrownBy(() -> stranger.open("127.0.0.1"))
                    .isInstanceOf(UnreachableException.class)
                    .hasMessageContaining("cannot reach 127.0.0.1")
                    .hasMessageContaining("login as root refused")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void unknownHostKeyIsRefusedShowingItsFingerprint() throws Exception {
        Path empty = sshd.dir.resolve("known_hosts_empty");
        Files.writeString(empty, "");
        SshConfig c = config("root", sshd.clientEd25519).withKnownHosts(empty, HostKeyChecking.STRICT);
        try (SshShellPort strict = noAgent(c)) {
            assertThatThrownBy(() -> strict.open("127.0.0.1"))
                    .isInstanceOf(UnreachableException.class)
                    .hasMessageContaining("[127.0.0.1]:" + sshd.port)
                    .hasMessageContaining("unknown")
                    .hasMessageContaining(sshd.hostKeyFingerprint())
                    .hasMessageNotContaining("\n");
        }
        assertThat(Files.readString(empty))
                .as("strict checking records nothing")
                .isEmpty();
    }

    @Test
    void pinnedHostKeysAreTrustedWithoutKnownHostsAndOthersRefused() throws Exception {
        Path empty = sshd.dir.resolve("known_hosts_pinned");
        Files.writeString(empty, "");
        SshConfig c = config("root", sshd.clientEd25519).withKnownHosts(empty, HostKeyChecking.STRICT);
        String hostKey = Files.readString(sshd.hostKey.resolveSibling("host_ed25519.pub"))
                .strip();
        String stranger = Files.readString(sshd.strangerKey.resolveSibling("stranger_ed25519.pub"))
                .strip();
        try (SshShellPort port = noAgent(c)) {
            try (HostShell pinned = port.open("127.0.0.1", List.of(stranger, hostKey))) {
                assertThat(pinned.check(ShellCommand.of("echo", "ok"))).isEqualTo("ok\n");
            }
            assertThatThrownBy(() -> port.open("127.0.0.1", List.of(stranger)))
                    .isInstanceOf(UnreachableException.class)
                    .hasMessageContaining("is not one of the 1 keys igvm expects there")
                    .hasMessageContaining(sshd.hostKeyFingerprint())
                    .hasMessageNotContaining("\n");
            // known_hosts still rules the unpinned shells
            assertThatThrownBy(() -> port.open("127.0.0.1")).isInstanceOf(UnreachableException.class);
        }
        assertThat(Files.readString(empty)).as("pinning records nothing").isEmpty();
    }

    @Test
    void changedHostKeyIsRefusedEvenWithAcceptNew() throws Exception {
        Path other = sshd.dir.resolve("known_hosts_changed");
        Files.writeString(other, sshd.knownHostsLine(sshd.strangerKey.resolveSibling("stranger_ed25519.pub")));
        SshConfig c = config("root", sshd.clientEd25519).withKnownHosts(other, HostKeyChecking.ACCEPT_NEW);
        try (SshShellPort changed = noAgent(c)) {
            assertThatThrownBy(() -> changed.open("127.0.0.1"))
                    .isInstanceOf(UnreachableException.class)
                    .hasMessageContaining("[127.0.0.1]:" + sshd.port)
                    .hasMessageContaining("CHANGED")
                    .hasMessageContaining(sshd.hostKeyFingerprint());
        }
    }

    @Test
    void acceptNewRecordsAFirstSeenKeyThatStrictThenAccepts() throws Exception {
        Path fresh = sshd.dir.resolve("known_hosts_fresh");
        Files.deleteIfExists(fresh);
        SshConfig c = config("root", sshd.clientEd25519).withKnownHosts(fresh, HostKeyChecking.ACCEPT_NEW);
        try (SshShellPort acceptNew = noAgent(c)) {
            assertThat(acceptNew.open("127.0.0.1").check(ShellCommand.of("echo", "ok")))
                    .isEqualTo("ok\n");
        }
        assertThat(Files.readString(fresh)).isEqualTo(sshd.knownHostsLine());
        try (SshShellPort strict = noAgent(c.withKnownHosts(fresh, HostKeyChecking.STRICT))) {
            assertThat(strict.open("127.0.0.1").check(ShellCommand.of("echo", "ok")))
                    .isEqualTo("ok\n");
        }
    }

    @Test
    void refusedConnectionIsOneClearLine() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Path clientConfig = sshd.dir.resolve("ssh_config_closed");
        Files.writeString(clientConfig, "Host closed-port\n  HostName 127.0.0.1\n  Port " + closedPort + "\n");
        try (SshShellPort p = noAgent(config("root", sshd.clientEd25519).withClientConfig(clientConfig))) {
            assertThatThrownBy(() -> p.open("closed-port"))
                    .isInstanceOf(UnreachableException.class)
                    .hasMessage("cannot reach closed-port over SSH (root@127.0.0.1:" + closedPort
                            + "): connection refused on port " + closedPort);
        }
    }

    @Test
    void silentHostFailsWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path clientConfig = sshd.dir.resolve("ssh_config_silent");
            Files.writeString(
                    clientConfig, "Host silent\n  HostName 127.0.0.1\n  Port " + silent.getLocalPort() + "\n");
            SshConfig c = new SshConfig(
                    "root",
                    List.of(sshd.clientEd25519),
                    Optional.of(knownHosts),
                    HostKeyChecking.STRICT,
                    clientConfig,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(30),
                    true);
            try (SshShellPort p = noAgent(c)) {
                assertThatThrownBy(() -> p.open("silent"))
                        .isInstanceOf(UnreachableException.class)
                        .hasMessageContaining("cannot reach silent")
                        .hasMessageContaining("within 1 s");
            }
        }
    }

    @Test
    void sudoRunsRootOnlyCommandsForANonRootLogin() throws Exception {
        LocalSshd.assumeSudoInstalled();
        Path rootOnly = Files.createTempDirectory(Path.of("/root"), "igvm-sudo");
        try {
            LocalSshd.createSudoUser();
            sudoRunsRootOnlyCommands(rootOnly);
        } finally {
            LocalSshd.removeSudoUser();
            try (var files = Files.list(rootOnly)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(rootOnly);
        }
        assertThat(LocalSshd.sudoUserExists())
                .as("the test removed its user and sudoers drop-in")
                .isFalse();
    }

    private void sudoRunsRootOnlyCommands(Path rootOnly) throws Exception {
        try (SshShellPort withSudo = noAgent(config(LocalSshd.SUDO_USER, sshd.clientEd25519));
                SshShellPort without =
                        noAgent(config(LocalSshd.SUDO_USER, sshd.clientEd25519).withUser(LocalSshd.SUDO_USER, false))) {
            HostShell plain = without.open("127.0.0.1");
            assertThat(plain.check(ShellCommand.of("id", "-un"))).isEqualTo(LocalSshd.SUDO_USER + "\n");
            assertThat(plain.run(ShellCommand.of("cat", "/etc/shadow")).succeeded())
                    .isFalse();

            HostShell sudo = withSudo.open("127.0.0.1");
            assertThat(sudo.check(ShellCommand.of("id", "-un"))).isEqualTo("root\n");
            assertThat(sudo.check(ShellCommand.of("cat", "/etc/shadow"))).contains("root:");

            Path target = rootOnly.resolve("it's root's.conf");
            byte[] content = "only root\n".getBytes(StandardCharsets.UTF_8);
            sudo.put(content, target.toString(), 0640);
            assertThat(Files.readAllBytes(target)).isEqualTo(content);
            assertThat(Files.getOwner(target).getName()).isEqualTo("root");
            assertThat(Files.getPosixFilePermissions(target))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
            assertThat(sudo.get(target.toString())).isEqualTo(content);
            assertThatThrownBy(() -> plain.get(target.toString())).hasMessageContaining(target.toString());
            try (var files = Files.list(rootOnly)) {
                assertThat(files).containsExactly(target);
            }
        }
    }

    @Test
    void aCommandNotMarkedIdempotentIsNotRunAgainWhenItsConnectionDrops() throws Exception {
        Path started = dir.resolve("started");
        ShellCommand append = ShellCommand.format("echo x >> {}; sleep 1; echo finished", started);
        Set<Long> before = sshd.sessionProcesses();
        try (SshShellPort p = noAgent(config("root", sshd.clientEd25519))) {
            HostShell s = p.open("127.0.0.1");
            CompletableFuture<CommandResult> running = dropConnectionWhileRunning(s, before, append, started);

            assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(UnreachableException.class)
                    .hasMessage("connection to 127.0.0.1 dropped during " + append + "; its effect is unknown");
            assertThat(Files.readAllLines(started)).as("ran once, not again").hasSize(1);
            assertThat(s.check(ShellCommand.of("echo", "still"))).isEqualTo("still\n");
            assertThat(Files.readAllLines(started)).hasSize(1);
        }
    }

    @Test
    void anIdempotentCommandRunsOnceMoreOnANewConnectionWhenItsConnectionDrops() throws Exception {
        Path started = dir.resolve("started");
        Set<Long> before = sshd.sessionProcesses();
        try (SshShellPort p = noAgent(config("root", sshd.clientEd25519))) {
            HostShell s = p.open("127.0.0.1");
            CompletableFuture<CommandResult> running = dropConnectionWhileRunning(
                    s,
                    before,
                    ShellCommand.format("echo x >> {}; sleep 1; echo finished", started)
                            .idempotent(),
                    started);

            CommandResult r = running.get(30, TimeUnit.SECONDS);
            assertThat(r.stdout()).isEqualTo("finished\n");
            assertThat(Files.readAllLines(started))
                    .as("ran again after the drop")
                    .hasSize(2);
            assertThat(p.connectionsOpened("127.0.0.1")).isEqualTo(2);
            assertThat(s.check(ShellCommand.of("echo", "still"))).isEqualTo("still\n");
        }
    }

    /** Runs the command, and kills the sshd process serving its connection once it has started. */
    private CompletableFuture<CommandResult> dropConnectionWhileRunning(
            HostShell s, Set<Long> before, ShellCommand command, Path started) throws Exception {
        Set<Long> ours = new HashSet<>(sshd.sessionProcesses());
        ours.removeAll(before);
        CompletableFuture<CommandResult> running = CompletableFuture.supplyAsync(() -> s.run(command));
        assertThat(LocalSshd.waitFor(Duration.ofSeconds(10), () -> Files.exists(started)))
                .isTrue();
        assertThat(ours).hasSize(1);
        LocalSshd.kill(ours.iterator().next());
        return running;
    }

    @Test
    void killEndsTheRemoteCommandForALoginThroughSudo() throws Exception {
        LocalSshd.assumeSudoInstalled();
        Path pids = dir.resolve("pids");
        LocalSshd.createSudoUser();
        try (SshShellPort withSudo = noAgent(config(LocalSshd.SUDO_USER, sshd.clientEd25519))) {
            HostShell s = withSudo.open("127.0.0.1");
            RunningCommand running = s.start(
                    ShellCommand.format("id -un > {}.user; sleep 60 & echo $! > {}; wait", pids, pids),
                    OutputSink.discard(),
                    OutputSink.discard());
            assertThat(LocalSshd.waitFor(Duration.ofSeconds(10), () -> lines(pids) == 1))
                    .isTrue();
            long sleep = Long.parseLong(Files.readAllLines(pids).get(0));
            assertThat(Files.readString(Path.of(pids + ".user"))).isEqualTo("root\n");

            running.kill();

            assertThat(running.exitStatus()).isPresent();
            assertThat(LocalSshd.waitFor(Duration.ofSeconds(10), () -> processGone(sleep)))
                    .isTrue();
            running.close();
        } finally {
            LocalSshd.removeSudoUser();
        }
    }

    private static int lines(Path file) {
        try {
            return Files.readAllLines(file).size();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void twentyConcurrentCommandsShareAFewConnections() throws Exception {
        try (SshShellPort p = noAgent(config("root", sshd.clientEd25519))) {
            HostShell s = p.open("127.0.0.1");
            ExecutorService pool = Executors.newFixedThreadPool(20);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String value = "cmd " + i;
                    results.add(pool.submit(() -> s.check(ShellCommand.format("sleep 0.3; printf %s {}", value))));
                }
                for (int i = 0; i < 20; i++) {
                    assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("cmd " + i);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(p.connectionsOpened("127.0.0.1"))
                    .isBetween(
                            1,
                            (20 + HostConnections.SESSIONS_PER_CONNECTION - 1)
                                    / HostConnections.SESSIONS_PER_CONNECTION);
        }
    }

    @Test
    void closingThePortClosesItsConnections() throws Exception {
        // Sessions of earlier tests may still be ending: only the ones this port opened count.
        Set<Long> before = sshd.sessionProcesses();
        SshShellPort p = noAgent(config("root", sshd.clientEd25519));
        p.open("127.0.0.1").check(ShellCommand.of("true"));
        Set<Long> opened = new java.util.HashSet<>(sshd.sessionProcesses());
        opened.removeAll(before);
        assertThat(opened).as("the port's own connection").isNotEmpty();
        p.close();
        assertThat(LocalSshd.waitFor(Duration.ofSeconds(10), () -> sshd.sessionProcesses().stream()
                        .noneMatch(opened::contains)))
                .as("the server side of the connection ended")
                .isTrue();
        assertThatThrownBy(() -> p.open("127.0.0.1")).isInstanceOf(IllegalStateException.class);
    }
}
