package org.igvm.domain.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.igvm.api.BuildPlan;
import org.igvm.api.BuildProgress;
import org.igvm.api.BuildRequest;
import org.igvm.api.BuildResult;
import org.igvm.api.CancelledException;
import org.igvm.api.ConflictException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.api.RefusedException;
import org.igvm.api.UnreachableException;
import org.igvm.domain.build.BuildSettings;
import org.igvm.domain.build.BuildStep;
import org.igvm.domain.build.GuestImage;
import org.igvm.domain.build.GuestRootFiles;
import org.igvm.domain.build.ImageDownloadListener;
import org.igvm.domain.build.PuppetAgent;
import org.igvm.domain.build.PuppetCa;
import org.igvm.domain.build.PuppetChrootRun;
import org.igvm.domain.build.SshHostKeys;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.io.IoFailureReason;
import org.igvm.domain.lock.HeldLock;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.placement.ChosenHypervisor;
import org.igvm.domain.placement.HypervisorPlacement;
import org.igvm.domain.placement.PlacementPlan;
import org.igvm.domain.placement.PlacementRequest;
import org.igvm.domain.placement.PlacementSettings;
import org.igvm.domain.shell.MountedVolume;
import org.igvm.domain.shell.SuggestedCommand;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.HypervisorSettings;
import org.igvm.domain.spi.hypervisor.StoragePoolInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.shell.HostShell;
import org.igvm.domain.spi.shell.ShellCommand;
import org.igvm.domain.transaction.Transaction;
import org.igvm.domain.vm.UidName;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code igvm build VM [HV_QUERY]} (spec §3 build): validates the VM's attributes, takes the
 * inventory's hypervisor or placement's choice (locked, like the VM), then in one transaction
 * creates the volume, makes its XFS, mounts it, fetches and extracts the image, writes the root
 * file system and fresh SSH host keys, runs Puppet in a chroot, copies the postboot script in,
 * unmounts, defines the domain, commits {@code hypervisor} and {@code sshfp}, starts the VM, waits
 * for SSH with the new host keys pinned and runs the postboot script. Each step registers its
 * undo: a failure or cancellation anywhere leaves no domain, volume, mount, temporary directory,
 * lock, Puppet certificate or inventory change behind.
 */
public final class BuildVm {
    private static final Logger log = LoggerFactory.getLogger(BuildVm.class);
    private static final long GIB = VolumeInfo.GIB;
    /** spec §3 build, step 1. */
    static final Pattern HOSTNAME = Pattern.compile("^[a-z][a-z0-9.-]+$");
    /** An OS name goes into the image's URL and the cache's file name. */
    static final Pattern OS = Pattern.compile("^[a-z0-9][a-z0-9._-]*$");
    /** How long a build waits for a hypervisor another build is claiming its disk on. */
    static final Duration HYPERVISOR_LOCK_WAIT = Duration.ofSeconds(60);

    static final Duration HYPERVISOR_LOCK_POLL = Duration.ofSeconds(1);
    /** How placement says a candidate was locked (HypervisorPlacement's verdict). */
    static final String LOCKED_BY_OTHER = "locked by another igvm";

    /** Where the postboot script goes in the VM. */
    public static final String POSTBOOT = "/buildvm-postboot";

    private final CommandEnvironment env;
    private final PlacementSettings placementSettings;
    private final BuildSettings settings;

    public BuildVm(CommandEnvironment env, PlacementSettings placementSettings, BuildSettings settings) {
        this.env = env;
        this.placementSettings = placementSettings;
        this.settings = settings;
    }

    /** What the checks of step 1 found: the validated values the build works with. */
    private record Inputs(
            ServerObject vm,
            String os,
            boolean puppet,
            byte[] postboot,
            GuestRootFiles rootFiles,
            String imageUrl,
            List<BuildStep> steps) {}

    /**
     * Where the VM goes, why, and the hypervisor's lock (none for a plan). The lock is held while
     * the build decides and claims its disk there; once the volume exists it is released, so that
     * other builds can run on the hypervisor meanwhile (their image downloads wait for each other
     * on the cache's flock).
     */
    private record Target(VmPlacement placement, List<String> reasons, HeldLock lock) {
        String hv() {
            return placement.hypervisorName();
        }

        void release() {
            if (lock != null) {
                lock.close();
            }
        }
    }

