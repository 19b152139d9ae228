package org.igvm.bootstrap;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.transport.DiskTransportFactory;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportPhase;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVolume;

/**
 * A disk transport for the test driver, whose volumes are not files: it moves nothing, records
 * every call of its sessions (with the thread's context class loader), reports the volumes' bytes
 * in the switch-over, registers an undo step in prepare, and fails in the phase it is told to.
 * Online, its switch-over does what a live migration leaves behind: the domain running on the
 * target and shut off on the source.
 */
final class RecordingTransport implements DiskTransportFactory {
    final String name;
    final Set<MigrationMode> modes;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<ClassLoader> loaders = new CopyOnWriteArrayList<>();
    final AtomicInteger undone = new AtomicInteger();
    volatile TransportPhase failIn;
    /** Whether close fails, as a teardown after the start on the target can. */
    volatile boolean failClose;
    /** At each close: the domain's state on the target and whether the source still has it. */
    final List<String> atClose = new CopyOnWriteArrayList<>();

    volatile TransportContext lastContext;
    /** Runs in every session's transfer, on its thread: a test's rendezvous, fault or Ctrl-C. */
    volatile java.util.function.Consumer<TransportContext> onTransfer = context -> {};

    final Set<StorageKind> storage;

    RecordingTransport(String name, Set<MigrationMode> modes) {
        this(name, modes, Set.of(StorageKind.FILE));
    }

    RecordingTransport(String name, Set<MigrationMode> modes, Set<StorageKind> storage) {
        this.name = name;
        this.modes = Set.copyOf(modes);
        this.storage = Set.copyOf(storage);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<MigrationMode> modes() {
        return modes;
    }

    @Override
    public Set<StorageKind> storage() {
        return storage;
    }

    @Override
    public TransportSession create(TransportContext context) {
        lastContext = context;
        record("create");
        return new Session(context);
    }

    /** Whether the last session was aborted. */
    boolean aborted() {
        return calls.contains("abort");
    }

    private void record(String call) {
        calls.add(call);
        loaders.add(Thread.currentThread().getContextClassLoader());
    }

    private final class Session implements TransportSession {
        private final TransportContext context;
        /** How far the online move got: 1 defined on the target, 2 started there, 3 source destroyed. */
        private int moved;

        Session(TransportContext context) {
            this.context = context;
        }

        private void enter(TransportPhase phase) {
            record(phase.name().toLowerCase(java.util.Locale.ROOT));
            context.cancellation().throwIfCancelled();
            if (phase == failIn) {
                throw new OperationFailedException(
                        "test transport failed in " + phase + " on " + context.targetHypervisor());
            }
        }

        @Override
        public void prepare() {
            enter(TransportPhase.PREPARE);
            context.undo().onRollback("undo what the test transport prepared", undone::incrementAndGet);
        }

        @Override
        public void transfer() {
            enter(TransportPhase.TRANSFER);
            onTransfer.accept(context);
        }

        @Override
        public void switchOver() {
            enter(TransportPhase.SWITCH_OVER);
            long total = context.volumes().stream()
                    .mapToLong(TransportVolume::sizeBytes)
                    .sum();
            context.progress().bytes(total / 2, total, 1024);
            context.progress().bytes(total, total, 1024);
            if (context.mode() == MigrationMode.ONLINE) {
                String domain = context.vm().domainName();
                String xml = context.hypervisors().definitionXml(context.sourceHypervisor(), domain);
                context.hypervisors().defineXml(context.targetHypervisor(), xml);
                moved = 1;
                context.hypervisors().start(context.targetHypervisor(), domain);
                moved = 2;
                context.hypervisors().destroy(context.sourceHypervisor(), domain);
                moved = 3;
                context.progress().downtime(java.time.Duration.ofMillis(42));
            }
        }

        @Override
        public void finish() {
            enter(TransportPhase.FINISH);
            record("finished");
        }

        @Override
        public void abort() {
            record("abort");
            // As a live migration's abort does: the VM runs on the source again, nothing on the target.
            String domain = context.vm().domainName();
            if (moved >= 3) {
                context.hypervisors().start(context.sourceHypervisor(), domain);
            }
            if (moved >= 2) {
                context.hypervisors().destroy(context.targetHypervisor(), domain);
            }
            if (moved >= 1) {
                context.hypervisors().undefine(context.targetHypervisor(), domain);
            }
            moved = 0;
        }

        @Override
        public void close() {
            record("close");
            String domain = context.vm().domainName();
            atClose.add("target "
                    + context.hypervisors()
                            .findDomain(context.targetHypervisor(), context.vm().objectId())
                            .map(d -> d.state().name())
                            .orElse("none")
                    + ", source "
                    + (context.hypervisors()
                                    .findDomain(
                                            context.sourceHypervisor(),
                                            context.vm().objectId())
                                    .isPresent()
                            ? "defined"
                            : "none"));
            if (failClose) {
                throw new OperationFailedException(
                        "test transport could not take " + domain + "'s copy down on " + context.sourceHypervisor());
            }
        }
    }
}
