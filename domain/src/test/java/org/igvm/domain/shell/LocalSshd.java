package org.igvm.domain.shell;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * A real OpenSSH {@code sshd} for tests: run as root on 127.0.0.1 at a free port with its own host
 * key and authorized_keys, stopped by its PID. Also makes the client keys the tests log in with.
 */
public final class LocalSshd implements AutoCloseable {
    /**
     * The non-root login user, one per test JVM so that test runs in parallel (other checkouts on
     * the same machine) never share, or remove, each other's user.
     */
    public static final String SUDO_USER = "igvm-ssh-" + ProcessHandle.current().pid();

    private static final Path SUDOERS = Path.of("/etc/sudoers.d/" + SUDO_USER);

    public final Path dir;
    public final int port;
    public final Path hostKey;
    public final Path clientEd25519;
    public final Path clientRsa;
    /** A client key sshd does not know. */
    public final Path strangerKey;

    private static boolean cleanupRegistered;

    private final Process process;

    private LocalSshd(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.hostKey = dir.resolve("host_ed25519");
        this.clientEd25519 = dir.resolve("client_ed25519");
        this.clientRsa = dir.resolve("client_rsa");
        this.strangerKey = dir.resolve("stranger_ed25519");
    }

    /** Whether this machine can run the fixture: root and an sshd binary. */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/sshd"));
    }

    public static LocalSshd start() throws Exception {
        Path dir = Files.createTempDirectory("igvm-sshd");
        // The login user reads authorized_keys as itself: the directory must be open to it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        keygen(dir.resolve("host_ed25519"), "ed25519");
        keygen(dir.resolve("client_ed25519"), "ed25519");
        keygen(dir.resolve("client_rsa"), "rsa");
        keygen(dir.resolve("stranger_ed25519"), "ed25519");
        Files.writeString(
                dir.resolve("authorized_keys"),
                Files.readString(dir.resolve("client_ed25519.pub")) + Files.readString(dir.resolve("client_rsa.pub")));
        Files.setPosixFilePermissions(dir.resolve("authorized_keys"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectories(Path.of("/run/sshd"));
        for (int attempt = 0; ; attempt++) {
            int port = freePort();
            Path config = dir.resolve("sshd_config");
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "Port " + port,
                            "ListenAddress 127.0.0.1",
                            "HostKey " + dir.resolve("host_ed25519"),
                            "PidFile " + dir.resolve("sshd.pid"),
                            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                            "StrictModes no",
                            "UsePAM no",
                            "PermitRootLogin prohibit-password",
                            "PasswordAuthentication no",
                            "KbdInteractiveAuthentication no",
                            "Subsystem sftp internal-sftp",
                            "LogLevel ERROR",
                            ""));
            Process p = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sshd.log").toFile())
                    .start();
            LocalSshd sshd = new LocalSshd(dir, port, p);
            boolean up = waitFor(Duration.ofSeconds(10), () -> !p.isAlive() || listening(port));
            if (up && p.isAlive()) {
                return sshd;
            }
            sshd.close();
            if (attempt >= 3) {
                throw new IllegalStateException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
            }
        }
    }

    /** The listener's PID. */
    public long pid() {
        return process.pid();
    }

    /** The sshd processes serving one connection each (children of the listener). */
    public Set<Long> sessionProcesses() {
        return process.toHandle().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** Kills one process by PID, as a network failure would end the connection it serves. */
    public static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** {@code [127.0.0.1]:port ssh-ed25519 …} for this sshd's host key. */
    public String knownHostsLine() throws IOException {
        return knownHostsLine(hostKey.resolveSibling("host_ed25519.pub"));
    }

    public String knownHostsLine(Path publicKey) throws IOException {
        String[] parts = Files.readString(publicKey).trim().split("\\s+");
        return "[127.0.0.1]:" + port + " " + parts[0] + " " + parts[1] + "\n";
    }

    /** The host key's fingerprint as {@code ssh-keygen -l} prints it ({@code SHA256:…}). */
    public String hostKeyFingerprint() throws Exception {
        String out = run(
                "ssh-keygen",
                "-l",
                "-E",
                "sha256",
                "-f",
                dir.resolve("host_ed25519.pub").toString());
        return out.split("\\s+")[1];
    }

    /** An OpenSSH client config that sends 127.0.0.1 to this sshd's port. */
    public Path clientConfig() throws IOException {
        Path file = dir.resolve("ssh_config");
        Files.writeString(file, "Host 127.0.0.1 localhost-sshd\n    HostName 127.0.0.1\n    Port " + port + "\n");
        return file;
    }

    /**
     * Skips the calling test when {@code sudo} is not installed, or fails it when {@code CI=true}
     * (where scripts/test has installed sudo, so its absence is a broken machine, not a choice).
     */
    public static void assumeSudoInstalled() {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/sudo")) && Files.isDirectory(SUDOERS.getParent());
        String why = "sudo is not installed (no /usr/bin/sudo or /etc/sudoers.d): install it (apt-get install sudo, "
                + "as scripts/test does) to test the SSH shell's sudo path";
        if ("true".equals(System.getenv("CI"))) {
            if (!installed) {
                throw new AssertionError(why + "; CI=true requires it");
            }
            return;
        }
        Assumptions.assumeTrue(installed, why);
    }

    /**
     * Creates the non-root login user with password-less sudo (needs root); undo with {@link
     * #removeSudoUser}, which also runs when the JVM exits so that a failed or killed test run
     * leaves neither the user nor the sudoers drop-in behind.
     */
    public static void createSudoUser() throws Exception {
        synchronized (LocalSshd.class) {
            if (!cleanupRegistered) {
                Runtime.getRuntime().addShutdownHook(new Thread(LocalSshd::removeSudoUserQuietly, "remove-sudo-user"));
                cleanupRegistered = true;
            }
        }
        if (new ProcessBuilder("id", SUDO_USER).start().waitFor() != 0) {
            run("useradd", "-m", "-s", "/bin/sh", SUDO_USER);
        }
        run("usermod", "-p", "*", SUDO_USER); // not locked, still no password: key login only
        Files.writeString(SUDOERS, SUDO_USER + " ALL=(ALL) NOPASSWD: ALL\n");
        Files.setPosixFilePermissions(SUDOERS, PosixFilePermissions.fromString("r--r-----"));
    }

    /** Removes the sudoers drop-in and the login user with its home; nothing to do when absent. */
    public static void removeSudoUser() throws Exception {
        Files.deleteIfExists(SUDOERS);
        if (new ProcessBuilder("id", SUDO_USER).start().waitFor() == 0) {
            // -f: the user's last sshd session may still be closing
            run("userdel", "-f", "-r", SUDO_USER);
        }
    }

    /** Whether the login user or its sudoers drop-in exist (for tests of the cleanup). */
    public static boolean sudoUserExists() throws Exception {
        return Files.exists(SUDOERS)
                || new ProcessBuilder("id", SUDO_USER).start().waitFor() == 0;
    }

    private static void removeSudoUserQuietly() {
        try {
            removeSudoUser();
        } catch (Exception e) {
            System.err.println("could not remove the test user " + SUDO_USER + ": " + e.getMessage());
        }
    }

    /** Waits for the condition until the deadline, polling; never a bare sleep. */
    public static boolean waitFor(Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return condition.getAsBoolean();
    }

    @Override
    public void close() throws Exception {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void keygen(Path file, String type) throws Exception {
        run("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "igvm-test", "-f", file.toString());
        Files.setPosixFilePermissions(
                file.resolveSibling(file.getFileName() + ".pub"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static String run(String... command) throws Exception {
        Process p =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
