package org.igvm.bootstrap.plugin;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * A migration's context for a transport under test: both "hypervisors" are this machine's real
 * shell; progress and undo steps are recorded; libvirt is not there.
 */
final class RecordingTransportContext implements TransportContext {
    final List<String> steps = new ArrayList<>();
    final List<long[]> bytes = new ArrayList<>();
    final List<String> undoSteps = new ArrayList<>();
    private final HostShell shell = new LocalShell(Duration.ofSeconds(30));
    private final List<TransportVolume> volumes;
    private final TransportConfig config;

    RecordingTransportContext(List<TransportVolume> volumes, TransportConfig config) {
        this.volumes = volumes;
        this.config = config;
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
        return shell;
    }

    @Override
    public HostShell targetShell() {
        return shell;
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
                bytes.add(new long[] {done, total});
            }
        };
    }

    @Override
    public Cancellation cancellation() {
        return Cancellation.never();
    }

    @Override
    public UndoRegistry undo() {
        return (description, undo) -> undoSteps.add(description);
    }
}
