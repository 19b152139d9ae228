package org.igvm.domain.command;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.igvm.api.InvalidInputException;
import org.igvm.api.MigrateRequest;
import org.igvm.api.MigrationPlan;
import org.igvm.api.MigrationResult;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.build.BuildSettings;
import org.igvm.domain.build.PuppetAgent;
import org.igvm.domain.build.PuppetChrootRun;
import org.igvm.domain.inventory.AttributeUpdate;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.placement.ChosenHypervisor;
import org.igvm.domain.placement.CpuUsageLimit;
import org.igvm.domain.placement.GroupingAttributes;
import org.igvm.domain.placement.HypervisorPlacement;
import org.igvm.domain.placement.HypervisorVerdict;
import org.igvm.domain.placement.InventoryPlacementData;
import org.igvm.domain.placement.MigrationLog;
import org.igvm.domain.placement.PlacementCandidate;
import org.igvm.domain.placement.PlacementPlan;
import org.igvm.domain.placement.PlacementRequest;
import org.igvm.domain.placement.PlacementSettings;
import org.igvm.domain.placement.PlannedMoves;
import org.igvm.domain.placement.ScoredCandidate;
import org.igvm.domain.placement.TargetQuery;
import org.igvm.domain.plugin.RegisteredTransport;
import org.igvm.domain.plugin.TransportRegistry;
import org.igvm.domain.shell.MountedVolume;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;
import org.igvm.domain.spi.transport.MigrationMode;
import org.igvm.domain.spi.transport.StorageKind;
import org.igvm.domain.spi.transport.TransportPhase;
import org.igvm.domain.spi.transport.TransportSession;
import org.igvm.domain.spi.transport.TransportVm;
import org.igvm.domain.spi.transport.TransportVolume;
import org.igvm.domain.transaction.Transaction;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code igvm migrate VM [HV_QUERY]} (spec §3 migrate): decide (mode, transport, target, agreement)
 * changing nothing, then in one transaction: state {@code maintenance}, target volume, the
 * transport's session, the domain on the target, the inventory; only after the commit the source's
 * domain and volume go. Every step registers its undo; on failure or cancellation the VM is on its
 * source as before and nothing is left on the target.
 */
public final class MigrateVm {
    private static final Logger log = LoggerFactory.getLogger(MigrateVm.class);
    /** How long {@code --no-shutdown} waits for the operator. */
    static final Duration OPERATOR_SHUTDOWN_WAIT = Duration.ofHours(24);
    /** The transport an online migration takes by default. */
    public static final String DEFAULT_ONLINE = "qemu";
    /** The transport an offline migration of LVM volumes takes by default. */
    public static final String DEFAULT_OFFLINE = "drbd";
    /**
     * The transport an offline migration takes by default where {@link #DEFAULT_OFFLINE} cannot
     * move the volume (drbd moves LVM volumes only) or is not installed.
     */
    public static final String FALLBACK_OFFLINE = "netcat";

    private final CommandEnvironment env;
    private final PlacementSettings placementSettings;
    private final TransportRegistry transports;
    private final BuildSettings buildSettings;

    public MigrateVm(CommandEnvironment env, PlacementSettings placementSettings, TransportRegistry transports) {
        this(env, placementSettings, transports, BuildSettings.defaults());
    }

    /** With the build's settings for {@code --run-puppet} (the Puppet binary per OS). */
    public MigrateVm(
            CommandEnvironment env,
            PlacementSettings placementSettings,
            TransportRegistry transports,
            BuildSettings buildSettings) {
        this.env = env;
        this.placementSettings = placementSettings;
        this.transports = transports;
        this.buildSettings = buildSettings;
    }

    /** What the migration would do; locks and changes nothing. */
    public MigrationPlan plan(MigrateRequest request) {
        return plan(request, PlannedMoves.none());
    }

    /**
     * What the migration would do after the moves a batch planned before it (counted on their
     * targets); locks and changes nothing.
     */
    public MigrationPlan plan(MigrateRequest request, PlannedMoves planned) {
        VmPlacement source = new VmResolver(env).resolveOnHypervisor(request.vm(), "migrate", false);
        Decision decision = decide(source, request);
        PlacementPlan placed = placement().plan(placementRequest(source, request, decision, null, planned));
        return decision.plan(source, placed);
    }

