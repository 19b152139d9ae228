package org.igvm.transport.drbd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.igvm.api.CancelledException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.cancel.Cancellation;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.LiveMigrationOptions;
import org.igvm.domain.spi.shell.CommandResult;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportContext;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVolume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One migration's disk move over DRBD 8.4, per volume:
 *
 * <ol>
 *   <li>{@link #prepare()}: a metadata LV on each side, the resource file on both, a copy of the
 *       source volume's device-mapper table as {@code RES_orig} (DRBD's disk there), the resource
 *       up on both, the source primary ({@code --overwrite-data-of-peer}), and the source volume's
 *       table swapped onto {@code /dev/drbdN}: from then on every write of the running VM goes
 *       through DRBD to both sides. Online, the target's volume gets its {@code _orig} copy too.
 *   <li>{@link #transfer()}: waits for the full sync, reporting progress from {@code drbdsetup
 *       events2 --now --statistics}, while the VM runs.
 *   <li>{@link #switchOver()}: offline (the VM is off), checks that both sides are up to date;
 *       online, makes the target primary too, swaps the target volume's table onto its DRBD device
 *       and has libvirt migrate the memory only: both domains see the same, replicated disk.
 *   <li>{@link #finish()}: online, restores the original tables (the target's first: the VM runs
 *       there), takes the resource down, and removes {@code _orig}, metadata LVs and files;
 *       offline, only takes the target's side down, so the stopped VM can start on the target's
 *       volume at once.
 *   <li>{@link #close()} after an offline finish: the rest of that teardown, after the VM's start.
 * </ol>
 *
 * Every step registers its undo before it acts ({@link TeardownSteps}); {@link #abort()} and the
 * migration's rollback run them newest first, so the original table is always back before DRBD
 * goes down, and the source volume's data is never written by anyone but the VM.
 */
final class DrbdSession implements TransportSession {
    private static final Logger LOG = LoggerFactory.getLogger(DrbdSession.class);

    private enum State {
        NEW,
        PREPARED,
        SYNCED,
        SWITCHED,
        FINISHED
    }

    private final TransportContext context;
    private final DrbdSettings settings;
    private final HostShell sourceShell;
    private final HostShell targetShell;
    private final boolean online;
    private final TeardownSteps teardown;
    private final List<Replication> replications = new ArrayList<>();
    private final SyncWatch watch;
    private State state = State.NEW;
    private boolean migrated;
    private boolean aborted;

    DrbdSession(TransportContext context, DrbdSettings settings) {
        this.context = context;
        this.settings = settings;
        this.sourceShell = context.sourceShell();
        this.targetShell = context.targetShell();
        this.online = context.mode() == MigrationMode.ONLINE;
        this.teardown = new TeardownSteps(context.undo());
        this.watch = new SyncWatch(context, settings);
    }

    @Override
    public void prepare() {
        expect(State.NEW, "prepare");
        Cancellation cancel = context.cancellation();
        List<TransportVolume> volumes = context.volumes();
        for (int i = 0; i < volumes.size(); i++) {
            TransportVolume v = volumes.get(i);
            if (v.storage() != StorageKind.LVM) {
                throw new OperationFailedException("drbd moves LVM volumes only, and " + v.pool() + "/" + v.name()
                        + " is a file; use --disk-transport netcat (offline) or qemu (online)");
            }
            cancel.throwIfCancelled();
            Replication r =
                    new Replication(v, Replication.resourceName(context.vm().domainName(), i, volumes.size()));
            inspect(r);
            replications.add(r);
        }
        for (Replication r : replications) {
            cancel.throwIfCancelled();
            setUp(r);
        }
        state = State.PREPARED;
    }

    @Override
    public void transfer() {
        expect(State.PREPARED, "transfer");
        watch.awaitSync(replications, "syncing");
        state = State.SYNCED;
    }

    @Override
    public void switchOver() {
        expect(State.SYNCED, "switch over");
        if (!online) {
            // The VM is off: protocol C wrote its last writes to both sides before they completed.
            watch.awaitSync(replications, "checking the final sync");
            for (Replication r : replications) {
                DrbdState there = watch.state(r.target, r.resource);
                if (!there.disk().equals("UpToDate")) {
                    throw new OperationFailedException("the DRBD resource " + r.resource + " on " + r.target.hypervisor
                            + " is not up to date after the sync: " + there.summary());
                }
            }
            state = State.SWITCHED;
            return;
        }
        for (Replication r : replications) {
            context.cancellation().throwIfCancelled();
            run(r.target, ShellCommand.of("drbdadm", "primary", r.resource), "make " + r.resource + " primary");
            swapOntoDrbd(r, r.target);
        }
        migrateLive();
        state = State.SWITCHED;
    }

    @Override
    public void finish() {
        expect(State.SWITCHED, "finish");
        if (!online) {
            // The VM is off and waits for this to start on the target: switchOver has just found both
            // sides up to date with nothing writing, so only the target's side goes now, which frees
            // its volume; the source's side waits for close(), after the start (downtime: 23.9 s with
            // the whole teardown here, on the lab's emulated hosts).
            context.progress()
                    .step("taking the DRBD resource(s) " + names() + " down on " + context.targetHypervisor());
            for (Replication r : replications) {
                r.targetDown.run();
            }
            state = State.FINISHED;
            return;
        }
        // Both sides up to date at the last look: the target's volume holds the VM's disk.
        for (Replication r : replications) {
            DrbdState s = watch.state(r.source, r.resource);
            if (!s.inSync()) {
                throw new OperationFailedException("the DRBD resource " + r.resource + " on " + r.source.hypervisor
                        + " is no longer in sync before the teardown: " + s.summary());
            }
        }
        context.progress().step("tearing down the DRBD resource(s) " + names());
        teardown.runAll();
        state = State.FINISHED;
    }

    @Override
    public void abort() {
        if (aborted) {
            return;
        }
        aborted = true;
        if (migrated) {
            migrateBack();
        }
        try {
            teardown.runAll();
        } catch (OperationFailedException e) {
            if (TeardownSteps.critical(e)) {
                throw e;
            }
            // the rollback tries the rest again; what it cannot undo it reports itself
            LOG.warn("{}; the rollback tries again", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (state != State.FINISHED) {
            abort();
        } else if (!aborted && !teardown.allDone()) {
            // What an offline finish left: the source's side, the target's metadata and files. The
            // move is committed, so no rollback tries a failed step again: this does, once.
            context.progress().step("tearing down the DRBD resource(s) " + names());
            try {
                teardown.runAll();
            } catch (OperationFailedException first) {
                LOG.warn("{}; trying the teardown once more", first.getMessage());
                try {
                    teardown.runAll();
                } catch (OperationFailedException again) {
                    throw new OperationFailedException(
                            again.getMessage() + "; left to do: " + String.join(", ", teardown.pending()));
                }
            }
        }
    }

    /** The resources of this session, for tests and messages. */
    List<String> names() {
        return replications.stream().map(r -> r.resource).toList();
    }

    // ------------------------------------------------------------------ prepare

    private void inspect(Replication r) {
        TransportVolume v = r.volume;
        r.source = DrbdSide.inspect(
                "source", context.sourceHypervisor(), sourceShell, v.sourcePath(), settings.portBase());
        r.target = DrbdSide.inspect(
                "target", context.targetHypervisor(), targetShell, v.targetPath(), settings.portBase());
        if (r.target.sizeBytes < r.source.sizeBytes) {
            throw new OperationFailedException("the target volume " + v.targetPath() + " on " + r.target.hypervisor
                    + " has " + r.target.sizeBytes + " bytes, less than the source's " + r.source.sizeBytes);
        }
        if (r.source.nodeName.equals(r.target.nodeName)) {
            throw new OperationFailedException("source and target both call themselves " + r.source.nodeName
                    + " (uname -n); DRBD needs distinct node names");
        }
        r.source.address = r.target.resolve(context.sourceHypervisor());
        r.target.address = r.source.resolve(context.targetHypervisor());
        for (DrbdSide side : List.of(r.source, r.target)) {
            checkFree(r, side);
        }
    }

    /** Refuses a host where DRBD is missing or something of this resource is left from an earlier run. */
    private void checkFree(Replication r, DrbdSide side) {
        String res = resourceFile(r);
        CommandResult checked = side.shell.run(ShellCommand.format(
                        "test -r /proc/drbd || { echo 'DRBD is not loaded (no /proc/drbd; modprobe drbd)'; exit 0; };"
                                + " command -v drbdadm >/dev/null || { echo 'drbdadm is not installed'; exit 0; };"
                                + " test -d {} || echo 'there is no resource directory {}';"
                                + " test -e {} && echo 'the resource file {} exists';"
                                + " awk -v m={} '$1 == m\":\" && $2 != \"cs:Unconfigured\" {print \"DRBD minor \" substr($1, 1, length($1) - 1) \" is in use\"}' /proc/drbd;"
                                + " lvs {} >/dev/null 2>&1 && echo 'the logical volume {} exists';"
                                + " dmsetup info {} >/dev/null 2>&1 && echo 'the device-mapper device {} exists';"
                                + " true",
                        settings.resourceDir(),
                        settings.resourceDir(),
                        res,
                        res,
                        String.valueOf(side.minor),
                        side.vg + "/" + r.metaLv(),
                        side.vg + "/" + r.metaLv(),
                        r.origDevice(),
                        r.origDevice())
                .idempotent());
        if (!checked.succeeded()) {
            throw new OperationFailedException("could not check " + side.hypervisor + " for DRBD leftovers of "
                    + r.resource + ": " + lastLine(checked.stderr()));
        }
        String leftovers = checked.stdout().strip();
        if (!leftovers.isEmpty()) {
            String cleanUp = ShellCommand.of("drbdadm", "down", r.resource).text() + "; "
                    + ShellCommand.of("dmsetup", "remove", r.origDevice()).text() + "; "
                    + ShellCommand.of("lvremove", "-fy", side.vg + "/" + r.metaLv())
                            .text() + "; "
                    + ShellCommand.of("rm", "-f", res).text();
            throw new OperationFailedException(
                    "cannot replicate " + side.path + " with DRBD on " + side.hypervisor + ": "
                            + String.join("; ", leftovers.lines().toList())
                            + (leftovers.contains("exists")
                                    ? "; if an earlier igvm left them, clean up there with: " + cleanUp
                                    : ""));
        }
    }

    private void setUp(Replication r) {
        Cancellation cancel = context.cancellation();
        alignBlockSizes(r);
        for (DrbdSide side : List.of(r.target, r.source)) {
            createMeta(r, side);
        }
        cancel.throwIfCancelled();
        saveTable(r, r.source);
        createOrig(r, r.source);
        if (online) {
            saveTable(r, r.target);
            createOrig(r, r.target);
        }
        String text = DrbdResourceFile.render(
                r.resource,
                context.vm().hostname() + " (" + r.volume.pool() + "/" + r.volume.name() + ")",
                r.source,
                "/dev/mapper/" + r.origDevice(),
                r.target,
                online ? "/dev/mapper/" + r.origDevice() : r.target.path,
                r.metaLv(),
                settings.resyncRate(context.bandwidthLimit()),
                settings.maxBuffers(),
                online);
        for (DrbdSide side : List.of(r.target, r.source)) {
            String file = resourceFile(r);
            teardown.add(
                    "remove the DRBD resource file " + file + " on " + side.hypervisor,
                    () -> side.shell.check(ShellCommand.of("rm", "-f", file).idempotent()));
            side.shell.put(text.getBytes(StandardCharsets.UTF_8), file, 0640);
        }
        cancel.throwIfCancelled();
        for (DrbdSide side : List.of(r.target, r.source)) {
            run(
                    side,
                    ShellCommand.format("drbdadm create-md {} </dev/null", r.resource),
                    "create the DRBD metadata of " + r.resource);
        }
        for (DrbdSide side : List.of(r.target, r.source)) {
            cancel.throwIfCancelled();
            Runnable down = teardown.add(
                    "take the DRBD resource " + r.resource + " down on " + side.hypervisor, () -> down(r, side));
            if (side == r.target) {
                r.targetDown = down;
            }
            run(side, ShellCommand.of("drbdadm", "up", r.resource), "bring the DRBD resource " + r.resource + " up");
        }
        cancel.throwIfCancelled();
        run(
                r.source,
                ShellCommand.of("drbdadm", "--", "--overwrite-data-of-peer", "primary", r.resource),
                "make " + r.resource + " primary");
        swapOntoDrbd(r, r.source);
        context.progress()
                .step("DRBD resource " + r.resource + " up: " + r.source.hypervisor + ":" + r.source.port + " -> "
                        + r.target.hypervisor + ":" + r.target.port + ", " + r.volume.name() + " goes through "
                        + r.source.device());
    }

    /** The original did this: the soft block size of both volumes set to the smaller of the two. */
    private void alignBlockSizes(Replication r) {
        int smallest = Math.min(r.source.softBlockSize, r.target.softBlockSize);
        for (DrbdSide side : List.of(r.source, r.target)) {
            if (side.softBlockSize > smallest) {
                int before = side.softBlockSize;
                teardown.add(
                        "restore the block size " + before + " of " + side.path + " on " + side.hypervisor,
                        () -> side.shell.check(
                                ShellCommand.of("blockdev", "--setbsz", String.valueOf(before), side.path)
                                        .idempotent()));
                run(
                        side,
                        ShellCommand.of("blockdev", "--setbsz", String.valueOf(smallest), side.path),
                        "set the block size of " + side.path + " to " + smallest);
            }
        }
    }

    private void createMeta(Replication r, DrbdSide side) {
        String lv = side.vg + "/" + r.metaLv();
        teardown.add(
                "remove the DRBD metadata volume " + lv + " on " + side.hypervisor,
                () -> side.shell.check(
                        ShellCommand.format("if lvs {} >/dev/null 2>&1; then lvremove -fy {}; fi", lv, lv)
                                .idempotent()));
        long bytes = r.metaBytes();
        // DRBD wants its metadata zeroed, or it may find an old signature there and ask
        run(
                side,
                ShellCommand.of("lvcreate", "-y", "-n", r.metaLv(), "-L", bytes + "b", side.vg)
                        .and(ShellCommand.of(
                                "dd",
                                "if=/dev/zero",
                                "of=/dev/" + lv,
                                "bs=1M",
                                "count=" + (bytes >> 20),
                                "oflag=direct",
                                "status=none")),
                "create the DRBD metadata volume " + lv);
    }

    /** Writes the volume's original table to the host, so an operator can restore it by hand. */
    private void saveTable(Replication r, DrbdSide side) {
        String file = tableFile(r, side);
        teardown.add(
                "remove " + file + " on " + side.hypervisor,
                () -> side.shell.check(ShellCommand.of("rm", "-f", file).idempotent()));
        side.shell.check(ShellCommand.of("mkdir", "-p", settings.stateDir()).idempotent());
        side.shell.put((side.originalTable + "\n").getBytes(StandardCharsets.UTF_8), file, 0600);
    }

    private void createOrig(Replication r, DrbdSide side) {
        String dev = r.origDevice();
        teardown.add(
                "remove the device-mapper device " + dev + " on " + side.hypervisor,
                () -> side.shell.check(
                        ShellCommand.format("if dmsetup info {} >/dev/null 2>&1; then dmsetup remove {}; fi", dev, dev)
                                .idempotent()));
        run(
                side,
                ShellCommand.format("printf '%s\\n' {} | dmsetup create {}", side.originalTable, dev),
                "create the device-mapper device " + dev);
    }

    /** Sends the volume's I/O through DRBD; registers the restore of its original table first. */
    private void swapOntoDrbd(Replication r, DrbdSide side) {
        String repair = ShellCommand.format(
                        "dmsetup suspend {} && dmsetup load {} {} && dmsetup resume {}",
                        side.path,
                        side.path,
                        tableFile(r, side),
                        side.path)
                .text();
        teardown.addCritical(
                "restore the device-mapper table of " + side.path + " on " + side.hypervisor,
                "on " + side.hypervisor + ": " + repair,
                () -> restoreTable(side));
        run(
                side,
                ShellCommand.format(
                        "dmsetup suspend {} || exit 1; if dmsetup load {} --table {}; then dmsetup resume {};"
                                + " else r=$?; dmsetup resume {}; exit $r; fi",
                        side.path,
                        side.path,
                        side.drbdTable(),
                        side.path,
                        side.path),
                "swap the device-mapper table of " + side.path + " onto " + side.device());
    }

    /** Puts the original table back unless it is there already; the device is suspended meanwhile. */
    private static void restoreTable(DrbdSide side) {
        side.shell.check(ShellCommand.format(
                        "cur=$(dmsetup table {}) || exit 1; [ \"$cur\" = {} ] && exit 0;"
                                + " dmsetup suspend {} || exit 1;"
                                + " if printf '%s\\n' {} | dmsetup load {}; then dmsetup resume {};"
                                + " else r=$?; dmsetup resume {}; exit $r; fi",
                        side.path, side.originalTable, side.path, side.originalTable, side.path, side.path, side.path)
                .idempotent());
    }

    private void down(Replication r, DrbdSide side) {
        String file = resourceFile(r);
        // drbdadm needs the resource file; without it the resource cannot have been brought up by us
        side.shell.check(ShellCommand.format("if [ -e {} ]; then drbdadm down {}; fi", file, r.resource)
                .idempotent());
    }

    // ------------------------------------------------------------------ online switch-over

    private void migrateLive() {
        HypervisorPort hv = context.hypervisors();
        String domain = context.vm().domainName();
        LiveMigrationOptions options = new LiveMigrationOptions(
                false,
                true,
                true,
                true,
                true,
                false,
                "",
                false,
                context.bandwidthLimit().orElse(0),
                null,
                0);
        context.progress()
                .step("live-migrating " + domain + " from " + context.sourceHypervisor() + " to "
                        + context.targetHypervisor() + " over the replicated disk");
        long started = System.nanoTime();
        try (Cancellation.Registration onCancel = context.cancellation().onCancel(() -> abortJob(domain))) {
            hv.migrateLive(context.sourceHypervisor(), domain, context.targetHypervisor(), options);
        } catch (RuntimeException e) {
            if (context.cancellation().isCancelled()) {
                throw new CancelledException("cancelled during the live migration of " + domain);
            }
            throw new OperationFailedException("the live migration of " + domain + " to " + context.targetHypervisor()
                    + " failed: " + e.getMessage());
        }
        migrated = true;
        Optional<DomainInfo> there =
                hv.findDomain(context.targetHypervisor(), context.vm().objectId());
        if (there.isEmpty() || !there.get().isRunning()) {
            throw new OperationFailedException("libvirt reported the live migration of " + domain + " to "
                    + context.targetHypervisor() + " done, but the domain does not run there");
        }
        if (context.cancellation().isCancelled()) {
            throw new CancelledException("cancelled, but libvirt had already moved " + domain + " to "
                    + context.targetHypervisor() + "; igvm moves it back");
        }
        hv.completedMigrationJob(context.sourceHypervisor(), domain)
                .filter(j -> j.downtimeMillis() >= 0)
                .ifPresent(j -> context.progress().downtime(Duration.ofMillis(j.downtimeMillis())));
        LOG.info(
                "{} migrated live over DRBD in {} ms",
                domain,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    /** After a live migration that must not stand: back to the source over the still-replicated disk. */
    private void migrateBack() {
        HypervisorPort hv = context.hypervisors();
        String domain = context.vm().domainName();
        LiveMigrationOptions options =
                new LiveMigrationOptions(false, true, true, true, true, false, "", false, 0, null, 0);
        try {
            hv.migrateLive(context.targetHypervisor(), domain, context.sourceHypervisor(), options);
            migrated = false;
        } catch (RuntimeException e) {
            throw new OperationFailedException("could not move " + domain + " back to " + context.sourceHypervisor()
                    + " after the failed migration; it runs on " + context.targetHypervisor()
                    + " with the DRBD resource(s) " + names() + " still up: " + e.getMessage());
        }
    }

    private void abortJob(String domain) {
        try {
            context.hypervisors().abortMigration(context.sourceHypervisor(), domain);
        } catch (RuntimeException e) {
            LOG.debug("aborting the migration job of {}: {}", domain, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ helpers

    private String resourceFile(Replication r) {
        return settings.resourceDir() + "/" + r.resource + ".res";
    }

    private String tableFile(Replication r, DrbdSide side) {
        return settings.stateDir() + "/" + r.resource + "." + side.role + ".table";
    }

    private static void run(DrbdSide side, ShellCommand command, String what) {
        CommandResult result = side.shell.run(command);
        if (!result.succeeded()) {
            throw new OperationFailedException("could not " + what + " on " + side.hypervisor + ": "
                    + lastLine(result.stderr().isBlank() ? result.stdout() : result.stderr()));
        }
    }

    static String lastLine(String text) {
        List<String> lines = text.strip().lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).strip();
    }

    private void expect(State expected, String phase) {
        if (state != expected || aborted) {
            throw new IllegalStateException(
                    "the drbd session cannot " + phase + " now (" + state + (aborted ? ", aborted" : "") + ")");
        }
    }
}
