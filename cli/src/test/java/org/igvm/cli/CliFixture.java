package org.igvm.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A config over a fresh SQLite inventory holding the example fleet, with the example hypervisors
 * on libvirt's test driver, and a way to run igvm command lines against it in-process.
 */
final class CliFixture {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    final Path config;

    CliFixture(Path dir) throws Exception {
        config = dir.resolve("config.yaml");
        Files.writeString(
                config,
                """
                inventory:
                  url: "jdbc:sqlite:%s"
                libvirt:
                  hypervisors:
                    hv01.example.net: "test://%s"
                    hv02.example.net: "qemu+tcp://127.0.0.1:1/system"
                site:
                  shutdown_timeout_seconds: 5
                  guest_logins: false
                ssh:
                  config_file: "%s"
                  known_hosts: "%s"
                  connect_timeout_seconds: 2
                """
                        .formatted(
                                dir.resolve("inventory.db"),
                                EXAMPLES.resolve("testdriver/hv01.xml"),
                                loopbackOnlySshConfig(dir),
                                dir.resolve("known_hosts")));
        Run imported = run("inventory", "import", EXAMPLES.resolve("fleet.yaml").toString());
        if (imported.exitCode() != 0) {
            throw new IllegalStateException("fixture import failed: " + imported.err());
        }
    }

    /** Sends every SSH host to a closed port on 127.0.0.1: a test never reaches past loopback. */
    private static Path loopbackOnlySshConfig(Path dir) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path file = dir.resolve("ssh_config");
        Files.writeString(file, "Host *\n    HostName 127.0.0.1\n    Port " + closed + "\n");
        return file;
    }

    /** One command line, as `igvm --config FILE ARGS...`. */
    Run run(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--config";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return runRaw(full);
    }

    static Run runRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new IgvmCli(new PrintWriter(out), new PrintWriter(err), false).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    record Run(int exitCode, String out, String err) {}
}
