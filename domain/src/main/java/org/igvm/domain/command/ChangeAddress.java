package org.igvm.domain.command;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.igvm.api.ChangeAddressRequest;
import org.igvm.api.ChangeResult;
import org.igvm.api.ConflictException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.MigrateRequest;
import org.igvm.api.MigrationResult;
import org.igvm.api.NotFoundException;
import org.igvm.api.OperationFailedException;
import org.igvm.api.RefusedException;
import org.igvm.domain.inventory.AttributeUpdate;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.IpNetwork;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.operation.RunningOperation;
import org.igvm.domain.shell.MountedVolume;
import org.igvm.domain.shell.VmFiles;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.spi.shell.ShellCommand;
import org.igvm.domain.vm.GuestAddressFile;
import org.igvm.domain.vm.VmPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code igvm change-address VM IP --offline}: the new address must differ, lie in a route network
 * of the inventory and be served by the VM's hypervisor. Shuts the VM down, writes the address into
 * the guest (its volume mounted on the hypervisor), redefines the domain for the new network (its
 * VLAN), starts it again, then commits {@code intern_ip} and {@code route_network}.
 */
public final class ChangeAddress {
    private static final Logger log = LoggerFactory.getLogger(ChangeAddress.class);
    /** The route network's gateway, written into the guest with the address when set. */
    static final String GATEWAY = "default_gateway";

    private final CommandEnvironment env;
    private final MigrateVm migrate;

    /** Without migration: a VM whose hypervisor does not serve the new network is refused. */
    public ChangeAddress(CommandEnvironment env) {
        this(env, null);
    }

    /** With {@code --migrate} over {@code migrate}'s placement settings and transports. */
    public ChangeAddress(CommandEnvironment env, MigrateVm migrate) {
        this.env = env;
        this.migrate = migrate;
    }

    /** A route network and its prefix that holds the new address. */
    private record Network(ServerObject object, IpNetwork prefix) {}

    public ChangeResult run(ChangeAddressRequest request) {
        if (!request.offline()) {
            throw new InvalidInputException(
                    "change-address needs --offline: the VM is shut down while its address changes");
        }
        IpNetwork ip = IpNetwork.parseOrNull(request.ip().strip());
        if (ip == null || ip.isNetwork() || request.ip().contains("/")) {
            throw new InvalidInputException("invalid IP address '" + request.ip() + "': write an IPv4 or IPv6 address");
        }
        String address = canonical(ip);
        VmResolver resolver = new VmResolver(env);
        VmPlacement named = resolver.resolveOnHypervisor(request.vm(), "change-address", false);
        return env.operations().run("change-address " + named.hostname(), op -> {
            op.lock(resolver.reread(named.vm()));
            VmPlacement vm = new VmPlacement(resolver.reread(named.vm()), named.hypervisor());
            String old = vm.vm().string("intern_ip");
            if (address.equals(old == null ? null : canonicalOrSame(old))) {
                throw new InvalidInputException(vm.hostname() + " already has the address " + address);
            }
            Network network = network(ip, address, request.network());
            String networkName = network.object().hostname();
            List<ServerObject> holders = env.inventory().query(Query.where("intern_ip", address));
            Optional<ServerObject> other = holders.stream()
                    .filter(o -> o.objectId() != vm.vm().objectId())
                    .findFirst();
            if (other.isPresent()) {
                throw new ConflictException(
                        address + " is already the address of " + other.get().hostname());
            }
            List<String> served = vm.hypervisor().strings("vlan_networks");
            ServerObject changedVm = vm.vm().with("intern_ip", address).with("route_network", networkName);
            GuestAddressFile file = new GuestAddressFile(
                    address, network.prefix().prefixLength(), network.object().string(GATEWAY));
            if (!served.contains(networkName)) {
                if (!request.migrate()) {
                    throw new RefusedException(vm.hypervisorName() + " does not serve route network " + networkName
                            + " (it serves " + String.join(", ", served) + "); " + address + " cannot be "
                            + vm.hostname() + "'s address there (add --migrate to move it to one that does)");
                }
                return migrateWithAddress(op, vm, changedVm, file, old, request);
            }
            DomainInfo domain = StartVm.requireDomain(env, vm);
            VolumeInfo volume = new DomainDefinitions(env).volume(vm);
            if (domain.isRunning()) {
                ResourceAgreement.require(vm.vm(), domain, volume);
            }
            op.checkpoint();
            VmPlacement changed = new VmPlacement(changedVm, vm.hypervisor());
            new Redefinition(env).run(op, changed, domain, volume, () -> writeAddress(op, vm, volume, file));
            if (domain.isRunning() && !StartVm.requireDomain(env, vm).isRunning()) {
                throw new OperationFailedException(vm.hostname() + " is not running after its redefinition");
            }
            env.inventory()
                    .commit(Commit.of(ObjectChange.set(vm.vm().objectId(), "intern_ip", old, address)
                            .and("route_network", vm.vm().get("route_network"), networkName)));
            op.transaction().commit();
            log.info("{}: intern_ip {} -> {} ({})", vm.hostname(), old, address, networkName);
            return new ChangeResult(
                    vm.hostname(),
                    "intern_ip",
                    String.valueOf(old),
                    address,
                    domain.isRunning() ? "offline" : "stopped",
                    List.of());
        });
    }

