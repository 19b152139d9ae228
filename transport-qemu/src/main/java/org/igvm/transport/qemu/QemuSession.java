package org.igvm.transport.qemu;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.igvm.api.CancelledException;
import org.igvm.api.IgvmException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.cancel.Cancellation;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainSpec.VcpuPin;
import org.igvm.domain.spi.hypervisor.HypervisorFacts;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.LiveMigrationOptions;
import org.igvm.domain.spi.hypervisor.MigrationJob;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportProgress;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVolume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live migration with libvirt/QEMU (see {@link TransportSession} for the phases):
 *
 * <ul>
 *   <li>{@code prepare}: the VM runs on the source and has no domain on the target; every target
 *       volume exists with the source's name and at least its size; the vCPU pinning is limited to
 *       the CPUs both hosts have (undo step: the original pinning back on the source).
 *   <li>{@code transfer}: nothing; the disk moves with the memory.
 *   <li>{@code switchOver}: {@link HypervisorPort#migrateLive} on the operation's thread; a poller
 *       thread reports libvirt's job statistics every second (disk, memory, rates); cancelling
 *       aborts the libvirt job. On success the VM runs on the target and the measured downtime is
 *       reported; on failure the session says where the VM runs (normally still on the source).
 *   <li>{@code finish}: the pinning restored on the target for its layout ({@link
 *       VcpuPinning#forTarget}).
 *   <li>{@code abort}: aborts a running job, removes a domain the failed migration left on the
 *       target (only while the VM still runs on the source), and after a completed switch-over
 *       migrates the VM back to the source, since the contract is "the VM runs on the source".
 * </ul>
 *
 * <p>The source's definition is never removed here (no {@code UNDEFINE_SOURCE}); the migrate flow
 * removes it after its inventory commit. {@code PERSIST_DEST} makes the target's domain persistent
 * with the source's definition; the flow redefines it from the inventory afterwards.
 */
final class QemuSession implements TransportSession {
    private static final Logger LOG = LoggerFactory.getLogger(QemuSession.class);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    private static final long MIB = 1024 * 1024;

    private final TransportContext context;
    private final QemuSettings settings;
    private final HypervisorPort hv;
    private final String source;
    private final String target;
    private final String domain;
    private final long objectId;

    private List<VcpuPin> originalPins = List.of();
    private boolean pinsReduced;
    private int sourceCpus;
    private volatile boolean migrating;
    private boolean switchOverStarted;
    private boolean migrated;
    private boolean finished;
    private boolean aborted;
    private boolean closed;
    private ScheduledExecutorService poller;
    /** When the poller last saw the job running, in nanoTime; for the downtime fallback. */
    private final AtomicLong lastActiveSample = new AtomicLong();

    private final java.util.concurrent.atomic.AtomicInteger pollFailures =
            new java.util.concurrent.atomic.AtomicInteger();

    QemuSession(TransportContext context, QemuSettings settings) {
        this.context = context;
        this.settings = settings;
        this.hv = context.hypervisors();
        this.source = context.sourceHypervisor();
        this.target = context.targetHypervisor();
        this.domain = context.vm().domainName();
        this.objectId = context.vm().objectId();
    }

    @Override
    public void prepare() {
        Cancellation cancel = context.cancellation();
        Optional<DomainInfo> here = hv.findDomain(source, objectId);
        if (here.isEmpty() || !here.get().isRunning()) {
            throw new OperationFailedException("qemu migrates running VMs only, and domain " + domain + " is "
                    + here.map(d -> "not running").orElse("not defined") + " on " + source);
        }
        Optional<DomainInfo> there = hv.findDomain(target, objectId);
        if (there.isPresent()) {
            throw new OperationFailedException("hypervisor " + target + " has a domain "
                    + there.get().name() + " of this VM already; remove it before migrating there");
        }
        for (TransportVolume v : context.volumes()) {
            cancel.throwIfCancelled();
            Optional<VolumeInfo> vol = hv.findVolume(target, v.pool(), objectId);
            if (vol.isEmpty() || !vol.get().name().equals(v.name())) {
                throw new OperationFailedException("the target volume " + v.pool() + "/" + v.name() + " is missing on "
                        + target
                        + vol.map(o -> " (the pool has " + o.name() + " instead)")
                                .orElse("")
                        + "; libvirt copies the disk into a volume of the same name");
            }
            if (vol.get().capacityBytes() < v.sizeBytes()) {
                throw new OperationFailedException("the target volume " + v.pool() + "/" + v.name() + " on " + target
                        + " has " + vol.get().capacityBytes() + " bytes, less than the source's " + v.sizeBytes());
            }
        }
        cancel.throwIfCancelled();
        HypervisorFacts sourceFacts = hv.facts(source);
        HypervisorFacts targetFacts = hv.facts(target);
        sourceCpus = sourceFacts.cpus();
        int common = Math.min(sourceFacts.cpus(), targetFacts.cpus());
        originalPins = hv.vcpuPinning(source, domain);
        List<VcpuPin> reduced = VcpuPinning.reduce(originalPins, common);
        if (!VcpuPinning.same(reduced, originalPins)) {
            context.progress()
                    .step("limiting the vCPU pinning of " + domain + " to CPUs 0-" + (common - 1) + ", which both "
                            + source + " and " + target + " have");
            List<VcpuPin> restore = originalPins;
            context.undo().onRollback("restore the vCPU pinning of " + domain + " on " + source, () -> {
                if (runsOn(source)) {
                    hv.pinVcpus(source, domain, restore);
                } else {
                    LOG.info("domain {} does not run on {}: its vCPU pinning there is not restored", domain, source);
                }
            });
            hv.pinVcpus(source, domain, reduced);
            pinsReduced = true;
        }
    }

    @Override
    public void transfer() {
        // The disk moves with the memory in switchOver: QEMU mirrors it while the VM runs.
    }

    @Override
    public void switchOver() {
        Cancellation cancel = context.cancellation();
        cancel.throwIfCancelled();
        LiveMigrationOptions options =
                settings.options(target, context.bandwidthLimit().orElse(0));
        TransportProgress progress = context.progress();
        progress.step("live-migrating " + domain + " from " + source + " to " + target + " with its disks"
                + (options.peerToPeer() ? " (peer-to-peer over " + options.targetUri() + ")" : ""));
        switchOverStarted = true;
        startPoller(progress);
        migrating = true;
        long started = System.nanoTime();
        RuntimeException failure = null;
        try (Cancellation.Registration onCancel = cancel.onCancel(this::abortJobQuietly)) {
            hv.migrateLive(source, domain, target, options);
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            migrating = false;
            stopPoller();
        }
        long ended = System.nanoTime();
        if (failure != null) {
            throw failed(failure, cancel.isCancelled());
        }
        migrated = true;
        if (cancel.isCancelled()) {
            // libvirt may accept the abort and still complete the job (seen on 9.0 during the disk
            // copy): the move stands, so the cancel is honoured by abort() moving the VM back.
            throw new CancelledException("cancelled, but libvirt had already completed the live migration of " + domain
                    + " to " + target + "; igvm moves it back to " + source);
        }
        if (!runsOn(target)) {
            throw new OperationFailedException("libvirt reported the live migration of " + domain + " to " + target
                    + " done, but the domain does not run there");
        }
        reportCompletion(progress, started, ended);
        LOG.info("{} migrated live from {} to {} in {} ms", domain, source, target, (ended - started) / 1_000_000);
    }

    @Override
    public void finish() {
        if (!pinsReduced) {
            finished = true;
            return;
        }
        HypervisorFacts targetFacts = hv.facts(target);
        List<VcpuPin> pins =
                VcpuPinning.forTarget(originalPins, sourceCpus, targetFacts.cpus(), targetFacts.numaNodes());
        context.progress().step("re-pinning the vCPUs of " + domain + " for " + target);
        hv.pinVcpus(target, domain, pins);
        finished = true;
    }

    @Override
    public void abort() {
        if (aborted) {
            return;
        }
        aborted = true;
        if (migrating) {
            abortJobQuietly();
        }
        stopPoller();
        if (migrated) {
            migrateBack();
        } else if (switchOverStarted) {
            removeTargetDomain();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            if (!finished && !aborted) {
                abort();
            }
        } finally {
            closed = true;
            stopPoller();
        }
    }

    // ------------------------------------------------------------------ the switch-over

    private void startPoller(TransportProgress progress) {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "igvm-qemu-progress " + domain);
            t.setDaemon(true);
            return t;
        });
        long period = POLL_INTERVAL.toMillis();
        // The first sample soon (a short migration may be over within a second), then every second.
        poller.scheduleAtFixedRate(() -> poll(progress), 200, period, TimeUnit.MILLISECONDS);
    }

    private void poll(TransportProgress progress) {
        try {
            MigrationJob job = hv.migrationJob(source, domain);
            if (job.active()) {
                if (context.cancellation().isCancelled()) {
                    // Cancelled before libvirt had started the job: the first abort found none.
                    abortJobQuietly();
                    return;
                }
                lastActiveSample.set(System.nanoTime());
                report(job, progress);
            }
        } catch (RuntimeException e) {
            // A missed sample is no failure; the migration itself says whether it failed.
            if (pollFailures.getAndIncrement() == 0) {
                LOG.warn("reading the migration statistics of {} on {} failed: {}", domain, source, e.getMessage());
            } else {
                LOG.debug("reading the migration statistics of {} on {} failed: {}", domain, source, e.getMessage());
            }
        }
    }

    /** One sample as progress: disk bytes (or all data before the disk copy reports), memory %. */
    static void report(MigrationJob job, TransportProgress progress) {
        if (job.diskTotal() > 0) {
            progress.bytes(Math.max(0, job.diskProcessed()), job.diskTotal(), job.diskBps());
        } else if (job.dataTotal() > 0) {
            progress.bytes(Math.max(0, job.dataProcessed()), job.dataTotal(), -1);
        }
        // Before QEMU starts on the memory (while the disk mirror catches up) libvirt may report no
        // memory remaining although none has moved: no memory figure until some has.
        if (job.memTotal() > 0 && job.memRemaining() >= 0 && job.memProcessed() > 0) {
            double percent = 100.0 * (job.memTotal() - Math.min(job.memTotal(), job.memRemaining())) / job.memTotal();
            progress.memory(percent, job.memBps());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}", describe(job));
        }
    }

    /** "disk 40 %, memory 12 %, 35.1 MiB/s, 200 MiB to go", for the log. */
    static String describe(MigrationJob job) {
        StringBuilder s = new StringBuilder();
        if (job.diskTotal() > 0) {
            s.append("disk ")
                    .append(percent(job.diskTotal() - job.diskRemaining(), job.diskTotal()))
                    .append(" %, ");
        }
        if (job.memTotal() > 0) {
            s.append("memory ")
                    .append(percent(job.memTotal() - job.memRemaining(), job.memTotal()))
                    .append(" %, ");
        }
        long bps = Math.max(0, job.memBps()) + Math.max(0, job.diskBps());
        s.append(String.format(java.util.Locale.ROOT, "%.1f MiB/s", bps / (double) MIB));
        if (job.dataRemaining() >= 0) {
            s.append(", ").append(job.dataRemaining() / MIB).append(" MiB to go");
        }
        return s.toString();
    }

    private static long percent(long done, long total) {
        return Math.max(0, Math.min(100, done * 100 / total));
    }

    private void stopPoller() {
        ScheduledExecutorService p = poller;
        if (p == null) {
            return;
        }
        poller = null;
        p.shutdownNow();
        try {
            p.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The completed job's figures as the last progress sample (a migration faster than the poll
     * period has no other), then libvirt's measured downtime (the target's completed job, else the
     * source's); else an upper bound.
     */
    private void reportCompletion(TransportProgress progress, long started, long ended) {
        Optional<MigrationJob> completed = Optional.empty();
        for (String host : List.of(target, source)) {
            try {
                completed = hv.completedMigrationJob(host, domain)
                        .filter(j -> j.downtime().isPresent());
            } catch (RuntimeException e) {
                LOG.debug("no completed job statistics of {} on {}: {}", domain, host, e.getMessage());
            }
            if (completed.isPresent()) {
                break;
            }
        }
        completed.ifPresent(job -> report(job, progress));
        Optional<Duration> measured = completed.flatMap(MigrationJob::downtime);
        if (measured.isEmpty()) {
            // The guest was paused after the last sample that saw the job run: at most this long.
            long last = lastActiveSample.get();
            long from = last == 0 ? started : last;
            measured = Optional.of(Duration.ofNanos(ended - from));
            LOG.info(
                    "libvirt reported no downtime for {}; at most {} ms (since the last progress sample)",
                    domain,
                    measured.get().toMillis());
        }
        progress.downtime(measured.get());
    }

    private void abortJobQuietly() {
        try {
            hv.abortMigration(source, domain);
            LOG.info("aborted the live migration of {} on {}", domain, source);
        } catch (RuntimeException e) {
            LOG.warn("aborting the live migration of {} on {} failed: {}", domain, source, e.getMessage());
        }
    }

    /** The failure as the operator's line, saying where the VM runs now. */
    private IgvmException failed(RuntimeException cause, boolean cancelled) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String where;
        boolean onSource = false;
        try {
            onSource = runsOn(source);
            where = onSource
                    ? "the VM still runs on " + source
                    : "the VM does not run on " + source + " any more (running on " + target + ": " + runsOn(target)
                            + "); check both hypervisors";
        } catch (RuntimeException e) {
            where = "where the VM runs could not be checked (" + e.getMessage() + ")";
        }
        if (cancelled) {
            return new CancelledException(
                    "live migration of " + domain + " to " + target + " cancelled; " + where, cause);
        }
        return new OperationFailedException(
                "live migration of " + domain + " from " + source + " to " + target + " failed: " + reason + "; "
                        + where,
                cause);
    }

    // ------------------------------------------------------------------ abort

    /** After a failed migration: nothing of it stays on the target, if the VM still runs on the source. */
    private void removeTargetDomain() {
        Optional<DomainInfo> left = hv.findDomain(target, objectId);
        if (left.isEmpty()) {
            return;
        }
        if (!runsOn(source)) {
            throw new OperationFailedException(
                    "the failed live migration left domain " + left.get().name() + " on "
                            + target + ", and the VM does not run on " + source
                            + "; nothing was removed: check which hypervisor holds the running VM");
        }
        LOG.info(
                "removing domain {} that the failed migration left on {}",
                left.get().name(),
                target);
        if (left.get().isRunning()) {
            hv.destroy(target, left.get().name());
        }
        // A transient domain is gone once destroyed; a persistent one still needs undefining.
        if (hv.findDomain(target, objectId).isPresent()) {
            hv.undefine(target, left.get().name());
        }
    }

    /** After a completed switch-over: the VM goes back to the source, the target keeps nothing. */
    private void migrateBack() {
        LiveMigrationOptions back =
                settings.options(source, context.bandwidthLimit().orElse(0));
        context.progress().step("moving " + domain + " back from " + target + " to " + source);
        try {
            hv.migrateLive(target, domain, source, back);
        } catch (RuntimeException e) {
            throw new OperationFailedException(
                    "domain " + domain + " runs on " + target + " after its live migration"
                            + " and could not be moved back to " + source + ": " + e.getMessage()
                            + "; migrate it back by hand (virsh migrate --live --copy-storage-all --persistent "
                            + domain
                            + " …) or keep it on " + target + " and set its hypervisor in the inventory",
                    e);
        }
        migrated = false;
        Optional<DomainInfo> left = hv.findDomain(target, objectId);
        if (left.isPresent() && !left.get().isRunning()) {
            hv.undefine(target, left.get().name());
        }
    }

    private boolean runsOn(String hypervisor) {
        return hv.findDomain(hypervisor, objectId).map(DomainInfo::isRunning).orElse(false);
    }
}
