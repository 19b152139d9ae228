package org.igvm.domain.command;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.igvm.api.ChangeResult;
import org.igvm.api.DiskSetRequest;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.shell.MountedVolume;
import org.igvm.domain.size.Size;
import org.igvm.domain.size.SizeParser;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.StoragePoolInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.shell.ShellCommand;
import org.igvm.domain.transaction.Transaction;
import org.igvm.domain.vm.GuestResources;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code igvm disk-set VM SIZE}: grows the VM's volume and its root XFS — live (volume, block
 * resize of the domain, {@code xfs_growfs /} in the guest) or, for a stopped VM, on the hypervisor
 * with the volume mounted there. Never shrinks. The inventory's disk_size_gib is committed once the
 * volume has the new size.
 */
public final class GrowDisk {
    private static final Logger log = LoggerFactory.getLogger(GrowDisk.class);
    private static final long GIB = VolumeInfo.GIB;
    /** The disk igvm's domains boot from (spec §5). */
    static final String DISK_TARGET = "vda";

    private final CommandEnvironment env;

    public GrowDisk(CommandEnvironment env) {
        this.env = env;
    }

    public ChangeResult run(DiskSetRequest request) {
        Size size = SizeParser.parse(request.size(), SizeParser.Unit.GIB);
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolveOnHypervisor(request.vm(), "disk-set", false);
        return env.operations().run("disk-set " + named.hostname(), op -> {
            op.lock(resolver.reread(named.vm()));
            VmPlacement vm = new VmPlacement(resolver.reread(named.vm()), named.hypervisor());
            String hv = vm.hypervisorName();
            DomainInfo domain = StartVm.requireDomain(env, vm);
            DomainDefinitions definitions = new DomainDefinitions(env);
            VolumeInfo volume = definitions.volume(vm);
            if (domain.isRunning()) {
                ResourceAgreement.require(vm.vm(), domain, volume);
            }
            long current = volume.capacityGiB();
            long target = size.resolve(current);
            if (target < current) {
                throw new InvalidInputException("disk-set only grows disks: " + vm.hostname() + " has " + current
                        + " GiB, " + target + " GiB would shrink it; to shrink, move it to a smaller disk with an"
                        + " offline migration (igvm migrate " + vm.hostname() + " --offline)");
            }
            if (target == current) {
                String warning = vm.hostname() + "'s disk already has " + current + " GiB; nothing changed";
                return result(vm, current, current, "unchanged", List.of(warning));
            }
            String pool = definitions.pool(vm);
            StoragePoolInfo poolInfo = env.hypervisors().pool(hv, pool);
            long reserve = env.settings().forHypervisor(hv).poolReserveGiB() * GIB;
            long free = poolInfo.availableBytes() - reserve;
            if ((target - current) * GIB > free) {
                throw new InvalidInputException(vm.hostname() + "'s disk cannot grow by " + (target - current)
                        + " GiB: pool " + pool + " on " + hv + " has " + Math.max(0, free / GIB)
                        + " GiB free after the " + reserve / GIB + " GiB reserve");
            }
            op.checkpoint();
            Transaction tx = op.transaction();
            // Once xfs_growfs ran, the file system may reach into the new space: nothing may shrink it.
            AtomicBoolean grown = new AtomicBoolean();
            env.hypervisors().resizeVolume(hv, pool, volume.name(), target * GIB);
            tx.onRollback("shrink volume " + volume.name() + " back to " + current + " GiB", () -> {
                requireNotGrown(vm, grown, target);
                env.hypervisors().resizeVolume(hv, pool, volume.name(), volume.capacityBytes());
            });
            op.checkpoint();
            requireVolume(vm, pool, target);
            List<String> warnings;
            String how;
            if (domain.isRunning()) {
                warnings = growLive(op, vm, domain, current, target, grown);
                how = "live";
            } else {
                growMounted(op, vm, volume, target, grown);
                warnings = List.of();
                how = "stopped";
            }
            env.inventory()
                    .commit(Commit.of(ObjectChange.set(
                            vm.vm().objectId(), "disk_size_gib", vm.vm().get("disk_size_gib"), target)));
            tx.commit();
            log.info("{}: disk_size_gib {} -> {} ({})", vm.hostname(), current, target, how);
            return result(vm, current, target, how, warnings);
        });
    }