    /** Builds the VM, or with {@link BuildRequest#dryRun()} only decides and returns the plan. */
    public BuildResult run(BuildRequest request, BuildProgress progress) {
        StepClock steps = new StepClock(progress);
        steps.begin(BuildStep.VALIDATE);
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolve(request.vm(), "build", false);
        Inputs checked = validate(named.vm(), request);
        if (request.dryRun()) {
            return dryRun(named, checked, request, steps);
        }
        java.util.function.Function<RunningOperation, BuildResult> body =
                op -> build(op, resolver, named, request, steps);
        return env.operations().run("build " + named.hostname(), body);
    }

    private BuildResult dryRun(VmPlacement named, Inputs in, BuildRequest request, StepClock steps) {
        steps.begin(BuildStep.HYPERVISOR);
        Target target;
        if (named.hypervisor() != null) {
            requireNoQuery(named, request);
            target = new Target(named, List.of(inventoryReason(named)), null);
        } else {
            PlacementPlan plan = placement().plan(placementRequest(named.vm(), request));
            ServerObject hv = env.lookup().hypervisor(plan.chosen());
            target = new Target(new VmPlacement(named.vm(), hv), MigrateVm.reasons(plan), null);
        }
        checkHypervisor(target.placement(), in);
        checkExisting(target.placement(), request, false);
        steps.finish();
        BuildPlan plan = plan(in, target);
        return new BuildResult(in.vm().hostname(), target.hv(), List.of(), steps.timings(), plan, true);
    }

    private BuildResult build(
            RunningOperation op, VmResolver resolver, VmPlacement named, BuildRequest request, StepClock steps) {
        Transaction tx = op.transaction();

        // 1. The VM, locked and read again; every check again on what is committed now.
        op.lock(resolver.reread(named.vm()));
        ServerObject vm = resolver.reread(named.vm());
        VmPlacement current = resolver.resolve(vm.hostname(), "build", false);
        Inputs in = validate(vm, request);
        op.checkpoint();

        // 2. The hypervisor, locked: the inventory's, else placement's choice.
        steps.begin(BuildStep.HYPERVISOR);
        Target target = hypervisor(op, current, request);
        VmPlacement placement = target.placement();
        String hv = target.hv();
        checkHypervisor(placement, in);
        op.checkpoint();

        // 3. A running domain is refused; --rebuild removes a stopped one with its volume.
        steps.begin(BuildStep.CHECK_EXISTING);
        checkExisting(placement, request, true);
        op.checkpoint();

        // 4. The volume.
        steps.begin(BuildStep.VOLUME);
        DomainDefinitions definitions = new DomainDefinitions(env);
        String pool = definitions.pool(placement);
        String volumeName = UidName.of(vm.objectId(), vm.hostname());
        long diskGiB = vm.integer("disk_size_gib");
        VolumeInfo volume = env.hypervisors().createVolume(hv, pool, volumeName, diskGiB * GIB);
        tx.onRollback("delete volume " + volumeName + " on " + hv, () -> env.hypervisors()
                .deleteVolume(hv, pool, volumeName));
        op.checkpoint();
        // The disk is claimed: other builds may use the hypervisor while this one prepares its root.
        target.release();
        op.checkpoint();

        SshHostKeys keys = null;
        if (!request.barebones()) {
            keys = prepareRoot(op, placement, volume, in, request, steps);
        }

        // 7. The domain, from the inventory.
        steps.begin(BuildStep.DEFINE);
        // Another build may have taken memory on the hypervisor since this one checked.
        requireMemory(placement, in);
        DomainSpec spec = definitions.spec(placement, volume);
        env.hypervisors().define(hv, spec);
        tx.onRollback(
                "undefine " + spec.name() + " on " + hv, () -> env.hypervisors().undefine(hv, spec.name()));
        op.checkpoint();

        // The inventory: hypervisor and the new keys' SSHFP records; undone by the reverse commit.
        steps.begin(BuildStep.COMMIT);
        List<String> sshfp = keys == null ? List.of() : keys.sshfp();
        Object oldHypervisor = vm.get("hypervisor");
        Object oldSshfp = vm.get("sshfp");
        ObjectChange change = ObjectChange.set(vm.objectId(), "hypervisor", oldHypervisor, hv);
        if (keys != null) {
            change = change.and("sshfp", oldSshfp, sshfp);
        }
        env.inventory().commit(Commit.of(change));
        ObjectChange back = ObjectChange.set(vm.objectId(), "hypervisor", hv, oldHypervisor);
        if (keys != null) {
            back = back.and("sshfp", sshfp, oldSshfp);
        }
        ObjectChange undoChange = back;
        tx.onRollback("restore the inventory of " + vm.hostname(), () -> env.inventory()
                .commit(Commit.of(undoChange)));
        op.checkpoint();

        if (!request.barebones()) {
            steps.begin(BuildStep.START);
            PowerControl power = new PowerControl(env);
            tx.onRollback("force " + vm.hostname() + " off on " + hv, () -> power.forceOff(placement, spec.name()));
            power.start(placement, spec.name());
            op.checkpoint();

            steps.begin(BuildStep.WAIT_SSH);
            HostShell guest = awaitSsh(op, vm, keys);
            tx.onRollback("close the shell on " + guest.host(), guest::close);
            op.checkpoint();

            if (in.postboot() != null) {
                steps.begin(BuildStep.POSTBOOT);
                guest.check(ShellCommand.of(POSTBOOT));
                guest.check(ShellCommand.of("rm", "-f", POSTBOOT));
                op.checkpoint();
            }
            tx.commit();
            closeAfterCommit(guest::close, "the shell on " + guest.host());
        } else {
            tx.commit();
        }
        steps.finish();
        log.info("{} built on {}", vm.hostname(), hv);
        return new BuildResult(vm.hostname(), hv, sshfp, steps.timings(), plan(in, target), false);
    }