    /**
     * Migrates to the hypervisor the request pins, whose lock the caller holds (an evacuation holds
     * its targets' locks for the whole batch): the hard checks run, the target is not locked again.
     */
    public MigrationResult runOntoLockedTarget(MigrateRequest request) {
        if (request.dryRun() || !TargetQuery.parse(request.hypervisorQuery()).isPinned()) {
            throw new IllegalArgumentException("a migration onto a locked target pins it and is no dry run");
        }
        Instant started = env.clock().instant();
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolveOnHypervisor(request.vm(), "migrate", false);
        Function<RunningOperation, MigrationResult> body =
                op -> migrate(op, resolver, named, request, started, null, true);
        return env.operations().run("migrate " + named.hostname(), body);
    }

    /** Migrates, or with {@link MigrateRequest#dryRun()} returns the plan only. */
    public MigrationResult run(MigrateRequest request) {
        Instant started = env.clock().instant();
        if (request.dryRun()) {
            MigrationPlan plan = plan(request);
            return new MigrationResult(
                    plan.vm(),
                    plan.source(),
                    plan.target(),
                    plan.mode(),
                    plan.transport(),
                    0,
                    Duration.between(started, env.clock().instant()),
                    null,
                    List.of(),
                    plan,
                    true);
        }
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolveOnHypervisor(request.vm(), "migrate", false);
        Function<RunningOperation, MigrationResult> body =
                op -> migrate(op, resolver, named, request, started, null, false);
        return env.operations().run("migrate " + named.hostname(), body);
    }

    /**
     * Migrates offline inside another operation that holds the VM's lock and owns the transaction
     * ({@code change-address --migrate}): the amendment's changes go with the move, the caller's
     * undo steps stay in the same transaction, and the transaction is committed here with the
     * inventory.
     */
    MigrationResult runWithin(
            RunningOperation op, VmPlacement locked, MigrateRequest request, MigrationAmendment amendment) {
        if (!request.offline()) {
            throw new IllegalArgumentException("a migration inside another operation moves offline");
        }
        return migrate(op, new VmResolver(env), locked, request, env.clock().instant(), amendment, false);
    }

    /** What the checks before the transaction found out. */
    private record Decision(
            DomainInfo domain, VolumeInfo volume, String pool, MigrationMode mode, RegisteredTransport transport) {
        boolean running() {
            return domain.isRunning();
        }

        String modeWord() {
            return MigrateVm.word(mode);
        }

        MigrationPlan plan(VmPlacement source, PlacementPlan placed) {
            return new MigrationPlan(
                    source.hostname(),
                    source.hypervisorName(),
                    placed.chosen(),
                    reasons(placed),
                    transport.name(),
                    modeWord(),
                    volume.capacityBytes(),
                    expectedDowntime(source, placed.chosen()));
        }

        private String expectedDowntime(VmPlacement source, String target) {
            if (!running()) {
                return "none: " + source.hostname() + " is not running";
            }
            if (mode == MigrationMode.ONLINE) {
                return "a brief pause at the switch-over of the live migration (measured and reported at the end)";
            }
            return "offline: " + source.hostname() + " is off from its shutdown until it starts on " + target
                    + ", including whatever of its " + gib(volume.capacityBytes()) + " " + transport.name()
                    + " copies with it off";
        }
    }

