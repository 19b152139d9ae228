package org.igvm.adapters.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.igvm.api.UnreachableException;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One libvirt connection per hypervisor, opened on first use and shared by all threads (libvirt
 * connections are thread-safe). A {@link #read read} that fails because the connection dropped
 * runs once more on a fresh connection; a {@link #change change} does not, since running it twice
 * could do it twice: it fails saying that its effect is unknown, so that the operation rolls back.
 */
final class HypervisorConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HypervisorConnections.class);

    /** Errors libvirt reports when the transport to the daemon is gone. */
    private static final Set<ErrorNumber> CONNECTION_LOST = Set.of(
            ErrorNumber.VIR_ERR_SYSTEM_ERROR,
            ErrorNumber.VIR_ERR_NO_CONNECT,
            ErrorNumber.VIR_ERR_RPC,
            ErrorNumber.VIR_ERR_INVALID_CONN);

    private final LibvirtConfig config;
    private final ConcurrentMap<String, Slot> slots = new ConcurrentHashMap<>();

    /** Guards one hypervisor's connection so that only one thread opens it. */
    private static final class Slot {
        private Connect connection;
    }

    HypervisorConnections(LibvirtConfig config) {
        this.config = config;
    }

    /**
     * Runs a call that changes nothing (a lookup, a list, a state or definition read) on the
     * hypervisor's connection, reconnecting and running it once more if the connection dropped.
     */
    <T> T read(String hypervisor, LibvirtCall<T> call) throws LibvirtException {
        Connect connection = connection(hypervisor);
        try {
            return call.apply(connection);
        } catch (LibvirtException e) {
            if (!isConnectionLost(e, connection)) {
                throw e;
            }
            LOG.warn("connection to {} lost ({}); reconnecting once", hypervisor, e.getMessage());
            return call.apply(reconnect(hypervisor, connection));
        }
    }

    /**
     * Runs a call that changes the hypervisor (define, start, destroy, create or delete a volume…)
     * once. When the connection drops under it, the next call gets a fresh connection, and this one
     * fails with an {@link UnreachableException}: connection to HYPERVISOR dropped during ACTION; its
     * effect is unknown.
     */
    <T> T change(String hypervisor, String action, LibvirtCall<T> call) throws LibvirtException {
        Connect connection = connection(hypervisor);
        try {
            return call.apply(connection);
        } catch (LibvirtException e) {
            if (!isConnectionLost(e, connection)) {
                throw e;
            }
            forget(hypervisor, connection);
            throw new UnreachableException(
                    "connection to " + hypervisor + " dropped during " + action + "; its effect is unknown", e);
        }
    }

    /** Drops a broken connection so that the next call opens a fresh one. */
    private void forget(String hypervisor, Connect broken) {
        Slot slot = slots.computeIfAbsent(hypervisor, h -> new Slot());
        synchronized (slot) {
            if (slot.connection == broken) {
                closeQuietly(hypervisor, broken);
                slot.connection = null;
            }
        }
    }

    /** The open connection to the hypervisor, opening it if there is none. */
    Connect connection(String hypervisor) {
        Slot slot = slots.computeIfAbsent(hypervisor, h -> new Slot());
        synchronized (slot) {
            if (slot.connection == null || !isOpen(slot.connection)) {
                slot.connection = open(hypervisor);
            }
            return slot.connection;
        }
    }

    private Connect reconnect(String hypervisor, Connect broken) {
        Slot slot = slots.computeIfAbsent(hypervisor, h -> new Slot());
        synchronized (slot) {
            // Another thread may have replaced the broken connection already.
            if (slot.connection == broken || slot.connection == null) {
                closeQuietly(hypervisor, broken);
                slot.connection = open(hypervisor);
            }
            return slot.connection;
        }
    }

    private Connect open(String hypervisor) {
        String uri = config.uriFor(hypervisor);
        LibvirtLibrary.require();
        try {
            LOG.debug("connecting to {} at {}", hypervisor, uri);
            return new Connect(uri);
        } catch (LibvirtException e) {
            throw new UnreachableException(
                    "hypervisor " + hypervisor + " is unreachable (" + uri + "): " + LibvirtMessages.reason(e)
                            + "; check that libvirtd runs there and the URI in the igvm config",
                    e);
        }
    }

    private static boolean isConnectionLost(LibvirtException e, Connect connection) {
        if (e.getError() != null && CONNECTION_LOST.contains(e.getError().getCode())) {
            return true;
        }
        return !isOpen(connection);
    }

    private static boolean isOpen(Connect connection) {
        try {
            return connection.isConnected() && connection.isAlive();
        } catch (LibvirtException e) {
            return false;
        }
    }

    @Override
    public void close() {
        List<String> hypervisors = new ArrayList<>(slots.keySet());
        for (String hypervisor : hypervisors) {
            Slot slot = slots.remove(hypervisor);
            if (slot == null) {
                continue;
            }
            synchronized (slot) {
                if (slot.connection != null) {
                    closeQuietly(hypervisor, slot.connection);
                    slot.connection = null;
                }
            }
        }
    }

    private static void closeQuietly(String hypervisor, Connect connection) {
        try {
            if (connection.isConnected()) {
                connection.close();
            }
        } catch (LibvirtException e) {
            // Closing a dead connection fails; there is nothing left to release.
            LOG.debug("closing the connection to {} failed: {}", hypervisor, e.getMessage());
        }
    }
}