    /** Steps 4–7 on the mounted volume: file system, image, root files, keys, Puppet, postboot copy. */
    private SshHostKeys prepareRoot(
            RunningOperation op,
            VmPlacement placement,
            VolumeInfo volume,
            Inputs in,
            BuildRequest request,
            StepClock steps) {
        Transaction tx = op.transaction();
        ServerObject vm = in.vm();
        String hv = placement.hypervisorName();

        steps.begin(BuildStep.FILESYSTEM);
        HostShell shell = env.shells().open(hv);
        tx.onRollback("close the shell on " + hv, shell::close);
        op.checkpoint();
        shell.check(mkfs(in.os(), volume.path()));
        op.checkpoint();
        MountedVolume mounted = MountedVolume.mount(env.shells(), hv, volume.path());
        tx.onRollback("unmount " + volume.name() + " on " + hv, mounted::close);
        String root = mounted.mountPoint();
        op.checkpoint();

        steps.begin(BuildStep.IMAGE);
        GuestImage image = new GuestImage(shell, settings, in.os());
        image.fetch(new ImageDownloadListener() {
            @Override
            public void detail(String line) {
                steps.detail(line);
            }

            @Override
            public void bytes(long done, long total, long bytesPerSecond) {
                steps.download(done, total, bytesPerSecond);
            }
        });
        op.checkpoint();

        steps.begin(BuildStep.EXTRACT);
        image.extractInto(root);
        op.checkpoint();

        steps.begin(BuildStep.ROOT_FS);
        var files = mounted.files();
        shell.check(ShellCommand.of("mkdir", "-p", files.path("/etc/network")));
        for (Map.Entry<String, byte[]> file : in.rootFiles().files().entrySet()) {
            files.put(file.getValue(), file.getKey(), 0644);
        }
        files.put(shell.get(GuestRootFiles.RESOLV_CONF), GuestRootFiles.RESOLV_CONF, 0644);
        op.checkpoint();
        SshHostKeys keys = SshHostKeys.generate(shell, root, vm.hostname());
        op.checkpoint();

        if (in.puppet()) {
            steps.begin(BuildStep.PUPPET);
            PuppetCa ca = puppetCa(vm.string("puppet_ca"));
            // A certificate of an earlier VM of this name would make the agent refuse the new keys.
            ca.clean(vm.hostname());
            tx.onRollback(
                    "clean the Puppet certificate of " + vm.hostname() + " on " + ca.host(),
                    () -> ca.clean(vm.hostname()));
            op.checkpoint();
            PuppetChrootRun puppet = new PuppetChrootRun(shell, root);
            tx.onRollback("unmount the chroot's binds in " + root + " on " + hv, puppet::cleanUp);
            puppet.run(
                    new PuppetAgent(
                            settings.puppetBinary(in.os()),
                            vm.string("puppet_master"),
                            vm.string("puppet_ca"),
                            vm.hostname(),
                            vm.string("environment"),
                            request.debugPuppet()),
                    steps::detail);
            op.checkpoint();
        }

        if (in.postboot() != null) {
            steps.begin(BuildStep.COPY_POSTBOOT);
            files.put(in.postboot(), POSTBOOT, 0755);
            op.checkpoint();
        }

        steps.begin(BuildStep.UNMOUNT);
        mounted.close();
        shell.close();
        op.checkpoint();
        return keys;
    }

