package org.igvm.domain.command;

import java.util.List;
import java.util.OptionalLong;
import org.igvm.domain.spi.cancel.Cancellation;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.HostShellPort;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.TransportConfig;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportProgress;
import org.igvm.domain.spi.transport.TransportVm;
import org.igvm.domain.spi.transport.TransportVolume;
import org.igvm.domain.spi.transport.UndoRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one migration offers its transport. The shells open on the transport's first use and are
 * closed by the flow ({@link #closeShells()}) once the migration has committed or rolled back.
 */
final class MigrationTransportContext implements TransportContext {
    private static final Logger log = LoggerFactory.getLogger(MigrationTransportContext.class);

    /** Everything but the shells, which open lazily. */
    record Facts(
            String sourceHypervisor,
            String targetHypervisor,
            TransportVm vm,
            List<TransportVolume> volumes,
            MigrationMode mode,
            long bandwidthLimit,
            boolean verify) {
        Facts {
            volumes = List.copyOf(volumes);
        }
    }

    private final Facts facts;
    private final HostShellPort shells;
    private final HypervisorPort hypervisors;
    private final TransportConfig config;
    private final TransportProgress progress;
    private final Cancellation cancellation;
    private final UndoRegistry undo;
    private HostShell sourceShell;
    private HostShell targetShell;

    MigrationTransportContext(
            Facts facts,
            HostShellPort shells,
            HypervisorPort hypervisors,
            TransportConfig config,
            TransportProgress progress,
            Cancellation cancellation,
            UndoRegistry undo) {
        this.facts = facts;
        this.shells = shells;
        this.hypervisors = hypervisors;
        this.config = config;
        this.progress = progress;
        this.cancellation = cancellation;
        this.undo = undo;
    }

    @Override
    public String sourceHypervisor() {
        return facts.sourceHypervisor();
    }

    @Override
    public String targetHypervisor() {
        return facts.targetHypervisor();
    }

    @Override
    public synchronized HostShell sourceShell() {
        if (sourceShell == null) {
            sourceShell = shells.open(facts.sourceHypervisor());
        }
        return sourceShell;
    }

    @Override
    public synchronized HostShell targetShell() {
        if (targetShell == null) {
            targetShell = shells.open(facts.targetHypervisor());
        }
        return targetShell;
    }

    @Override
    public HypervisorPort hypervisors() {
        return hypervisors;
    }

    @Override
    public TransportVm vm() {
        return facts.vm();
    }

    @Override
    public List<TransportVolume> volumes() {
        return facts.volumes();
    }

    @Override
    public MigrationMode mode() {
        return facts.mode();
    }

    @Override
    public TransportConfig config() {
        return config;
    }

    @Override
    public TransportProgress progress() {
        return progress;
    }

    @Override
    public Cancellation cancellation() {
        return cancellation;
    }

    @Override
    public UndoRegistry undo() {
        return undo;
    }

    @Override
    public OptionalLong bandwidthLimit() {
        return facts.bandwidthLimit() > 0 ? OptionalLong.of(facts.bandwidthLimit()) : OptionalLong.empty();
    }

    @Override
    public boolean verify() {
        return facts.verify();
    }

    /** Closes the shells the transport opened; a failure is logged. */
    synchronized void closeShells() {
        for (HostShell shell : new HostShell[] {sourceShell, targetShell}) {
            if (shell != null) {
                try {
                    shell.close();
                } catch (Exception e) {
                    log.warn("could not close the shell on {}: {}", shell.host(), e.getMessage());
                }
            }
        }
        sourceShell = null;
        targetShell = null;
    }
}