    private List<String> growLive(
            RunningOperation op, VmPlacement vm, DomainInfo domain, long current, long target, AtomicBoolean grown) {
        String hv = vm.hypervisorName();
        env.hypervisors().resizeDisk(hv, domain.name(), DISK_TARGET, target * GIB);
        op.transaction().onRollback("tell " + vm.hostname() + " its disk has " + current + " GiB again", () -> {
            requireNotGrown(vm, grown, target);
            env.hypervisors().resizeDisk(hv, domain.name(), DISK_TARGET, current * GIB);
        });
        op.checkpoint();
        GuestProbe guest = new GuestProbe(env, vm.vm());
        if (!guest.enabled()) {
            String warning = "guest logins are off (site.guest_logins): grow the file system in " + vm.hostname()
                    + " yourself (xfs_growfs /)";
            return List.of(warning);
        }
        long before = guest.once(shell -> GuestResources.read(shell).rootKiB());
        op.checkpoint();
        long after = guest.once(shell -> {
            grown.set(true);
            shell.check(GuestResources.GROW_ROOT);
            return GuestResources.read(shell).rootKiB();
        });
        if (after <= before) {
            throw new OperationFailedException(vm.hostname() + "'s root file system still has " + after / 1024
                    + " MiB after xfs_growfs (before: " + before / 1024 + " MiB)");
        }
        op.checkpoint();
        return List.of();
    }

    private void growMounted(RunningOperation op, VmPlacement vm, VolumeInfo volume, long target, AtomicBoolean grown) {
        MountedVolume mounted = MountedVolume.mount(env.shells(), vm.hypervisorName(), volume.path());
        op.transaction().onRollback("unmount " + volume.name() + " on " + vm.hypervisorName(), mounted::close);
        op.checkpoint();
        grown.set(true);
        try {
            mounted.check(ShellCommand.of("xfs_growfs", mounted.mountPoint()));
        } catch (OperationFailedException e) {
            throw new OperationFailedException(
                    vm.hostname() + "'s volume has " + target
                            + " GiB now, but growing its file system failed (" + e.getMessage()
                            + "); the inventory still"
                            + " has the old size: fix the file system, then igvm sync " + vm.hostname(),
                    e);
        }
        op.checkpoint();
        mounted.close();
        op.checkpoint();
    }

    /** An undo of the growth that would cut off a grown file system refuses, saying what to do. */
    private static void requireNotGrown(VmPlacement vm, AtomicBoolean grown, long target) {
        if (grown.get()) {
            throw new OperationFailedException("xfs_growfs may have grown the file system of " + vm.hostname() + " to "
                    + target + " GiB, so its disk stays at that size; run igvm sync " + vm.hostname());
        }
    }

    private void requireVolume(VmPlacement vm, String pool, long target) {
        VolumeInfo now = env.hypervisors()
                .findVolume(vm.hypervisorName(), pool, vm.vm().objectId())
                .orElseThrow(() -> new OperationFailedException(vm.hostname() + "'s volume vanished from " + pool));
        if (now.capacityGiB() != target) {
            throw new OperationFailedException(vm.hostname() + "'s volume has " + now.capacityGiB() + " GiB on "
                    + vm.hypervisorName() + " after resizing it to " + target + " GiB");
        }
    }

    private static ChangeResult result(VmPlacement vm, long before, long after, String how, List<String> warnings) {
        return new ChangeResult(
                vm.hostname(), "disk_size_gib", String.valueOf(before), String.valueOf(after), how, warnings);
    }
}
