package org.igvm.domain.vm;

import java.util.List;
import org.igvm.api.NotFoundException;
import org.igvm.domain.inventory.Filter;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.shell.SuggestedCommand;

/**
 * Finds inventory objects by the names operators type (spec §1): a full hostname, or a short name
 * that exactly one hostname starts with followed by a dot.
 */
public final class VmLookup {
    private final InventoryPort inventory;

    public VmLookup(InventoryPort inventory) {
        this.inventory = inventory;
    }

    public ServerObject vm(String name) {
        return byName(name, "vm", "VM");
    }

    public ServerObject hypervisor(String name) {
        return byName(name, "hypervisor", "hypervisor");
    }

    /** Any object by name, whatever its servertype. */
    public ServerObject object(String name) {
        return byName(name, null, "object");
    }

    private ServerObject byName(String name, String servertype, String kind) {
        Query query = Query.of("hostname", new Filter.StartsWith(name));
        if (servertype != null) {
            query = query.and("servertype", servertype);
        }
        List<ServerObject> candidates = inventory.query(query);
        for (ServerObject o : candidates) {
            if (o.hostname().equals(name)) {
                return o;
            }
        }
        List<ServerObject> matches = candidates.stream()
                .filter(o -> o.hostname().startsWith(name + "."))
                .toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new NotFoundException("no " + kind + " named '" + name
                    + "' in the inventory; check the name with: "
                    + SuggestedCommand.queryHostnamesContaining(name));
        }
        throw new NotFoundException("'" + name + "' matches several " + kind + "s: "
                + String.join(", ", matches.stream().map(ServerObject::hostname).toList())
                + "; give the full hostname");
    }
}
