package org.igvm.e2e;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.igvm.adapters.local.LocalShell;
import org.igvm.domain.spi.cancel.Cancellation;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.TransportConfig;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportProgress;
import org.igvm.domain.spi.transport.TransportVm;
import org.igvm.domain.spi.transport.TransportVolume;
import org.igvm.domain.spi.transport.UndoRegistry;

/**
 * A migration's context for a transport under test on this machine: source and target are both
 * {@code localhost}, each with its own real {@link LocalShell}; progress, steps and undo steps are
 * recorded; the cancellation can be raised; libvirt is not there.
 */
final class LocalTransportContext implements TransportContext, AutoCloseable {
    final List<String> steps = new CopyOnWriteArrayList<>();
    final List<long[]> bytes = new CopyOnWriteArrayList<>();
    final List<String> undoSteps = new CopyOnWriteArrayList<>();
    final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private final HostShell source = new LocalShell(Duration.ofSeconds(30));
    private final HostShell target = new LocalShell(Duration.ofSeconds(30));
    private final List<TransportVolume> volumes;
    private final TransportConfig config;
    private final OptionalLong bandwidthLimit;

    LocalTransportContext(List<TransportVolume> volumes, TransportConfig config, OptionalLong bandwidthLimit) {
        this.volumes = volumes;
        this.config = config;
        this.bandwidthLimit = bandwidthLimit;
    }

    /** Raises the cancellation, as Ctrl-C does (the operation's thread is interrupted by the caller). */
    void cancel() {
        cancelled.set(true);
        onCancel.forEach(Runnable::run);
    }

    @Override
    public String sourceHypervisor() {
        return "localhost";
    }

    @Override
    public String targetHypervisor() {
        return "localhost";
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
        return (HypervisorPort) Proxy.newProxyInstance(
                HypervisorPort.class.getClassLoader(), new Class<?>[] {HypervisorPort.class}, (p, m, a) -> {
                    throw new UnsupportedOperationException("no libvirt in this test: " + m.getName());
                });
    }

    @Override
    public TransportVm vm() {
        return new TransportVm("web01.example.net", "42_web01.example.net", 42, false, 1024, 2);
    }

    @Override
    public List<TransportVolume> volumes() {
        return volumes;
    }

    @Override
    public MigrationMode mode() {
        return MigrationMode.OFFLINE;
    }

    @Override
    public TransportConfig config() {
        return config;
    }

    @Override
    public OptionalLong bandwidthLimit() {
        return bandwidthLimit;
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
        return (description, undo) -> undoSteps.add(description);
    }

    @Override
    public void close() {
        source.close();
        target.close();
    }
}
