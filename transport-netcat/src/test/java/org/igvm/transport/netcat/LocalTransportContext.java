package org.igvm.transport.netcat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * A migration's context for the netcat transport under test: source and target are both this
 * machine (real processes through the local shell, the sender connecting to 127.0.0.1); progress,
 * steps and undo steps are recorded; cancellation can be raised.
 */
final class LocalTransportContext implements TransportContext, AutoCloseable {
    final List<String> steps = new CopyOnWriteArrayList<>();
    final List<long[]> bytes = new CopyOnWriteArrayList<>();
    final List<String> undoSteps = new CopyOnWriteArrayList<>();
    final AtomicBoolean cancelled = new AtomicBoolean();
    private final HostShell source = new LocalShell(Duration.ofSeconds(30));
    private final HostShell target = new LocalShell(Duration.ofSeconds(30));
    private final List<TransportVolume> volumes;
    private final TransportConfig config;
    private OptionalLong bandwidthLimit = OptionalLong.empty();
    private boolean verify = true;

    LocalTransportContext(List<TransportVolume> volumes, Map<String, String> config) {
        this.volumes = volumes;
        this.config = new MapTransportConfig(config);
    }

    LocalTransportContext bandwidthLimit(long bytesPerSecond) {
        this.bandwidthLimit = OptionalLong.of(bytesPerSecond);
        return this;
    }

    LocalTransportContext verify(boolean verify) {
        this.verify = verify;
        return this;
    }

    @Override
    public String sourceHypervisor() {
        return "localhost";
    }

    @Override
    public String targetHypervisor() {
        return "127.0.0.1";
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
    public TransportProgress progress() {
        return new TransportProgress() {
            @Override
            public void step(String description) {
                steps.add(description);
            }

            @Override
            public void bytes(long done, long total, long bytesPerSecond) {
                bytes.add(new long[] {done, total, bytesPerSecond});
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
                return () -> {};
            }
        };
    }

    @Override
    public UndoRegistry undo() {
        return (description, undo) -> undoSteps.add(description);
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
        target.close();
    }
}
