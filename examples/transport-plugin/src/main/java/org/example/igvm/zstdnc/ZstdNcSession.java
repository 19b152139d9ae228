package org.example.igvm.zstdnc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.igvm.api.CancelledException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.RunningCommand;
import org.igvm.domain.spi.shell.ShellCommand;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVolume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One offline migration's copies, one per volume:
 *
 * <ul>
 *   <li>{@link #prepare()} checks the tools and the volumes on both sides and starts a listener per
 *       volume on the target ({@code nc -l TARGET PORT | zstd -d | tee >(sha256sum) | dd
 *       conv=sparse,fsync}), on the first free port from {@code port_base};
 *   <li>{@link #transfer()} does nothing: a running VM's disk cannot be copied consistently;
 *   <li>{@link #switchOver()} (the VM is off) sends each volume ({@code dd | tee >(sha256sum) | zstd
 *       | nc -N TARGET PORT}), reporting dd's progress;
 *   <li>{@link #finish()} waits for the listeners and compares the checksums and every stage's exit
 *       status;
 *   <li>{@link #abort()} kills the listeners and senders (their whole process groups). The target
 *       volumes belong to the migrate flow, which deletes them on rollback, so nothing is registered
 *       with the undo registry.
 * </ul>
 *
 * <p>Each pipeline stage reports its exit status as a line {@code igvm-STAGE N} on stdout, so a
 * failure anywhere is seen even where the shell (dash has no {@code pipefail}) would hide it.
 */
final class ZstdNcSession implements TransportSession {
    private static final Logger log = LoggerFactory.getLogger(ZstdNcSession.class);
    private static final List<String> TOOLS = List.of("nc", "zstd", "dd", "tee", "sha256sum", "ss");
    private static final Pattern DD_BYTES = Pattern.compile("^(\\d+) bytes");
    private static final Pattern STATUS = Pattern.compile("^igvm-(\\w+) (\\d+)$");
    private static final Pattern SUM = Pattern.compile("^([0-9a-f]{64})\\s+-$");
    private static final Duration POLL = Duration.ofMillis(100);

    private final TransportContext context;
    private final ZstdNcSettings settings;
    private final List<Copy> copies = new ArrayList<>();
    private boolean finished;
    private boolean aborted;
    private boolean closed;

    /** One volume's copy: its port, listener and sender. */
    private static final class Copy {
        final TransportVolume volume;
        int port;
        RunningCommand listener;
        RunningCommand sender;
        Output sent;

        Copy(TransportVolume volume) {
            this.volume = volume;
        }
    }

    ZstdNcSession(TransportContext context, ZstdNcSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    @Override
    public void prepare() {
        for (TransportVolume v : context.volumes()) {
            if (v.storage() != StorageKind.FILE) {
                throw new InvalidInputException(ZstdNcTransportFactory.NAME + " moves file volumes only; " + v.pool()
                        + "/" + v.name() + " is " + v.storage());
            }
        }
        requireTools(context.sourceShell());
        requireTools(context.targetShell());
        for (TransportVolume v : context.volumes()) {
            requireFile(context.sourceShell(), v.sourcePath(), "-r");
            requireFile(context.targetShell(), v.targetPath(), "-w");
        }
        for (TransportVolume v : context.volumes()) {
            context.cancellation().throwIfCancelled();
            Copy copy = new Copy(v);
            copies.add(copy);
            startListener(copy);
        }
    }

    @Override
    public void transfer() {
        // offline: nothing can be copied consistently while the VM runs
    }

    @Override
    public void switchOver() {
        long total = copies.stream().mapToLong(c -> c.volume.sizeBytes()).sum();
        long before = 0;
        for (Copy copy : copies) {
            context.cancellation().throwIfCancelled();
            send(copy, before, total);
            before += copy.volume.sizeBytes();
        }
    }

    @Override
    public void finish() {
        for (Copy copy : copies) {
            TransportVolume v = copy.volume;
            CommandResult r = copy.listener
                    .waitFor(settings.listenTimeout())
                    .orElseThrow(() -> fail(
                            copy,
                            "the listener on " + context.targetHypervisor() + " did not end "
                                    + settings.listenTimeout().toSeconds() + " s after the sender"));
            Output received = Output.parse(r.stdout());
            received.requireSuccess(this, copy, context.targetHypervisor(), r.stderr());
            if (context.verify()) {
                if (received.sum == null || !received.sum.equals(copy.sent.sum)) {
                    throw fail(copy, "checksums differ: sent sha256 " + copy.sent.sum + ", received " + received.sum);
                }
                context.progress().step("verified " + v.name() + ": sha256 " + received.sum + " on both sides");
            }
            copy.listener.close();
            copy.sender.close();
        }
        finished = true;
    }

    @Override
    public void abort() {
        if (aborted) {
            return;
        }
        aborted = true;
        for (Copy copy : copies) {
            for (RunningCommand c : new RunningCommand[] {copy.sender, copy.listener}) {
                if (c == null) {
                    continue;
                }
                try {
                    c.kill();
                    c.close();
                } catch (RuntimeException e) {
                    log.warn("zstd-nc: could not kill {} on {}: {}", c.command(), c.host(), e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!finished) {
            abort();
        }
        for (Copy copy : copies) {
            if (copy.sender != null) {
                copy.sender.close();
            }
            if (copy.listener != null) {
                copy.listener.close();
            }
        }
    }

    // ------------------------------------------------------------------ steps

    private void requireTools(HostShell shell) {
        // fixed syntax, no values: nothing to quote
        String missing = shell.check(ShellCommand.format("for t in " + String.join(" ", TOOLS)
                                + "; do command -v \"$t\" >/dev/null 2>&1 || echo \"$t\"; done")
                        .idempotent())
                .strip();
        if (!missing.isEmpty()) {
            throw new OperationFailedException(ZstdNcTransportFactory.NAME + " needs " + String.join(", ", TOOLS)
                    + " on " + shell.host() + "; missing: " + missing.replace('\n', ' '));
        }
    }

    private static void requireFile(HostShell shell, String path, String test) {
        CommandResult r =
                shell.run(ShellCommand.of("test", "-f", path, "-a", test, path).idempotent());
        if (!r.succeeded()) {
            throw new OperationFailedException(ZstdNcTransportFactory.NAME + ": " + path + " on " + shell.host()
                    + " is not a " + (test.equals("-r") ? "readable" : "writable") + " file");
        }
    }

    private boolean portBusy(int port) {
        return !context.targetShell()
                .check(ShellCommand.of("ss", "-Hltn", "sport = :" + port).idempotent())
                .isBlank();
    }

    private void startListener(Copy copy) {
        HostShell target = context.targetShell();
        for (int port = settings.portBase(); port < settings.portBase() + settings.portCount(); port++) {
            if (portBusy(port)) {
                continue;
            }
            ShellCommand listen = pipeline(List.of(
                    stage("listen", "nc -l {} {} </dev/null", context.targetHypervisor(), port),
                    stage("unpack", "zstd -d -q -c"),
                    stage("tee", "tee /dev/fd/3"),
                    stage(
                            "write",
                            "dd of={} bs={} iflag=fullblock conv=sparse,notrunc,fsync status=none",
                            copy.volume.targetPath(),
                            settings.blockSize())));
            log.debug("zstd-nc: starting on {}: {}", target.host(), listen);
            RunningCommand listener = target.start(listen, OutputSink.collect(), OutputSink.collect());
            if (awaitListening(listener, port)) {
                copy.port = port;
                copy.listener = listener;
                context.progress()
                        .step("listening on " + context.targetHypervisor() + ":" + port + " for " + copy.volume.name());
                return;
            }
            // it ended at once: another process took the port meanwhile, or it cannot run at all
            CommandResult r = listener.waitFor(Duration.ZERO).orElseThrow();
            listener.close();
            if (!r.stderr().contains("in use")) {
                throw new OperationFailedException(ZstdNcTransportFactory.NAME + ": the listener on " + target.host()
                        + ":" + port + " ended at once: " + oneLine(r.stderr()));
            }
        }
        throw new OperationFailedException(ZstdNcTransportFactory.NAME + ": no free port on "
                + context.targetHypervisor() + " in " + settings.portBase() + ".."
                + (settings.portBase() + settings.portCount() - 1));
    }

    private boolean awaitListening(RunningCommand listener, int port) {
        Instant deadline = Instant.now().plus(settings.listenTimeout());
        while (Instant.now().isBefore(deadline)) {
            if (!listener.isRunning()) {
                return false;
            }
            if (portBusy(port)) {
                return true;
            }
            sleep(listener);
        }
        listener.close();
        throw new OperationFailedException(ZstdNcTransportFactory.NAME + ": the listener on "
                + context.targetHypervisor() + ":" + port + " did not listen within "
                + settings.listenTimeout().toSeconds() + " s");
    }

    private void send(Copy copy, long before, long total) {
        TransportVolume v = copy.volume;
        List<Stage> stages = new ArrayList<>();
        stages.add(stage("read", "dd if={} bs={} status=progress", v.sourcePath(), settings.blockSize()));
        stages.add(stage("tee", "tee /dev/fd/3"));
        stages.add(stage("pack", "zstd -{} -T0 -q -c", settings.level()));
        context.bandwidthLimit().ifPresent(rate -> stages.add(stage("limit", "pv -q -L {}", rate)));
        stages.add(stage("send", "nc -N {} {} >/dev/null", context.targetHypervisor(), copy.port));
        ShellCommand command = pipeline(stages);
        Deque<String> errors = new ArrayDeque<>();
        Instant start = Instant.now();
        OutputSink progress = OutputSink.lines(line -> {
            Matcher m = DD_BYTES.matcher(line);
            if (m.find()) {
                long done = Long.parseLong(m.group(1));
                long millis = Math.max(1, Duration.between(start, Instant.now()).toMillis());
                context.progress().bytes(before + done, total, done * 1000 / millis);
            } else if (!line.isBlank() && !line.contains("records in") && !line.contains("records out")) {
                synchronized (errors) {
                    errors.addLast(line);
                    if (errors.size() > 5) {
                        errors.removeFirst();
                    }
                }
            }
        });
        context.progress()
                .step("sending " + v.name() + " to " + context.targetHypervisor() + ":" + copy.port + " (zstd -"
                        + settings.level() + ")");
        log.debug("zstd-nc: starting on {}: {}", context.sourceShell().host(), command);
        copy.sender = context.sourceShell().start(command, OutputSink.collect(), progress);
        Optional<CommandResult> result = Optional.empty();
        while (result.isEmpty()) {
            context.cancellation().throwIfCancelled();
            // interruption (cancellation) kills the sender and throws CancelledException
            result = copy.sender.waitFor(Duration.ofMillis(500));
        }
        String stderr;
        synchronized (errors) {
            stderr = String.join("; ", errors);
        }
        copy.sent = Output.parse(result.get().stdout());
        copy.sent.requireSuccess(this, copy, context.sourceHypervisor(), stderr);
    }

    // ------------------------------------------------------------------ command lines

    /**
     * A stage of a pipeline: a fixed template with {@code {}} placeholders and the values that go
     * into them, followed by its exit status on fd 4: {@code { CMD; echo "igvm-NAME $?" >&4; }}.
     */
    private record Stage(String template, List<Object> values) {}

    private static Stage stage(String name, String template, Object... values) {
        return new Stage("{ " + template + "; echo \"igvm-" + name + " $?\" >&4; }", List.of(values));
    }

    /**
     * The stages piped into each other, with fd 3 (what {@code tee /dev/fd/3} writes) going to
     * {@code sha256sum} and fd 4 (the statuses) to stdout. One {@link ShellCommand#format} call over
     * the joined templates quotes every value.
     */
    private static ShellCommand pipeline(List<Stage> stages) {
        List<String> templates = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (Stage s : stages) {
            templates.add(s.template());
            values.addAll(s.values());
        }
        String template = "{ { " + String.join(" | ", templates) + "; } 3>&1 >&4 | sha256sum; } 4>&1";
        return ShellCommand.format(template, values.toArray());
    }

    // ------------------------------------------------------------------ helpers

    /** A pipeline's stdout: {@code igvm-STAGE N} lines and the {@code sha256sum} line. */
    record Output(Map<String, Integer> statuses, String sum) {
        static Output parse(String stdout) {
            Map<String, Integer> statuses = new LinkedHashMap<>();
            String sum = null;
            for (String line : stdout.strip().split("\n")) {
                Matcher s = STATUS.matcher(line.strip());
                Matcher h = SUM.matcher(line.strip());
                if (s.matches()) {
                    statuses.put(s.group(1), Integer.parseInt(s.group(2)));
                } else if (h.matches()) {
                    sum = h.group(1);
                }
            }
            return new Output(statuses, sum);
        }

        void requireSuccess(ZstdNcSession session, Copy copy, String host, String stderr) {
            statuses.forEach((stage, status) -> {
                if (status != 0) {
                    throw session.fail(
                            copy, "stage '" + stage + "' exited " + status + " on " + host + ": " + oneLine(stderr));
                }
            });
            if (statuses.isEmpty() || sum == null) {
                throw session.fail(copy, "the pipeline on " + host + " ended without its statuses: " + oneLine(stderr));
            }
        }
    }

    private OperationFailedException fail(Copy copy, String what) {
        return new OperationFailedException(ZstdNcTransportFactory.NAME + ": copying " + copy.volume.name() + " from "
                + context.sourceHypervisor() + " to " + context.targetHypervisor() + ":" + copy.port + " failed: "
                + what);
    }

    private static String oneLine(String text) {
        String s = text.strip().replaceAll("\\s*\n\\s*", "; ");
        return s.isEmpty() ? "(no message)" : s;
    }

    private static void sleep(RunningCommand running) {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            running.kill();
            Thread.currentThread().interrupt();
            throw new CancelledException("cancelled while starting " + running.command() + " on " + running.host());
        }
    }
}