    private MigrationResult migrate(
            RunningOperation op,
            VmResolver resolver,
            VmPlacement named,
            MigrateRequest request,
            Instant started,
            MigrationAmendment amendment,
            boolean targetLockedByCaller) {
        Transaction tx = op.transaction();
        MigrationProgressBridge progress = new MigrationProgressBridge(request.progress());

        // 1. The VM, locked (unless the amending operation holds it) and read again; every check
        // again on what is committed now.
        if (amendment == null) {
            op.lock(resolver.reread(named.vm()));
        }
        ServerObject vm = resolver.reread(named.vm());
        VmPlacement source = new VmPlacement(vm, named.hypervisor());
        Decision decision = decide(source, request);
        op.checkpoint();

        // 2. The target: placement's hard checks, the target locked by placement.
        ServerObject vmOnTarget = amendment == null ? vm : amendment.vmOnTarget();
        PlacementRequest placing = placementRequest(source, request, decision, amendment, PlannedMoves.none());
        ChosenHypervisor chosen = targetLockedByCaller
                ? placement().chooseLockedByCaller(placing)
                : placement().choose(placing);
        tx.onRollback("release the lock on " + chosen.hypervisor().hostname(), chosen::close);
        op.checkpoint();
        ServerObject targetHv = chosen.hypervisor();
        VmPlacement target = new VmPlacement(vmOnTarget, targetHv);
        String sourceName = source.hypervisorName();
        String targetName = targetHv.hostname();
        DomainDefinitions definitions = new DomainDefinitions(env);
        // Attribute validation: the target's definition can be built from the inventory.
        DomainSpec spec = definitions.spec(target, decision.volume());
        String targetPool = definitions.pool(target);
        op.checkpoint();

        // 3. State maintenance, restored at the end.
        String oldState = vm.state();
        env.inventory().commit(Commit.of(ObjectChange.set(vm.objectId(), "state", oldState, "maintenance")));
        tx.onRollback("set the state of " + vm.hostname() + " back to " + oldState, () -> restoreState(vm, oldState));
        op.checkpoint();

        // 4. The target volume: same name and size.
        progress.flowPhase("volume");
        VolumeInfo sourceVolume = decision.volume();
        VolumeInfo targetVolume = env.hypervisors()
                .createVolume(targetName, targetPool, sourceVolume.name(), sourceVolume.capacityBytes());
        tx.onRollback("delete volume " + sourceVolume.name() + " on " + targetName, () -> {
            // By now the transport's abort has moved a live-migrated VM back; if it could not, the
            // VM runs there on this volume.
            if (activeOn(targetName, vm.objectId())) {
                throw new OperationFailedException(vm.hostname() + " runs on " + targetName
                        + " since the live migration, so its volume there stays; check it with igvm info "
                        + ShellCommand.quote(vm.hostname()));
            }
            env.hypervisors().deleteVolume(targetName, targetPool, sourceVolume.name());
        });
        op.checkpoint();

        // 5. The transport's session moves the disk; offline, the VM is shut down before the switch-over.
        PowerControl power = new PowerControl(env);
        RegisteredTransport transport = decision.transport();
        MigrationTransportContext context = new MigrationTransportContext(
                new MigrationTransportContext.Facts(
                        sourceName,
                        targetName,
                        new TransportVm(
                                vm.hostname(),
                                decision.domain().name(),
                                vm.objectId(),
                                decision.running(),
                                decision.domain().memoryMiB(),
                                decision.domain().vcpus()),
                        List.of(new TransportVolume(
                                sourceVolume.name(),
                                targetPool,
                                sourceVolume.path(),
                                targetVolume.path(),
                                sourceVolume.capacityBytes(),
                                "raw",
                                storageKind(sourceVolume))),
                        decision.mode(),
                        request.bandwidthLimit(),
                        request.verify()),
                env.shells(),
                env.hypervisors(),
                transports.config(transport.name()),
                progress,
                op,
                (description, undo) -> tx.onRollback(description, undo::run));
        tx.onRollback("close the shells of the transport", context::closeShells);
        Instant offSince = null;
        ClassLoader loader = transport.factory().getClass().getClassLoader();
        TransportSession session = inLoader(loader, () -> transport.factory().create(context));
        // Closed once the migration is committed or rolled back: a rollback after a finished session
        // still aborts it (a live migration goes back), and abort comes before close.
        tx.onRollback("close the " + transport.name() + " session", () -> close(session, loader, transport.name()));
        boolean finished = false;
        try {
            phase(progress, TransportPhase.PREPARE, loader, session::prepare);
            op.checkpoint();
            phase(progress, TransportPhase.TRANSFER, loader, session::transfer);
            op.checkpoint();
            if (decision.mode() == MigrationMode.OFFLINE && decision.running()) {
                progress.flowPhase("shutdown");
                if (request.noShutdown()) {
                    power.awaitShutdownByOperator(source, decision.domain().name(), OPERATOR_SHUTDOWN_WAIT, tx);
                } else {
                    power.stop(source, decision.domain().name(), false, tx);
                }
                offSince = env.clock().instant();
                op.checkpoint();
            }
            phase(progress, TransportPhase.SWITCH_OVER, loader, session::switchOver);
            op.checkpoint();
            phase(progress, TransportPhase.FINISH, loader, session::finish);
            finished = true;
        } catch (RuntimeException | Error e) {
            if (!finished) {
                progress.phase(TransportPhase.ABORT);
                abort(session, loader, transport.name(), e);
            }
            throw e;
        }
        tx.onRollback("undo the " + transport.name() + " transport's move of " + vm.hostname(), () -> {
            progress.phase(TransportPhase.ABORT);
            inLoader(loader, () -> {
                session.abort();
                return null;
            });
        });
        op.checkpoint();

        // The amending operation's work on the moved disk, which the target's volume undo removes.
        if (amendment != null) {
            progress.flowPhase("amend");
            amendment.targetDisk().apply(targetName, targetVolume);
            op.checkpoint();
        }

        // Puppet on the target's copy of the disk (offline): what it changes goes with the volume's undo.
        if (request.runPuppet()) {
            progress.flowPhase("puppet");
            runPuppet(tx, vmOnTarget, targetName, targetVolume, request.debugPuppet());
            op.checkpoint();
        }

        // 6. The domain on the target: defined (offline) or made persistent from the inventory (online).
        progress.flowPhase("define");
        Instant onSince = null;
        if (decision.mode() == MigrationMode.OFFLINE) {
            env.hypervisors().define(targetName, spec);
            tx.onRollback("undefine " + spec.name() + " on " + targetName, () -> env.hypervisors()
                    .undefine(targetName, spec.name()));
            op.checkpoint();
            if (decision.running()) {
                progress.flowPhase("start");
                tx.onRollback(
                        "force " + vm.hostname() + " off on " + targetName, () -> power.forceOff(target, spec.name()));
                power.start(target, spec.name());
                onSince = env.clock().instant();
                op.checkpoint();
            }
        } else {
            DomainInfo moved = env.hypervisors()
                    .findDomain(targetName, vm.objectId())
                    .orElseThrow(() -> new OperationFailedException("the " + transport.name()
                            + " transport finished, but " + vm.hostname() + " has no domain on " + targetName));
            String liveXml = env.hypervisors().definitionXml(targetName, moved.name());
            env.hypervisors().define(targetName, spec);
            tx.onRollback("restore the definition of " + moved.name() + " on " + targetName, () -> env.hypervisors()
                    .defineXml(targetName, liveXml));
            op.checkpoint();
        }

        // 7. The inventory: hypervisor set and state restored in one commit; then nothing is undone.
        progress.flowPhase("commit");
        ObjectChange moved = ObjectChange.set(vm.objectId(), "hypervisor", sourceName, targetName)
                .and("state", "maintenance", oldState);
        if (amendment != null) {
            Map<String, AttributeUpdate> updates = new LinkedHashMap<>(moved.updates());
            updates.putAll(amendment.updates());
            moved = new ObjectChange(vm.objectId(), updates);
        }
        env.inventory().commit(Commit.of(moved));
        tx.commit();
        // Past the commit nothing is undone: a cancellation now must not cut the clean-up short.
        boolean interrupted = Thread.interrupted();
        List<String> warnings = new ArrayList<>();
        // The session's last teardown (an offline drbd move's source side) comes before the source goes.
        String unclosed = close(session, loader, transport.name());
        if (unclosed != null) {
            warnings.add("the " + transport.name() + " transport could not tear down all it set up: " + unclosed);
        }
        Duration duration = Duration.between(started, env.clock().instant());
        try {
            recordMigrationLog(vm, source.hypervisor(), targetHv);

            // 8. Only now the source goes; what fails there is a warning with the command that does it.
            progress.flowPhase("cleanup");
            cleanUpSource(source, decision, unclosed == null, warnings);
        } finally {
            // The move stands whatever fails here: warnings, not a failed migration.
            try {
                context.closeShells();
            } catch (RuntimeException e) {
                warnings.add("could not close the transport's shells: " + e.getMessage());
            }
            try {
                chosen.close();
            } catch (RuntimeException e) {
                warnings.add("could not release the lock on " + targetName + " (" + e.getMessage()
                        + "); check it with: igvm unlock " + ShellCommand.quote(targetName));
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Duration downtime = progress.measuredDowntime();
        if (downtime == null && offSince != null && onSince != null) {
            downtime = Duration.between(offSince, onSince);
        }
        log.info(
                "{} migrated from {} to {} ({}, {})",
                vm.hostname(),
                sourceName,
                targetName,
                decision.modeWord(),
                transport.name());
        return new MigrationResult(
                vm.hostname(),
                sourceName,
                targetName,
                decision.modeWord(),
                transport.name(),
                progress.bytesDone(),
                duration,
                downtime,
                warnings,
                decision.plan(source, chosen.plan()),
                false);
    }

    /** Mode, transport, volume and agreement, before anything changes. */
    private Decision decide(VmPlacement source, MigrateRequest request) {
        // A malformed HV_QUERY is an error before anything else is asked.
        TargetQuery.parse(request.hypervisorQuery());
        DomainInfo domain = StartVm.requireDomain(env, source);
        MigrationMode mode = request.offline() || !domain.isRunning() ? MigrationMode.OFFLINE : MigrationMode.ONLINE;
        if (!request.offline() && !domain.isRunning()) {
            log.info("{} is not running on {}: it migrates offline", source.hostname(), source.hypervisorName());
        }
        if (request.runPuppet() && mode == MigrationMode.ONLINE) {
            throw new InvalidInputException("--run-puppet needs an offline migration: " + source.hostname()
                    + " runs and would move online; add --offline");
        }
        if (request.runPuppet()) {
            requirePuppet(source.vm());
        }
        DomainDefinitions definitions = new DomainDefinitions(env);
        VolumeInfo volume = definitions.volume(source);
        StorageKind kind = storageKind(volume);
        RegisteredTransport transport = transport(request.diskTransport(), mode, kind);
        if (!transport.modes().contains(mode)) {
            throw new InvalidInputException("disk transport '" + transport.name() + "' cannot migrate " + word(mode)
                    + "; it supports: " + words(transport.modes()));
        }
        if (!transport.storage().contains(kind)) {
            throw new InvalidInputException("disk transport '" + transport.name() + "' cannot move "
                    + kind.name().toLowerCase(Locale.ROOT) + " volumes such as " + volume.path() + "; it moves: "
                    + transport.storage().stream()
                            .map(k -> k.name().toLowerCase(Locale.ROOT))
                            .sorted()
                            .collect(Collectors.joining(", ")));
        }
        ResourceAgreement.require(source.vm(), domain, volume);
        return new Decision(domain, volume, definitions.pool(source), mode, transport);
    }

    /** {@code --run-puppet} needs Puppet enabled and its server and CA in the inventory. */
    private static void requirePuppet(ServerObject vm) {
        if (vm.bool("puppet_disabled")) {
            throw new InvalidInputException("--run-puppet: Puppet is disabled for " + vm.hostname()
                    + " (puppet_disabled); migrate without --run-puppet");
        }
        for (String attribute : List.of("puppet_master", "puppet_ca", "os")) {
            String value = vm.string(attribute);
            if (value == null || value.isEmpty()) {
                throw new InvalidInputException("--run-puppet: " + vm.hostname() + " has no " + attribute
                        + "; set it with igvm inventory set " + ShellCommand.quote(vm.hostname()) + " "
                        + attribute + "=...");
            }
        }
    }

    /**
     * Runs Puppet in a chroot of the moved disk mounted on the target, as the build does: the
     * guest keeps its certificate (it is in the disk), so nothing is cleaned on the CA.
     */
    private void runPuppet(Transaction tx, ServerObject vm, String hv, VolumeInfo volume, boolean debug) {
        // Not try-with-resources: on a failure the rollback undoes binds, then the mount, in that order.
        HostShell shell = env.shells().open(hv);
        tx.onRollback("close the Puppet shell on " + hv, shell::close);
        MountedVolume mounted = MountedVolume.mount(env.shells(), hv, volume.path());
        tx.onRollback("unmount " + volume.name() + " on " + hv, mounted::close);
        PuppetChrootRun puppet = new PuppetChrootRun(shell, mounted.mountPoint());
        tx.onRollback("unmount the chroot's binds in " + mounted.mountPoint() + " on " + hv, puppet::cleanUp);
        puppet.run(
                new PuppetAgent(
                        buildSettings.puppetBinary(vm.string("os")),
                        vm.string("puppet_master"),
                        vm.string("puppet_ca"),
                        vm.hostname(),
                        vm.string("environment"),
                        debug),
                line -> log.info("{}: {}", vm.hostname(), line));
        mounted.close();
        shell.close();
    }

    /** Whether a transport of that name is installed. */
    public boolean hasTransport(String name) {
        return transports.find(name).isPresent();
    }

    /** Whether an offline migration without {@code --disk-transport} finds a transport. */
    public boolean hasDefaultOfflineTransport() {
        return hasTransport(DEFAULT_OFFLINE) || hasTransport(FALLBACK_OFFLINE);
    }

    /**
     * The named transport, or the default: online qemu; offline drbd where it can move the volume
     * (LVM), else netcat.
     */
    private RegisteredTransport transport(String name, MigrationMode mode, StorageKind kind) {
        if (name != null) {
            return transports.require(name);
        }
        if (mode == MigrationMode.ONLINE) {
            return transports.require(DEFAULT_ONLINE);
        }
        for (String candidate : List.of(DEFAULT_OFFLINE, FALLBACK_OFFLINE)) {
            Optional<RegisteredTransport> t = transports.find(candidate);
            if (t.isPresent()
                    && t.get().storage().contains(kind)
                    && t.get().modes().contains(mode)) {
                return t.get();
            }
        }
        throw new InvalidInputException(
                "an offline migration of a " + kind.name().toLowerCase(Locale.ROOT)
                        + " volume needs --disk-transport: neither " + DEFAULT_OFFLINE + " nor " + FALLBACK_OFFLINE
                        + " is installed to move it (see igvm transports)");
    }

    private HypervisorPlacement placement() {
        return new HypervisorPlacement(env, placementSettings);
    }

    private static PlacementRequest placementRequest(
            VmPlacement source,
            MigrateRequest request,
            Decision decision,
            MigrationAmendment amendment,
            PlannedMoves planned) {
        return new PlacementRequest(
                source.hostname(),
                request.hypervisorQuery(),
                decision.mode() == MigrationMode.OFFLINE,
                request.ignoreReserved(),
                request.enforceVmEnvironment(),
                request.softPreferences(),
                amendment == null ? null : amendment.vmOnTarget(),
                planned);
    }

    /** A file path is a file volume; a device node ({@code /dev/...}) is a logical volume. */
    static StorageKind storageKind(VolumeInfo volume) {
        return volume.path() != null && volume.path().startsWith("/dev/") ? StorageKind.LVM : StorageKind.FILE;
    }

    private void restoreState(ServerObject vm, String oldState) {
        ServerObject now = env.inventory()
                .get(vm.objectId())
                .orElseThrow(() -> new OperationFailedException(vm.hostname() + " vanished from the inventory"));
        if (!oldState.equals(now.state())) {
            env.inventory().commit(Commit.of(ObjectChange.set(vm.objectId(), "state", now.state(), oldState)));
        }
    }

    /** {@code +share} on the target, {@code -share} on the source; never fails the migration. */
    private void recordMigrationLog(ServerObject vm, ServerObject sourceHv, ServerObject targetHv) {
        try {
            InventoryPlacementData data = new InventoryPlacementData(
                    env.inventory(),
                    GroupingAttributes.of(placementSettings.preferences()),
                    env.clock().instant(),
                    placementSettings.migrationLogExpiry());
            List<PlacementCandidate> hvs = data.candidates(List.of(sourceHv, targetHv));
            PlacementCandidate from = hvs.get(0);
            PlacementCandidate to = hvs.get(1);
            var placed = data.vm(vm);
            double onTarget = CpuUsageLimit.vmSharePct(placed, from.perfFactor(), to.perfFactor(), to.numCpu());
            double onSource = CpuUsageLimit.vmSharePct(placed, from.perfFactor(), from.perfFactor(), from.numCpu());
            new MigrationLog(env.inventory(), env.clock(), placementSettings.migrationLogExpiry())
                    .recordMigration(targetHv, onTarget, sourceHv, onSource);
        } catch (RuntimeException e) {
            log.warn("could not write the migration log for {}: {}", vm.hostname(), e.getMessage());
        }
    }

    /** The source's domain and, unless the transport may still hold it, its volume. */
    private void cleanUpSource(VmPlacement source, Decision decision, boolean deleteVolume, List<String> warnings) {
        String hv = source.hypervisorName();
        String domain = decision.domain().name();
        try {
            Optional<DomainInfo> left =
                    env.hypervisors().findDomain(hv, source.vm().objectId());
            if (left.isPresent() && left.get().isRunning()) {
                env.hypervisors().destroy(hv, left.get().name());
            }
            if (left.isPresent()) {
                env.hypervisors().undefine(hv, left.get().name());
            }
        } catch (RuntimeException e) {
            warn(
                    warnings,
                    "could not undefine " + domain + " on " + hv + " (" + e.getMessage() + ")",
                    hv,
                    ShellCommand.of("virsh", "undefine", domain));
        }
        ShellCommand volDelete = ShellCommand.of(
                "virsh",
                "vol-delete",
                "--pool",
                decision.pool(),
                decision.volume().name());
        if (!deleteVolume) {
            warn(
                    warnings,
                    "kept volume " + decision.volume().name() + " on " + hv
                            + ", since the transport's teardown there did not finish (the warning before)",
                    hv,
                    volDelete);
            return;
        }
        try {
            env.hypervisors()
                    .deleteVolume(hv, decision.pool(), decision.volume().name());
        } catch (RuntimeException e) {
            warn(
                    warnings,
                    "could not delete volume " + decision.volume().name() + " on " + hv + " (" + e.getMessage() + ")",
                    hv,
                    volDelete);
        }
    }

    private static void warn(List<String> warnings, String what, String hv, ShellCommand cleanup) {
        String line = what + "; the migration is done, remove it by hand with: ssh " + ShellCommand.quote(hv) + " "
                + ShellCommand.quote(cleanup.text());
        log.warn(line);
        warnings.add(line);
    }

    /** Whether the VM has a running or paused domain on the hypervisor. */
    private boolean activeOn(String hypervisor, long objectId) {
        return env.hypervisors()
                .findDomain(hypervisor, objectId)
                .map(d -> d.state() == DomainState.RUNNING || d.state() == DomainState.PAUSED)
                .orElse(false);
    }

    private static void phase(
            MigrationProgressBridge progress, TransportPhase phase, ClassLoader loader, Runnable call) {
        progress.phase(phase);
        inLoader(loader, () -> {
            call.run();
            return null;
        });
    }

    /** Aborts the session; what it cannot undo is logged and kept with the original failure. */
    private static void abort(TransportSession session, ClassLoader loader, String name, Throwable failure) {
        boolean interrupted = Thread.interrupted();
        try {
            inLoader(loader, () -> {
                session.abort();
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("the {} transport could not abort: {}", name, e.getMessage());
            failure.addSuppressed(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes the session; returns why it did not close cleanly (also logged), or null. */
    private static String close(TransportSession session, ClassLoader loader, String name) {
        boolean interrupted = Thread.interrupted();
        try {
            inLoader(loader, () -> {
                session.close();
                return null;
            });
            return null;
        } catch (RuntimeException e) {
            log.warn("the {} transport's session did not close cleanly: {}", name, e.getMessage());
            return e.getMessage();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs a call into a transport with its plugin's class loader as the thread's context loader. */
    static <T> T inLoader(ClassLoader loader, Supplier<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.get();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    static List<String> reasons(PlacementPlan placed) {
        List<String> reasons = new ArrayList<>();
        if (placed.pinned()) {
            reasons.add("pinned by the target query (" + placed.filter() + "); only the hard checks apply");
        } else {
            List<ScoredCandidate> ranked = placed.ranking().ranked();
            for (int i = 0; i < ranked.size(); i++) {
                if (ranked.get(i).hostname().equals(placed.chosen())) {
                    reasons.add("ranked " + (i + 1) + " of " + ranked.size() + " among " + placed.filter()
                            + " (total score "
                            + String.format(Locale.ROOT, "%.4f", ranked.get(i).total()) + ")");
                }
            }
        }
        for (HypervisorVerdict v : placed.checked()) {
            if (!v.chosen()) {
                reasons.add("skipped " + v.hostname() + ": " + v.reason());
            }
        }
        for (ScoredCandidate c : placed.ranking().excluded()) {
            reasons.add("excluded " + c.hostname() + ": preference " + c.excludedBy());
        }
        reasons.add(placed.chosen() + " passed the hard checks");
        return reasons;
    }

    static String word(MigrationMode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    private static String words(java.util.Set<MigrationMode> modes) {
        return modes.stream().map(MigrateVm::word).sorted().collect(Collectors.joining(", "));
    }

    private static String gib(long bytes) {
        return bytes % VolumeInfo.GIB == 0
                ? bytes / VolumeInfo.GIB + " GiB"
                : String.format(Locale.ROOT, "%.1f GiB", bytes / (double) VolumeInfo.GIB);
    }
}
