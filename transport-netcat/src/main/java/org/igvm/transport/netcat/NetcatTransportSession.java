package org.igvm.transport.netcat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.igvm.api.CancelledException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.OutputSink;
import org.igvm.domain.spi.shell.RunningCommand;
import org.igvm.domain.spi.shell.ShellCommand;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVolume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One offline migration's copy over {@code nc}: {@link #prepare()} installs the copy program on
 * both hypervisors and starts one listener per volume on the target; {@link #transfer()} does
 * nothing (a running VM's disk cannot be copied consistently); {@link #switchOver()} sends the
 * volumes one after the other with the VM off; {@link #finish()} compares the checksums and tears
 * down; {@link #abort()} kills listeners and sender. The source volume is only ever read.
 */
final class NetcatTransportSession implements TransportSession {
    private static final Logger log = LoggerFactory.getLogger(NetcatTransportSession.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration SENDER_POLL = Duration.ofSeconds(1);
    private static final int LISTENER_STARTS = 5;

    private enum State {
        NEW,
        PREPARED,
        COPIED,
        FINISHED
    }

    /** A listener on the target for one volume, until it has received the volume. */
    private record Listener(TransportVolume volume, int port, RunningCommand command, CopyProgramOutput output) {}

    /** One volume's finished copy: what the sender and the receiver reported. */
    record Copy(TransportVolume volume, int port, CopyProgramOutput.End sent, CopyProgramOutput.End received) {}

    private final TransportContext context;
    private final NetcatSettings settings;
    private final HostShell source;
    private final HostShell target;
    private final List<Listener> listeners = new ArrayList<>();
    /** Every listener command started, also those that never listened: teardown kills them all. */
    private final List<RunningCommand> listenerCommands = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final List<Copy> copies = new ArrayList<>();
    private final AtomicBoolean tornDown = new AtomicBoolean();
    private CopyProgram sourceProgram;
    private CopyProgram targetProgram;
    private volatile RunningCommand sender;
    private State state = State.NEW;

    NetcatTransportSession(TransportContext context, NetcatSettings settings) {
        this.context = context;
        this.settings = settings;
        this.source = context.sourceShell();
        this.target = context.targetShell();
    }

    @Override
    public void prepare() {
        expect(State.NEW, "prepare");
        context.cancellation().throwIfCancelled();
        targetProgram = install(target);
        sourceProgram = install(source);
        for (TransportVolume volume : context.volumes()) {
            context.cancellation().throwIfCancelled();
            listeners.add(startListener(volume));
        }
        state = State.PREPARED;
    }

    @Override
    public void transfer() {
        expect(State.PREPARED, "transfer");
    }

    @Override
    public void switchOver() {
        expect(State.PREPARED, "switch over");
        long sent = 0;
        for (int i = 0; i < listeners.size(); i++) {
            context.cancellation().throwIfCancelled();
            long remaining = listeners.subList(i + 1, listeners.size()).stream()
                    .mapToLong(l -> l.volume().sizeBytes())
                    .sum();
            Copy copy = send(listeners.get(i), sent, remaining);
            copies.add(copy);
            sent += copy.sent().size();
        }
        state = State.COPIED;
    }

    @Override
    public void finish() {
        expect(State.COPIED, "finish");
        try {
            if (context.verify()) {
                for (Copy c : copies) {
                    verify(c);
                }
            }
            long size = copies.stream().mapToLong(c -> c.sent().size()).sum();
            context.progress()
                    .step((context.verify() ? "verified " : "copied without verifying ") + copies.size()
                            + " volume(s): " + size + " bytes, " + wireBytes() + " of them over the wire");
        } finally {
            tearDown();
        }
        state = State.FINISHED;
    }

    @Override
    public void abort() {
        tearDown();
    }

    @Override
    public void close() {
        if (state != State.FINISHED) {
            abort();
        }
    }

    /** The bytes that crossed the wire (records with their headers), for the copies done so far. */
    long wireBytes() {
        return copies.stream().mapToLong(c -> c.sent().bytes()).sum();
    }

    /** The ports the listeners listen on, in the order of the volumes. */
    List<Integer> ports() {
        return listeners.stream().map(Listener::port).toList();
    }

    /** The copies done so far. */
    List<Copy> copies() {
        return List.copyOf(copies);
    }

    private void expect(State expected, String phase) {
        if (state != expected || tornDown.get()) {
            throw new IllegalStateException("the netcat session cannot " + phase + " now (" + state
                    + (tornDown.get() ? ", torn down" : "") + ")");
        }
    }

    private CopyProgram install(HostShell shell) {
        CopyProgram program = CopyProgram.install(shell, settings.python(), settings.tempDir());
        AtomicBoolean removed = new AtomicBoolean();
        context.undo()
                .onRollback("remove igvm's netcat copy program " + program.directory() + " on " + shell.host(), () -> {
                    if (!tornDown.get() && removed.compareAndSet(false, true)) {
                        program.remove();
                    }
                });
        return program;
    }

    /** 7000 + the device's minor for a block device target, else the base: where probing starts. */
    private int firstPort(TransportVolume volume) {
        String stat = target.check(ShellCommand.of("stat", "-L", "-c", "%F:%T", volume.targetPath())
                        .idempotent())
                .strip();
        if (stat.startsWith("block special file:")) {
            int minor = Integer.parseInt(stat.substring(stat.lastIndexOf(':') + 1), 16);
            if (settings.portBase() + minor <= 65535) {
                return settings.portBase() + minor;
            }
        }
        return settings.portBase();
    }

    private Listener startListener(TransportVolume volume) {
        int first = firstPort(volume);
        for (int start = 0; start < LISTENER_STARTS; start++) {
            List<String> args = new ArrayList<>(List.of(
                    volume.targetPath(),
                    "--listen",
                    String.valueOf(first),
                    String.valueOf(settings.portAttempts()),
                    settings.lockDir()));
            if (settings.zeroedBlockDevices()) {
                args.add("--zeroed");
            }
            if (!context.verify()) {
                args.add("--no-checksum");
            }
            if (settings.flipByteAt() >= 0) {
                args.add("--flip-byte-at");
                args.add(String.valueOf(settings.flipByteAt()));
            }
            CopyProgramOutput output = new CopyProgramOutput(p -> {});
            RunningCommand command =
                    target.start(targetProgram.command("recv", args), OutputSink.discard(), OutputSink.lines(output));
            listenerCommands.add(command);
            closeStdin(command);
            context.undo().onRollback("kill the netcat listener for " + volume.name() + " on " + target.host(), () -> {
                if (!tornDown.get()) {
                    kill(command);
                }
            });
            long deadline = System.nanoTime() + settings.listenTimeout().toNanos();
            while (!output.listening()) {
                Optional<CommandResult> ended = command.waitFor(POLL);
                if (ended.isPresent()) {
                    if (output.addressInUse() && output.port().isPresent()) {
                        first = output.port().getAsInt() + 1; // taken after the probe: try the next one
                        break;
                    }
                    throw new OperationFailedException("the netcat listener for " + volume.name() + " on "
                            + target.host() + " did not start: " + output.lastWords());
                }
                if (context.cancellation().isCancelled()) {
                    kill(command);
                    throw new CancelledException("cancelled while starting the netcat listener on " + target.host());
                }
                if (System.nanoTime() > deadline) {
                    kill(command);
                    throw new OperationFailedException("the netcat listener for " + volume.name() + " on "
                            + target.host() + " did not listen within "
                            + settings.listenTimeout().toSeconds()
                            + " s: " + output.lastWords());
                }
            }
            if (output.listening()) {
                int port = output.port().orElseThrow();
                context.progress().step("listening on " + target.host() + ":" + port + " for " + volume.name());
                return new Listener(volume, port, command, output);
            }
        }
        throw new OperationFailedException("the netcat listener for " + volume.name() + " on " + target.host()
                + " found its port taken " + LISTENER_STARTS + " times");
    }

    private Copy send(Listener listener, long before, long remaining) {
        TransportVolume volume = listener.volume();
        List<String> args = new ArrayList<>(List.of(
                volume.sourcePath(),
                "--connect",
                context.targetHypervisor(),
                String.valueOf(listener.port()),
                "--block",
                String.valueOf(settings.blockSize())));
        context.bandwidthLimit().ifPresent(limit -> {
            args.add("--bwlimit");
            args.add(String.valueOf(limit));
        });
        if (!context.verify()) {
            args.add("--no-checksum");
        }
        CopyProgramOutput output = new CopyProgramOutput(
                p -> context.progress().bytes(before + p.done(), before + p.total() + remaining, p.bytesPerSecond()));
        String what = "the netcat copy of " + volume.name() + " from " + source.host() + " to " + target.host() + ":"
                + listener.port();
        context.progress().step("sending " + volume.name() + " to " + target.host() + ":" + listener.port());
        RunningCommand command =
                source.start(sourceProgram.command("send", args), OutputSink.discard(), OutputSink.lines(output));
        sender = command;
        CommandResult sent;
        try {
            closeStdin(command);
            sent = await(command, null, what);
        } finally {
            sender = null;
            command.close();
        }
        if (sent.exitStatus() != 0 || output.end() == null) {
            throw new OperationFailedException(what + " failed: " + output.lastWords());
        }
        String receiving = "the netcat listener for " + volume.name() + " on " + target.host();
        CommandResult received = await(listener.command(), settings.receiveTimeout(), receiving);
        CopyProgramOutput.End end = listener.output().end();
        if (received.exitStatus() != 0 || end == null) {
            throw new OperationFailedException(receiving + " failed to write " + volume.targetPath() + ": "
                    + listener.output().lastWords());
        }
        return new Copy(volume, listener.port(), output.end(), end);
    }

    /** Waits for the command to end (up to the timeout, if any), killing it on cancellation. */
    private CommandResult await(RunningCommand command, Duration timeout, String what) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<CommandResult> ended = command.waitFor(SENDER_POLL);
            if (ended.isPresent()) {
                return ended.get();
            }
            if (context.cancellation().isCancelled()) {
                kill(command);
                throw new CancelledException("cancelled during " + what);
            }
            if (System.nanoTime() > deadline) {
                kill(command);
                throw new OperationFailedException(
                        what + " did not finish within " + timeout.toSeconds() + " s after the sender");
            }
        }
    }

    private void verify(Copy c) {
        String sent = c.sent().sha256();
        String received = c.received().sha256();
        if (c.sent().size() != c.received().size() || sent.equals("-") || !sent.equals(received)) {
            throw new OperationFailedException("the copy of " + c.volume().name() + " differs: sha256 " + sent
                    + " on " + source.host() + " (" + c.volume().sourcePath() + "), sha256 " + received + " on "
                    + target.host() + " (" + c.volume().targetPath() + ")");
        }
    }

    /** Kills what still runs and removes the copy programs; the second call does nothing. */
    private void tearDown() {
        if (!tornDown.compareAndSet(false, true)) {
            return;
        }
        RunningCommand s = sender;
        if (s != null) {
            kill(s);
        }
        for (RunningCommand listener : listenerCommands) {
            kill(listener);
        }
        if (!listenerCommands.isEmpty()) {
            releasePortLocks();
        }
        for (CopyProgram program : new CopyProgram[] {sourceProgram, targetProgram}) {
            if (program != null) {
                try {
                    program.remove();
                } catch (RuntimeException e) {
                    log.warn(
                            "could not remove igvm's netcat copy program {} on {}: {}",
                            program.directory(),
                            program.host(),
                            e.getMessage());
                }
            }
        }
    }

    /**
     * Removes the port lock files on the target that nobody holds: a killed listener cannot remove
     * its own. Safe beside other igvms' listeners: one holding its lock keeps its file, and one that
     * locks a file removed meanwhile sees that and takes a new one (igvm-netcat.py's claim_port).
     */
    private void releasePortLocks() {
        try {
            target.check(ShellCommand.format(
                            "for f in {}/igvm-netcat-*.lock; do"
                                    + " [ -e \"$f\" ] && flock -n -E 0 \"$f\" rm -f -- \"$f\"; done; true",
                            settings.lockDir())
                    .idempotent());
        } catch (RuntimeException e) {
            log.warn(
                    "could not remove the netcat port locks in {} on {}: {}",
                    settings.lockDir(),
                    target.host(),
                    e.getMessage());
        }
    }

    private static void kill(RunningCommand command) {
        try {
            command.kill();
            command.close();
        } catch (RuntimeException e) {
            log.warn("could not kill {} on {}: {}", command.command(), command.host(), e.getMessage());
        }
    }

    private static void closeStdin(RunningCommand command) {
        try {
            command.stdin().close();
        } catch (IOException | RuntimeException e) {
            log.debug("could not close the stdin of {}: {}", command.command(), e.getMessage());
        }
    }
}
