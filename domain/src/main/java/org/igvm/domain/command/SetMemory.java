package org.igvm.domain.command;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.igvm.api.ChangeResult;
import org.igvm.api.InvalidInputException;
import org.igvm.api.MemSetRequest;
import org.igvm.api.OperationFailedException;
import org.igvm.api.RefusedException;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.size.Size;
import org.igvm.domain.size.SizeParser;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.transaction.Transaction;
import org.igvm.domain.vm.GuestResources;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code igvm mem-set VM SIZE [--offline]}: more memory live by DIMM hot-plug, in equal parts per
 * NUMA node; any change offline (shut down, redefine, start). The inventory's memory is committed
 * once the hypervisor (and the guest's MemTotal, live) shows it.
 */
public final class SetMemory {
    private static final Logger log = LoggerFactory.getLogger(SetMemory.class);
    private static final Duration GUEST_WAIT = Duration.ofSeconds(60);
    /** MemTotal grows by a little less than the module: the kernel keeps page structures for it. */
    private static final double GUEST_SHARE = 0.9;

    private final CommandEnvironment env;

    public SetMemory(CommandEnvironment env) {
        this.env = env;
    }

    public ChangeResult run(MemSetRequest request) {
        Size size = SizeParser.parse(request.size(), SizeParser.Unit.MIB);
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolveOnHypervisor(request.vm(), "mem-set", false);
        return env.operations().run("mem-set " + named.hostname(), op -> {
            op.lock(resolver.reread(named.vm()));
            VmPlacement vm = new VmPlacement(resolver.reread(named.vm()), named.hypervisor());
            String hv = vm.hypervisorName();
            DomainInfo domain = StartVm.requireDomain(env, vm);
            VolumeInfo volume = new DomainDefinitions(env).volume(vm);
            if (domain.isRunning()) {
                ResourceAgreement.require(vm.vm(), domain, volume);
            }
            long current = vm.vm().integer("memory", domain.memoryMiB());
            long target = size.resolve(current);
            if (target <= 0) {
                throw new InvalidInputException(vm.hostname() + " cannot have " + target + " MiB of memory");
            }
            if (target == current) {
                String warning = vm.hostname() + " already has " + current + " MiB of memory; nothing changed";
                return result(vm, current, current, "unchanged", List.of(warning));
            }
            HypervisorMemory memory = HypervisorMemory.of(
                    env.hypervisors().facts(hv),
                    env.hypervisors().domains(hv),
                    env.settings().forHypervisor(hv));
            long step = memory.granularityMiB(target);
            if (target % step != 0) {
                throw new InvalidInputException(vm.hostname() + " cannot have " + target + " MiB: memory on " + hv
                        + " goes in steps of " + step + " MiB (" + memory.numaNodes() + " NUMA node"
                        + (memory.numaNodes() == 1 ? "" : "s")
                        + (target >= HypervisorMemory.LARGE_FROM_MIB ? ", 2 GiB from 63 GiB on)" : " × 128 MiB)")
                        + "; try " + (target / step * step + step) + " MiB");
            }
            if (target - current > memory.freeMiB()) {
                throw new InvalidInputException(vm.hostname() + " cannot grow by " + (target - current) + " MiB: " + hv
                        + " has " + memory.explainFree());
            }
            op.checkpoint();
            VmPlacement changed = new VmPlacement(vm.vm().with("memory", target), vm.hypervisor());
            String how;
            if (!domain.isRunning() || request.offline()) {
                String name = new Redefinition(env).run(op, changed, domain, volume, () -> {});
                requireOnHypervisor(vm, name, target);
                how = domain.isRunning() ? "offline" : "stopped";
            } else {
                live(op, vm, domain, memory, current, target);
                how = "live";
            }
            env.inventory()
                    .commit(Commit.of(ObjectChange.set(
                            vm.vm().objectId(), "memory", vm.vm().get("memory"), target)));
            op.transaction().commit();
            log.info("{}: memory {} -> {} MiB ({})", vm.hostname(), current, target, how);
            return result(vm, current, target, how, List.of());
        });
    }

    private void live(
            RunningOperation op,
            VmPlacement vm,
            DomainInfo domain,
            HypervisorMemory memory,
            long current,
            long target) {
        if (target < current) {
            throw new RefusedException(vm.hostname() + " runs: removing memory (" + current + " -> " + target
                    + " MiB) needs --offline (shut down, redefine, start)");
        }
        if (target > domain.maxMemoryMiB()) {
            throw new RefusedException(vm.hostname() + "'s domain takes at most " + domain.maxMemoryMiB()
                    + " MiB while running; use --offline to redefine it for " + target + " MiB");
        }
        Transaction tx = op.transaction();
        String hv = vm.hypervisorName();
        GuestProbe guest = new GuestProbe(env, vm.vm());
        long guestBefore =
                guest.enabled() ? guest.once(shell -> GuestResources.read(shell).memTotalKiB()) : 0;
        long perNode = (target - current) / memory.numaNodes();
        if ((target - current) % memory.numaNodes() != 0 || perNode % 128 != 0) {
            throw new InvalidInputException(vm.hostname() + " cannot grow by " + (target - current)
                    + " MiB live: each of its " + memory.numaNodes() + " NUMA cells gets a module of a multiple"
                    + " of 128 MiB; use --offline");
        }
        for (int node = 0; node < memory.numaNodes(); node++) {
            op.checkpoint();
            int cell = node;
            env.hypervisors().attachMemory(hv, domain.name(), cell, perNode);
            tx.onRollback(
                    "unplug the " + perNode + " MiB module from NUMA cell " + cell + " of " + vm.hostname(),
                    () -> env.hypervisors().detachMemory(hv, domain.name(), cell, perNode));
        }
        op.checkpoint();
        requireOnHypervisor(vm, domain.name(), target);
        op.checkpoint();
        if (guest.enabled()) {
            long expectedKiB = guestBefore + (long) ((target - current) * 1024 * GUEST_SHARE);
            guest.await(
                    "MemTotal of about " + (guestBefore / 1024 + target - current) + " MiB",
                    GUEST_WAIT,
                    shell -> {
                        long total = GuestResources.read(shell).memTotalKiB();
                        return total >= expectedKiB ? Optional.of(total) : Optional.empty();
                    },
                    shell -> "MemTotal " + GuestResources.read(shell).memTotalMiB() + " MiB");
            op.checkpoint();
        }
    }

    private void requireOnHypervisor(VmPlacement vm, String domainName, long target) {
        DomainInfo now = StartVm.requireDomain(env, vm);
        if (now.memoryMiB() != target) {
            throw new OperationFailedException(vm.hostname() + " has " + now.memoryMiB() + " MiB on "
                    + vm.hypervisorName() + " after setting " + target + " MiB (domain " + domainName + ")");
        }
    }

    private static ChangeResult result(VmPlacement vm, long before, long after, String how, List<String> warnings) {
        return new ChangeResult(vm.hostname(), "memory", String.valueOf(before), String.valueOf(after), how, warnings);
    }
}
