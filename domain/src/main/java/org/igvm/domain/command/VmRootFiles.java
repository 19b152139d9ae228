package org.igvm.domain.command;

import java.util.ArrayList;
import java.util.List;
import org.igvm.api.InvalidInputException;
import org.igvm.api.NotFoundException;
import org.igvm.domain.build.GuestRootFiles;
import org.igvm.domain.inventory.IpNetwork;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;

/** A VM's root files from the inventory: its names, its address and its route network's prefix and gateway. */
final class VmRootFiles {
    private VmRootFiles() {}

    /**
     * @param who what needs the files, for the errors ("a build", "a rename")
     */
    static GuestRootFiles of(CommandEnvironment env, ServerObject vm, String who) {
        String address = vm.string("intern_ip");
        if (address == null || address.isEmpty()) {
            throw new InvalidInputException(vm.hostname() + " has no intern_ip; " + who + " needs its address");
        }
        String networkName = vm.string("route_network");
        if (networkName == null || networkName.isEmpty()) {
            throw new InvalidInputException(vm.hostname() + " has no route_network; " + who + " needs its network");
        }
        ServerObject network =
                env.inventory().query(Query.where("hostname", networkName).and("servertype", "route_network")).stream()
                        .findFirst()
                        .orElseThrow(() -> new NotFoundException(
                                vm.hostname() + "'s route network " + networkName + " is not in the inventory"));
        IpNetwork ip = IpNetwork.parseOrNull(address);
        List<String> prefixes = new ArrayList<>();
        for (String attribute : List.of("ipv4", "ipv6")) {
            String text = network.string(attribute);
            if (text == null || text.isEmpty()) {
                continue;
            }
            prefixes.add(text);
            IpNetwork prefix = IpNetwork.parseOrNull(text);
            if (prefix != null && ip != null && prefix.contains(ip)) {
                return new GuestRootFiles(
                        vm.hostname(), address, prefix.prefixLength(), network.string(ChangeAddress.GATEWAY));
            }
        }
        throw new InvalidInputException(vm.hostname() + "'s intern_ip " + address + " is not in its route network "
                + networkName + " (" + String.join(", ", prefixes) + ")");
    }
}
