package org.igvm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.igvm.cli.IgvmCli;

/**
 * The lab as the tests see it: its files, igvm's CLI in-process, and independent witnesses of real
 * effects (virsh against each hypervisor's libvirtd, ssh into guests with strict host keys, the
 * pool's files). Everything here runs inside the lab's controller namespace {@code ctl}.
 */
final class Lab {
    static final Duration SSH_DEADLINE = Duration.ofSeconds(150);
    static final Duration STATE_DEADLINE = Duration.ofSeconds(90);

    final Path repo;
    final Path state;
    final Path config;
    final Path sshDir;

    Lab() {
        repo = Path.of(System.getProperty("igvm.repo", "..")).toAbsolutePath().normalize();
        state = repo.resolve("lab/state");
        config = state.resolve("igvm.yaml");
        sshDir = state.resolve("ssh");
    }

    /** Fails unless the lab is up and this JVM runs in its controller namespace. */
    void requireUpAndInCtl() {
        assertThat(state.resolve("run/up.done"))
                .as("the lab is up (lab/igvm-lab up)")
                .exists();
        assertThat(config).exists();
        try {
            String self = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
            Object ctlInode = Files.getAttribute(Path.of("/run/netns/ctl"), "unix:ino");
            assertThat(self)
                    .as("the e2e tests run inside the lab's controller namespace: ip netns exec ctl mvn ...")
                    .isEqualTo("net:[" + ctlInode + "]");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts the lab back into the sample state of {@code igvm-lab up} (no domains, vm1.lab's disk
     * made anew on hv1, a fresh inventory), so every test class starts from the same lab whatever
     * ran before it.
     */
    void resetToSample() {
        Proc reset = run(Duration.ofMinutes(3), repo.resolve("lab/igvm-lab").toString(), "reset");
        assertThat(reset.exit())
                .as("lab/igvm-lab reset: %s%s", reset.out(), reset.err())
                .isZero();
    }

    /** Until the lab's puppetserver answers ({@code lab/igvm-lab wait-puppet}): builds need it. */
    void waitPuppet() {
        Proc wait = run(Duration.ofMinutes(6), repo.resolve("lab/igvm-lab").toString(), "wait-puppet");
        assertThat(wait.exit())
                .as("lab/igvm-lab wait-puppet: %s%s", wait.out(), wait.err())
                .isZero();
    }

    static String uri(String hypervisor) {
        // hvN.lab -> 10.200.0.N, as lab/igvm-lab sets it up
        return "qemu+tcp://" + hypervisor + "/system";
    }

    /** A pool volume's file as seen from this mount namespace. */
    Path volumeFile(String hv, String volume) {
        return state.resolve(hv.replace(".lab", "")).resolve("xen-data").resolve(volume);
    }

    Path serialLog(String hv, String domain) {
        return state.resolve(hv.replace(".lab", "")).resolve("log/qemu").resolve(domain + ".serial.log");
    }

    // ------------------------------------------------------------------ igvm
    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** igvm's command line, in-process, exactly as {@code bin/igvm --config lab/state/igvm.yaml ARGS}. */
    Result igvm(String... args) {
        return igvmWith(config, args);
    }

    /** igvm's command line, in-process, with another config file (e.g. the lab's plus plugin dirs). */
    Result igvmWith(Path configFile, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("--config", configFile.toString()));
        all.addAll(List.of(args));
        int exit;
        try (PrintWriter o = new PrintWriter(out);
                PrintWriter e = new PrintWriter(err)) {
            exit = new IgvmCli(o, e, false).execute(all.toArray(String[]::new));
        }
        return new Result(exit, out.toString(), err.toString());
    }

    Result igvmOk(String... args) {
        Result r = igvm(args);
        assertThat(r.exit()).as("igvm %s\n%s", String.join(" ", args), r).isZero();
        return r;
    }

    /**
     * Removes a VM a build made and makes it buildable again, as the fleet file has it: powered
     * off, its domain and volume deleted with {@code delete --retire} (a plain delete removes the
     * object), back to state online without SSHFP records, its certificate cleaned on the lab's CA.
     */
    void unbuild(String vm) {
        igvm("stop", "--force", vm);
        igvmOk("delete", "--retire", vm);
        igvmOk("inventory", "set", vm, "state=online", "sshfp=");
        igvmOk("clean-cert", vm, "--ca", "puppet.lab");
    }

    /** The object's attributes from {@code igvm inventory show --json}; empty when it does not exist. */
    Optional<Map<String, String>> inventory(String hostname) {
        Result r = igvm("inventory", "show", hostname, "--json");
        if (r.exit() == 3) {
            return Optional.empty();
        }
        assertThat(r.exit()).as("inventory show %s\n%s", hostname, r).isZero();
        return Optional.of(flatJson(r.out().strip()));
    }

    /** A flat JSON object (values: strings, numbers, null, arrays of strings) as text values. */
    static Map<String, String> flatJson(String json) {
        Map<String, String> values = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"([^\"]+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|\\[[^\\]]*\\]|[^,}]+)")
                .matcher(json);
        while (m.find()) {
            values.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return values;
    }

    // ------------------------------------------------------------------ witnesses
    record Proc(int exit, String out, String err) {}

    static Proc run(Duration timeout, String... command) {
        try {
            Path out = Files.createTempFile("igvm-e2e", ".out");
            Path err = Files.createTempFile("igvm-e2e", ".err");
            try {
                Process p = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(
                                Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor();
                    return new Proc(
                            -1, Files.readString(out), "timed out after " + timeout + ": " + Files.readString(err));
                }
                return new Proc(
                        p.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Proc virsh(String hypervisor, String... args) {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", uri(hypervisor)));
        cmd.addAll(List.of(args));
        return run(Duration.ofSeconds(30), cmd.toArray(String[]::new));
    }

    /** {@code virsh domstate}: "running", "shut off", …; empty when the domain does not exist. */
    static Optional<String> domstate(String hypervisor, String domain) {
        Proc p = virsh(hypervisor, "domstate", domain);
        if (p.exit() != 0) {
            assertThat(p.err())
                    .as("virsh domstate %s on %s", domain, hypervisor)
                    .contains("failed to get domain");
            return Optional.empty();
        }
        return Optional.of(p.out().strip());
    }

    void awaitDomstate(String hypervisor, String domain, String expected) {
        await(domain + " on " + hypervisor + " is " + expected, STATE_DEADLINE, () -> domstate(hypervisor, domain)
                .filter(expected::equals));
    }

    /** Runs a command in a guest: root, the lab key, strict host key checking, lab known_hosts. */
    Proc ssh(String host, String command) {
        return sshAs(host, host, command);
    }

    /**
     * Runs a command in a guest reached at {@code address} whose host key known_hosts lists under
     * {@code alias} (a guest that changed its address keeps its key).
     */
    Proc sshAs(String address, String alias, String command) {
        return sshAs(address, alias, command, Duration.ofSeconds(20), Duration.ofSeconds(3));
    }

    /**
     * A guest login with its own deadlines: {@code connect} for the TCP connection and SSH's banner
     * exchange, {@code timeout} for all of it (a VM nested in an emulated host takes seconds to fork
     * its SSH server's child).
     */
    Proc ssh(String host, String command, Duration timeout, Duration connect) {
        return sshAs(host, host, command, timeout, connect);
    }

    private Proc sshAs(String address, String alias, String command, Duration timeout, Duration connect) {
        return run(
                timeout,
                "ssh",
                "-F",
                "/dev/null",
                "-i",
                sshDir.resolve("id_ed25519").toString(),
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + sshDir.resolve("known_hosts"),
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "BatchMode=yes",
                "-o",
                "ConnectTimeout=" + connect.toSeconds(),
                "-o",
                "HostKeyAlias=" + alias,
                "root@" + address,
                command);
    }

    /** Polls until the guest answers SSH; returns the command's output. */
    String awaitSsh(String host, String command) {
        return awaitSshAs(host, host, command);
    }

    /** Polls until the guest answers SSH at {@code address} with the host key of {@code alias}. */
    String awaitSshAs(String address, String alias, String command) {
        return await(address + " answers SSH", SSH_DEADLINE, () -> {
            Proc p = sshAs(address, alias, command);
            return p.exit() == 0 ? Optional.of(p.out().strip()) : Optional.empty();
        });
    }

    /** Polls {@code probe} every half second until it yields a value or the deadline passes. */
    static <T> T await(String what, Duration deadline, Supplier<Optional<T>> probe) {
        Instant end = Instant.now().plus(deadline);
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("timed out after " + deadline.toSeconds() + " s waiting until " + what);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, e);
            }
        }
    }
}
