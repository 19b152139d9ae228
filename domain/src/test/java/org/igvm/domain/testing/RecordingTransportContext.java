package org.igvm.domain.testing;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.igvm.domain.spi.cancel.Cancellation;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.ThrowingRunnable;
import org.igvm.domain.spi.transport.TransportConfig;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportProgress;
import org.igvm.domain.spi.transport.TransportVm;
import org.igvm.domain.spi.transport.TransportVolume;
import org.igvm.domain.spi.transport.UndoRegistry;

/**
 * A migration's context for a transport under test, over the shells the test gives (usually this
 * machine's real local shell on both sides): an offline move of {@code web01.example.net} between
 * {@code localhost} and {@code localhost}; steps, progress and undo steps are recorded; the
 * cancellation can be raised; libvirt is not there. Closing it closes both shells.
 */
public final class RecordingTransportContext implements TransportContext, AutoCloseable {
    public final List<String> steps = new CopyOnWriteArrayList<>();
    /** Each progress report as {done, total}. */
    public final List<long[]> bytes = new CopyOnWriteArrayList<>();

    public final List<String> undoSteps = new CopyOnWriteArrayList<>();
    /** The undo steps themselves, in the order registered; {@link #rollback()} runs them. */
    private final List<ThrowingRunnable> undoActions = new CopyOnWriteArrayList<>();

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private final HostShell source;
    private final HostShell target;
    private final List<TransportVolume> volumes;
    private final TransportConfig config;
    private String sourceHypervisor = "localhost";
    private String targetHypervisor = "localhost";
    private OptionalLong bandwidthLimit = OptionalLong.empty();
    private boolean verify = true;
    private MigrationMode mode = MigrationMode.OFFLINE;
    private TransportVm vm = new TransportVm("web01.example.net", "42_web01.example.net", 42, false, 1024, 2);
    private HypervisorPort hypervisors;

    public RecordingTransportContext(
            HostShell source, HostShell target, List<TransportVolume> volumes, TransportConfig config) {
        this.source = source;
        this.target = target;
        this.volumes = List.copyOf(volumes);
        this.config = config;
    }

    /** Other names for the two hypervisors (a sender connects to the target's). */
    public RecordingTransportContext hypervisors(String sourceHypervisor, String targetHypervisor) {
        this.sourceHypervisor = sourceHypervisor;
        this.targetHypervisor = targetHypervisor;
        return this;
    }

    public RecordingTransportContext bandwidthLimit(long bytesPerSecond) {
        this.bandwidthLimit = OptionalLong.of(bytesPerSecond);
        return this;
    }

    public RecordingTransportContext mode(MigrationMode mode) {
        this.mode = mode;
        return this;
    }

    public RecordingTransportContext vm(TransportVm vm) {
        this.vm = vm;
        return this;
    }

    /** libvirt for a test that has one (a live migration); without, every call fails. */
    public RecordingTransportContext hypervisorPort(HypervisorPort port) {
        this.hypervisors = port;
        return this;
    }

    /**
     * Runs the registered undo steps newest first, as the migration's rollback does, and returns
     * the failures (empty when every step succeeded).
     */
    public List<Exception> rollback() {
        List<Exception> failures = new java.util.ArrayList<>();
        for (int i = undoActions.size() - 1; i >= 0; i--) {
            try {
                undoActions.get(i).run();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        undoActions.clear();
        return failures;
    }

    public RecordingTransportContext verify(boolean verify) {
        this.verify = verify;
        return this;
    }

    /** Raises the cancellation, as Ctrl-C does (interrupting the operation's thread is the caller's part). */
    public void cancel() {
        cancelled.set(true);
        onCancel.forEach(Runnable::run);
    }

    @Override
    public String sourceHypervisor() {
        return sourceHypervisor;
    }

    @Override
    public String targetHypervisor() {
        return targetHypervisor;
    }

    @Override
    public HostShell sourceShell() {
        return source;
    }

    @Override
    public HostShell targetShell() {
        return target;
    }

    @Override
    public HypervisorPort hypervisors() {
        if (hypervisors != null) {
            return hypervisors;
        }
        return (HypervisorPort) Proxy.newProxyInstance(
                HypervisorPort.class.getClassLoader(), new Class<?>[] {HypervisorPort.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException("no libvirt in this test: " + m.getName());
                });
    }

    @Override
    public TransportVm vm() {
        return vm;
    }

    @Override
    public List<TransportVolume> volumes() {
        return volumes;
    }

    @Override
    public MigrationMode mode() {
        return mode;
    }

    @Override
    public TransportConfig config() {
        return config;
    }

    @Override
    public TransportProgress progress() {
        return new TransportProgress() {
            @Override
            public void step(String description) {
                steps.add(description);
            }

            @Override
            public void bytes(long done, long total, long bytesPerSecond) {
                bytes.add(new long[] {done, total});
            }
        };
    }

    @Override
    public Cancellation cancellation() {
        return new Cancellation() {
            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }

            @Override
            public Registration onCancel(Runnable action) {
                onCancel.add(action);
                if (cancelled.get()) {
                    action.run();
                }
                return () -> onCancel.remove(action);
            }
        };
    }

    @Override
    public UndoRegistry undo() {
        return (description, undo) -> {
            undoSteps.add(description);
            undoActions.add(undo);
        };
    }

    @Override
    public OptionalLong bandwidthLimit() {
        return bandwidthLimit;
    }

    @Override
    public boolean verify() {
        return verify;
    }

    @Override
    public void close() {
        source.close();
        if (target != source) {
            target.close();
        }
    }
}