    /**
     * Moves the VM offline to a hypervisor that serves the new network, in this operation's
     * transaction: placement sees the VM with its new network, the address goes into the moved
     * disk on the target, and the inventory commits address, network and hypervisor together.
     */
    private ChangeResult migrateWithAddress(
            RunningOperation op,
            VmPlacement vm,
            ServerObject changedVm,
            GuestAddressFile file,
            String old,
            ChangeAddressRequest request) {
        if (migrate == null) {
            throw new RefusedException("change-address --migrate needs igvm's migration, which this igvm does not"
                    + " offer (no transports); change " + vm.hostname() + "'s address on a hypervisor that serves "
                    + changedVm.string("route_network"));
        }
        MigrateRequest move = MigrateRequest.builder(vm.hostname())
                .offline(true)
                .diskTransport(request.diskTransport())
                .hypervisorQuery(request.hypervisorQuery())
                .build();
        MigrationAmendment amendment = new MigrationAmendment(
                changedVm,
                (hv, volume) -> writeAddress(op, hv, vm.hostname(), volume, file, false),
                Map.of(
                        "intern_ip", new AttributeUpdate.Set(old, changedVm.string("intern_ip")),
                        "route_network",
                                new AttributeUpdate.Set(
                                        vm.vm().get("route_network"), changedVm.string("route_network"))));
        MigrationResult moved = migrate.runWithin(op, vm, move, amendment);
        log.info(
                "{}: intern_ip {} -> {} ({}), moved from {} to {}",
                vm.hostname(),
                old,
                changedVm.string("intern_ip"),
                changedVm.string("route_network"),
                moved.source(),
                moved.target());
        return new ChangeResult(
                vm.hostname(),
                "intern_ip",
                String.valueOf(old),
                changedVm.string("intern_ip"),
                "offline, migrated from " + moved.source() + " to " + moved.target() + " with " + moved.transport(),
                moved.warnings());
    }

    /** Writes the address file into the stopped VM's disk; the undo puts the old one back. */
    private void writeAddress(RunningOperation op, VmPlacement vm, VolumeInfo volume, GuestAddressFile file) {
        writeAddress(op, vm.hypervisorName(), vm.hostname(), volume, file, true);
    }

    /**
     * Writes the address file into a stopped disk on {@code hv}; with {@code restoreOld}, the undo
     * puts the old one back (a moved disk's copy goes with its volume instead).
     */
    private void writeAddress(
            RunningOperation op,
            String hv,
            String hostname,
            VolumeInfo volume,
            GuestAddressFile file,
            boolean restoreOld) {
        try (MountedVolume mounted = MountedVolume.mount(env.shells(), hv, volume.path())) {
            op.transaction().onRollback("unmount " + volume.name() + " on " + hv, mounted::close);
            VmFiles files = mounted.files();
            if (!restoreOld) {
                files.put(file.content(), GuestAddressFile.PATH, 0644);
                return;
            }
            byte[] before = files.run(ShellCommand.of("test", "-e", GuestAddressFile.PATH))
                            .succeeded()
                    ? files.get(GuestAddressFile.PATH)
                    : null;
            op.transaction().onRollback("put the old address file back into " + hostname, () -> {
                if (mounted.isMounted()) {
                    restore(mounted.files(), before);
                    return;
                }
                try (MountedVolume again = MountedVolume.mount(env.shells(), hv, volume.path())) {
                    restore(again.files(), before);
                }
            });
            files.put(file.content(), GuestAddressFile.PATH, 0644);
        }
    }

    private static void restore(VmFiles files, byte[] before) {
        if (before == null) {
            files.check(ShellCommand.of("rm", "-f", GuestAddressFile.PATH));
        } else {
            files.put(before, GuestAddressFile.PATH, 0644);
        }
    }

    /** The route network holding the address: the one named, else the narrowest that contains it. */
    private Network network(IpNetwork ip, String address, String named) {
        List<ServerObject> networks = env.inventory().query(Query.where("servertype", "route_network"));
        if (named != null) {
            ServerObject object = networks.stream()
                    .filter(n -> n.hostname().equals(named))
                    .findFirst()
                    .orElseThrow(() -> new NotFoundException("unknown route network " + named + "; known: "
                            + String.join(
                                    ", ",
                                    networks.stream()
                                            .map(ServerObject::hostname)
                                            .sorted()
                                            .toList())));
            return prefixes(object).stream()
                    .filter(p -> p.contains(ip))
                    .findFirst()
                    .map(p -> new Network(object, p))
                    .orElseThrow(() -> new InvalidInputException(address + " is not in route network " + named + " ("
                            + String.join(", ", texts(object)) + ")"));
        }
        return networks.stream()
                .flatMap(n -> prefixes(n).stream().filter(p -> p.contains(ip)).map(p -> new Network(n, p)))
                .max(Comparator.comparingInt(n -> n.prefix().prefixLength()))
                .orElseThrow(() -> new InvalidInputException(address + " is in no route network of the inventory"
                        + " (known: "
                        + String.join(
                                ", ",
                                networks.stream()
                                        .map(n -> n.hostname() + " " + String.join(" ", texts(n)))
                                        .sorted()
                                        .toList())
                        + ")"));
    }

    private static List<IpNetwork> prefixes(ServerObject network) {
        return texts(network).stream()
                .map(IpNetwork::parseOrNull)
                .filter(p -> p != null)
                .toList();
    }

    private static List<String> texts(ServerObject network) {
        return java.util.stream.Stream.of(network.string("ipv4"), network.string("ipv6"))
                .filter(t -> t != null && !t.isEmpty())
                .toList();
    }

    private static String canonicalOrSame(String text) {
        IpNetwork parsed = IpNetwork.parseOrNull(text);
        return parsed == null ? text : canonical(parsed);
    }

    private static String canonical(IpNetwork ip) {
        try {
            return InetAddress.getByAddress(ip.address()).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + ip.address().length + " bytes", e);
        }
    }
}
