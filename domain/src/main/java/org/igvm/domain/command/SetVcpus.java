package org.igvm.domain.command;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.igvm.api.ChangeResult;
import org.igvm.api.InvalidInputException;
import org.igvm.api.OperationFailedException;
import org.igvm.api.RefusedException;
import org.igvm.api.VcpuSetRequest;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.transaction.Transaction;
import org.igvm.domain.vm.GuestResources;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code igvm vcpu-set VM COUNT [--offline]}: more vCPUs live (hot-add up to the domain's maximum,
 * re-pinned per NUMA node, onlined in the guest), any change offline (shut down, redefine, start).
 * The inventory's num_cpu is committed once the hypervisor (and the guest, live) shows the count.
 */
public final class SetVcpus {
    private static final Logger log = LoggerFactory.getLogger(SetVcpus.class);
    private static final Pattern COUNT = Pattern.compile("([+-]?)(\\d{1,9})");
    private static final Duration GUEST_WAIT = Duration.ofSeconds(60);

    private final CommandEnvironment env;

    public SetVcpus(CommandEnvironment env) {
        this.env = env;
    }

    public ChangeResult run(VcpuSetRequest request) {
        Matcher count = COUNT.matcher(request.count().strip());
        if (!count.matches()) {
            throw new InvalidInputException("invalid vCPU count '" + request.count()
                    + "': write a whole number, or +N / -N for a change (e.g. 4, +1)");
        }
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolveOnHypervisor(request.vm(), "vcpu-set", false);
        return env.operations().run("vcpu-set " + named.hostname(), op -> {
            op.lock(resolver.reread(named.vm()));
            VmPlacement vm = new VmPlacement(resolver.reread(named.vm()), named.hypervisor());
            DomainInfo domain = StartVm.requireDomain(env, vm);
            VolumeInfo volume = new DomainDefinitions(env).volume(vm);
            if (domain.isRunning()) {
                ResourceAgreement.require(vm.vm(), domain, volume);
            }
            int current = (int) vm.vm().integer("num_cpu", domain.vcpus());
            long value = Long.parseLong(count.group(2));
            long wanted =
                    switch (count.group(1)) {
                        case "+" -> current + value;
                        case "-" -> current - value;
                        default -> value;
                    };
            if (wanted < 1) {
                throw new InvalidInputException(vm.hostname() + " cannot have " + wanted + " vCPUs: at least 1");
            }
            int cores = env.hypervisors().facts(vm.hypervisorName()).cpus();
            if (wanted > cores) {
                throw new InvalidInputException(vm.hostname() + " cannot have " + wanted + " vCPUs: "
                        + vm.hypervisorName() + " has only " + cores + " cores");
            }
            int target = (int) wanted;
            if (target == current) {
                String warning = vm.hostname() + " already has " + current + " vCPUs; nothing changed";
                return result(vm, current, current, "unchanged", List.of(warning));
            }
            op.checkpoint();
            VmPlacement changed = new VmPlacement(vm.vm().with("num_cpu", (long) target), vm.hypervisor());
            String how;
            if (!domain.isRunning() || request.offline()) {
                String name = new Redefinition(env).run(op, changed, domain, volume, () -> {});
                requireOnHypervisor(vm, name, target);
                how = domain.isRunning() ? "offline" : "stopped";
            } else {
                live(op, vm, changed, domain, volume, current, target);
                how = "live";
            }
            env.inventory()
                    .commit(Commit.of(ObjectChange.set(
                            vm.vm().objectId(), "num_cpu", vm.vm().get("num_cpu"), (long) target)));
            op.transaction().commit();
            log.info("{}: num_cpu {} -> {} ({})", vm.hostname(), current, target, how);
            return result(vm, current, target, how, List.of());
        });
    }

    private void live(
            RunningOperation op,
            VmPlacement vm,
            VmPlacement changed,
            DomainInfo domain,
            VolumeInfo volume,
            int current,
            int target) {
        if (target < current) {
            throw new RefusedException(vm.hostname() + " runs: removing vCPUs (" + current + " -> " + target
                    + ") needs --offline (shut down, redefine, start)");
        }
        if (target > domain.maxVcpus()) {
            throw new RefusedException(vm.hostname() + "'s domain takes at most " + domain.maxVcpus()
                    + " vCPUs while running; use --offline to redefine it for " + target);
        }
        Transaction tx = op.transaction();
        String hv = vm.hypervisorName();
        DomainSpec spec = new DomainDefinitions(env).spec(changed, volume);
        op.checkpoint();
        env.hypervisors().setVcpus(hv, domain.name(), target);
        tx.onRollback("set the vCPUs of " + vm.hostname() + " back to " + current, () -> env.hypervisors()
                .setVcpus(hv, domain.name(), current));
        op.checkpoint();
        // The new vCPUs run on the host CPUs of their NUMA node, as a definition from scratch pins them.
        env.hypervisors().pinVcpus(hv, domain.name(), spec.vcpuPins().subList(current, target));
        op.checkpoint();
        requireOnHypervisor(vm, domain.name(), target);
        op.checkpoint();
        GuestProbe guest = new GuestProbe(env, vm.vm());
        if (guest.enabled()) {
            guest.await(
                    target + " CPUs online",
                    GUEST_WAIT,
                    shell -> {
                        shell.check(GuestResources.ONLINE_CPUS);
                        int online = GuestResources.read(shell).onlineCpus();
                        return online == target ? Optional.of(online) : Optional.empty();
                    },
                    shell -> GuestResources.read(shell).onlineCpus() + " CPUs online");
            op.checkpoint();
        }
    }

    private void requireOnHypervisor(VmPlacement vm, String domainName, int target) {
        DomainInfo now = StartVm.requireDomain(env, vm);
        if (now.vcpus() != target) {
            throw new OperationFailedException(vm.hostname() + " has " + now.vcpus() + " vCPUs on "
                    + vm.hypervisorName() + " after setting " + target + " (domain " + domainName + ")");
        }
    }

    private static ChangeResult result(VmPlacement vm, int before, int after, String how, List<String> warnings) {
        return new ChangeResult(vm.hostname(), "num_cpu", String.valueOf(before), String.valueOf(after), how, warnings);
    }
}