    /** Past the commit the VM stands: what fails in closing is logged, never undone. */
    private static void closeAfterCommit(Runnable close, String what) {
        boolean interrupted = Thread.interrupted();
        try {
            close.run();
        } catch (RuntimeException e) {
            log.warn("the build is done, but closing {} failed: {}", what, e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    PuppetCa puppetCa(String ca) {
        return new PuppetCa(env.shells(), ca, settings.caRetries(), settings.caBackoff());
    }

    private ShellCommand mkfs(String os, String device) {
        String options = settings.xfsOptions().get(os);
        if (options == null || options.isEmpty()) {
            return ShellCommand.of("mkfs.xfs", "-q", "-f", device);
        }
        return ShellCommand.of(
                "mkfs.xfs", "-q", "-f", "-c", "options=/usr/share/xfsprogs/mkfs/" + options + ".conf", device);
    }

    /** Waits until the VM answers SSH with one of its new host keys; past the timeout, an error (then rolled back). */
    private HostShell awaitSsh(RunningOperation op, ServerObject vm, SshHostKeys keys) {
        String address = vm.string("intern_ip");
        Instant deadline = env.clock().instant().plus(settings.sshTimeout());
        while (true) {
            op.checkpoint();
            try {
                return env.shells().open(address, keys.publicKeys());
            } catch (UnreachableException e) {
                if (!env.clock().instant().isBefore(deadline)) {
                    throw new OperationFailedException(vm.hostname() + " did not answer SSH on " + address
                            + " within " + settings.sshTimeout().toSeconds() + " s (last: " + e.getMessage()
                            + "); it is forced off and removed");
                }
                log.debug("{} does not answer SSH yet: {}", vm.hostname(), e.getMessage());
            }
            try {
                Thread.sleep(settings.sshPollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("cancelled while waiting for " + vm.hostname() + " to answer SSH");
            }
        }
    }

    private Target hypervisor(RunningOperation op, VmPlacement current, BuildRequest request) {
        if (current.hypervisor() != null) {
            requireNoQuery(current, request);
            ServerObject named = current.hypervisor();
            HeldLock lock = whileBusy(op, named.hostname(), () -> env.locks().acquire(named));
            op.transaction().onRollback("release the lock on " + named.hostname(), lock::close);
            ServerObject hv = env.inventory().get(named.objectId()).orElse(named);
            return new Target(new VmPlacement(current.vm(), hv), List.of(inventoryReason(current)), lock);
        }
        ChosenHypervisor chosen = whileBusy(op, "the hypervisors", () -> {
            try {
                return placement().choose(placementRequest(current.vm(), request));
            } catch (RefusedException e) {
                // The candidates that passed were being worked on by another igvm (another build's claim).
                if (e.getMessage().contains(LOCKED_BY_OTHER)) {
                    throw new ConflictException(e.getMessage());
                }
                throw e;
            }
        });
        op.transaction().onRollback("release the lock on " + chosen.hypervisor().hostname(), chosen::close);
        return new Target(
                new VmPlacement(current.vm(), chosen.hypervisor()), MigrateVm.reasons(chosen.plan()), chosen.lock());
    }

    /**
     * Tries again while another igvm holds the lock: builds hold a hypervisor's lock only while they
     * claim their disk, so waiting a little lets concurrent builds share a hypervisor.
     */
    private <T> T whileBusy(RunningOperation op, String what, java.util.function.Supplier<T> attempt) {
        Instant until = Instant.now().plus(HYPERVISOR_LOCK_WAIT);
        while (true) {
            op.checkpoint();
            try {
                return attempt.get();
            } catch (ConflictException e) {
                if (!Instant.now().isBefore(until)) {
                    throw e;
                }
                log.info("{} busy ({}); trying again", what, e.getMessage());
            }
            try {
                Thread.sleep(HYPERVISOR_LOCK_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException("cancelled while waiting for the lock on " + what);
            }
        }
    }

    private static void requireNoQuery(VmPlacement vm, BuildRequest request) {
        if (request.hypervisorQuery() != null) {
            throw new InvalidInputException(vm.hostname() + " is on " + vm.hypervisorName()
                    + " in the inventory; leave out HV_QUERY, or clear its hypervisor attribute to let placement"
                    + " choose");
        }
    }

    private static String inventoryReason(VmPlacement vm) {
        return "the inventory puts " + vm.hostname() + " on " + vm.hypervisorName();
    }

    /** Memory granularity, free memory and pool room on the hypervisor (live). */
    private void checkHypervisor(VmPlacement placement, Inputs in) {
        String hv = placement.hypervisorName();
        ServerObject vm = in.vm();
        HypervisorSettings hvSettings = env.settings().forHypervisor(hv);
        HypervisorMemory memory = HypervisorMemory.of(
                env.hypervisors().facts(hv), env.hypervisors().domains(hv), hvSettings);
        long mib = vm.integer("memory");
        long step = memory.granularityMiB(mib);
        if (mib % step != 0) {
            throw new InvalidInputException(vm.hostname() + "'s memory of " + mib + " MiB is not a multiple of "
                    + step + " MiB on " + hv + " (" + memory.numaNodes() + " NUMA node"
                    + (memory.numaNodes() == 1 ? "" : "s")
                    + (mib >= HypervisorMemory.LARGE_FROM_MIB ? ", 2 GiB steps from 63 GiB on)" : " × 128 MiB)"));
        }
        String pool = new DomainDefinitions(env).pool(placement);
        StoragePoolInfo info = env.hypervisors().pool(hv, pool);
        long reserve = hvSettings.poolReserveGiB() * GIB;
        long existing = env.hypervisors()
                .findVolume(hv, pool, vm.objectId())
                .map(VolumeInfo::capacityBytes)
                .orElse(0L);
        long free = info.availableBytes() + existing - reserve;
        long disk = vm.integer("disk_size_gib") * GIB;
        if (disk > free) {
            throw new InvalidInputException("pool " + pool + " on " + hv + " has no room for " + vm.hostname() + "'s "
                    + disk / GIB + " GiB disk: " + Math.max(0, free / GIB) + " GiB free after the " + reserve / GIB
                    + " GiB reserve");
        }
        requireMemory(placement, in);
    }

    /** The hypervisor's free memory holds the VM (unless its domain is there already). */
    private void requireMemory(VmPlacement placement, Inputs in) {
        String hv = placement.hypervisorName();
        ServerObject vm = in.vm();
        HypervisorSettings hvSettings = env.settings().forHypervisor(hv);
        if (env.hypervisors().findDomain(hv, vm.objectId()).isPresent()) {
            return;
        }
        HypervisorMemory memory = HypervisorMemory.of(
                env.hypervisors().facts(hv), env.hypervisors().domains(hv), hvSettings);
        long mib = vm.integer("memory");
        if (mib + hvSettings.domainMemoryOverheadMiB() > memory.freeMiB()) {
            throw new RefusedException(
                    hv + " cannot take " + vm.hostname() + "'s " + mib + " MiB: it has " + memory.explainFree());
        }
    }

    /** Step 3: refuses a running or (without --rebuild) existing VM; with {@code remove}, removes a stopped one. */
    private void checkExisting(VmPlacement placement, BuildRequest request, boolean remove) {
        String hv = placement.hypervisorName();
        ServerObject vm = placement.vm();
        String pool = new DomainDefinitions(env).pool(placement);
        Optional<DomainInfo> domain = env.hypervisors().findDomain(hv, vm.objectId());
        Optional<VolumeInfo> volume = env.hypervisors().findVolume(hv, pool, vm.objectId());
        if (domain.isPresent() && domain.get().state().isActive()) {
            throw new RefusedException(vm.hostname() + " is running on " + hv + "; a running VM is never rebuilt"
                    + " (stop it first with " + SuggestedCommand.igvm("stop", vm.hostname())
                    + ", then build it with --rebuild)");
        }
        if ((domain.isPresent() || volume.isPresent()) && !request.rebuild()) {
            throw new RefusedException(vm.hostname() + " already exists on " + hv + " ("
                    + domain.map(d -> "domain " + d.name())
                            .orElse("volume " + volume.get().name())
                    + "); add --rebuild to replace it, which deletes its disk");
        }
        if (!remove) {
            return;
        }
        // The old VM goes for good: its disk cannot be brought back by a rollback.
        if (domain.isPresent()) {
            env.hypervisors().undefine(hv, domain.get().name());
            log.warn(
                    "{}: undefined the old domain {} on {} (--rebuild)",
                    vm.hostname(),
                    domain.get().name(),
                    hv);
        }
        if (volume.isPresent()) {
            env.hypervisors().deleteVolume(hv, pool, volume.get().name());
            log.warn(
                    "{}: deleted the old volume {} on {} (--rebuild)",
                    vm.hostname(),
                    volume.get().name(),
                    hv);
        }
    }

    /** Step 1: the VM's attributes and the request, before anything is locked or changed. */
    private Inputs validate(ServerObject vm, BuildRequest request) {
        String hostname = vm.hostname();
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw new InvalidInputException("invalid hostname '" + hostname + "' for a build: it must match "
                    + HOSTNAME.pattern() + " (lower-case letters, digits, dots and dashes, a letter first)");
        }
        for (String attribute : List.of("memory", "num_cpu", "disk_size_gib")) {
            Long value = vm.integer(attribute);
            if (value == null || value <= 0) {
                throw new InvalidInputException(hostname + "'s " + attribute + " must be set and greater than 0, not "
                        + (value == null ? "empty" : value));
            }
        }
        for (String attribute : List.of("os", "puppet_ca", "puppet_master")) {
            String value = vm.string(attribute);
            if (value == null || value.isBlank()) {
                throw new InvalidInputException(hostname + " has no " + attribute + "; a build needs it (set it with "
                        + SuggestedCommand.igvm("inventory", "set", hostname, attribute + "=...") + ")");
            }
        }
        String os = vm.string("os");
        if (!OS.matcher(os).matches()) {
            throw new InvalidInputException(hostname + "'s os '" + os + "' is no OS name (" + OS.pattern() + ")");
        }
        if (request.barebones() && request.postboot() != null) {
            throw new InvalidInputException("--postboot needs a started VM, and --barebones starts none");
        }
        byte[] postboot = request.postboot() == null ? null : readPostboot(request.postboot());
        boolean puppet = request.runPuppet() && !vm.bool("puppet_disabled");
        GuestRootFiles rootFiles = null;
        String imageUrl = null;
        if (!request.barebones()) {
            rootFiles = VmRootFiles.of(env, vm, "a build");
            imageUrl = settings.imageUrlFor(os);
            if (imageUrl.isEmpty()) {
                throw new InvalidInputException("no image URL is configured: set site.image_url in the config (e.g."
                        + " http://images.example.net/{os}-base.tar.gz) or $" + BuildSettings.IMAGE_URL_ENV);
            }
        }
        return new Inputs(
                vm,
                os,
                puppet,
                postboot,
                rootFiles,
                imageUrl,
                BuildStep.of(request.barebones(), puppet, postboot != null));
    }

    private static byte[] readPostboot(Path file) {
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("the postboot file " + file + " is a directory; name a script");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the postboot file " + file + ": " + IoFailureReason.of(e));
        }
    }

    private BuildPlan plan(Inputs in, Target target) {
        return new BuildPlan(
                in.vm().hostname(),
                target.hv(),
                target.reasons(),
                in.imageUrl(),
                in.steps().stream().map(BuildStep::word).toList());
    }

    private HypervisorPlacement placement() {
        return new HypervisorPlacement(env, placementSettings);
    }

    private static PlacementRequest placementRequest(ServerObject vm, BuildRequest request) {
        return new PlacementRequest(
                vm.hostname(),
                request.hypervisorQuery(),
                true,
                request.ignoreReserved(),
                request.enforceVmEnvironment(),
                request.softPreferences());
    }

    /** The build's progress: step events with their timings, details and the download. */
    private static final class StepClock {
        private final BuildProgress progress;
        private final List<BuildResult.StepTiming> timings = new ArrayList<>();
        private BuildStep currentStep;
        private long startedNanos;

        StepClock(BuildProgress progress) {
            this.progress = progress;
        }

        void begin(BuildStep step) {
            finish();
            currentStep = step;
            startedNanos = System.nanoTime();
            quietly(() -> progress.step(step.word()));
        }

        void finish() {
            if (currentStep == null) {
                return;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
            String word = currentStep.word();
            timings.add(new BuildResult.StepTiming(word, took));
            currentStep = null;
            quietly(() -> progress.stepDone(word, took));
        }

        void detail(String line) {
            quietly(() -> progress.detail(line));
        }

        void download(long done, long total, long rate) {
            quietly(() -> progress.download(done, total, rate));
        }

        List<BuildResult.StepTiming> timings() {
            return List.copyOf(timings);
        }

        /** A listener's failure is logged, never the build's. */
        private static void quietly(Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                log.warn("a build progress listener failed: {}", e.toString());
            }
        }
    }
}
