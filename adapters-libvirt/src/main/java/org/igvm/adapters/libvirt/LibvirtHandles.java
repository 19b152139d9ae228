package org.igvm.adapters.libvirt;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scopes libvirt-java's domain, pool and volume handles to the call that uses them and frees them
 * right after. Left to libvirt-java's finalizers, a handle can be freed on the finalizer thread
 * while a native call still runs on it (the JIT may drop the last reference to the Java object
 * before the call returns), which crashes the JVM; freeing it here keeps it reachable until then
 * and leaves the finalizer nothing to do.
 */
final class LibvirtHandles {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtHandles.class);

    /** A call on one handle. */
    @FunctionalInterface
    interface HandleCall<H, T> {
        T apply(H handle) throws LibvirtException;
    }

    private LibvirtHandles() {}

    /** Runs the call on the named domain, then frees its handle. */
    static <T> T withDomain(Connect c, String name, HandleCall<Domain, T> call) throws LibvirtException {
        Domain d = c.domainLookupByName(name);
        try {
            return call.apply(d);
        } finally {
            free(d);
        }
    }

    /** Runs the call on the named storage pool, then frees its handle. */
    static <T> T withPool(Connect c, String name, HandleCall<StoragePool, T> call) throws LibvirtException {
        StoragePool p = c.storagePoolLookupByName(name);
        try {
            return call.apply(p);
        } finally {
            free(p);
        }
    }

    /** Runs the call on the named volume of a pool, then frees its handle. */
    static <T> T withVolume(StoragePool p, String name, HandleCall<StorageVol, T> call) throws LibvirtException {
        StorageVol v = p.storageVolLookupByName(name);
        try {
            return call.apply(v);
        } finally {
            free(v);
        }
    }

    static void free(Domain d) {
        if (d == null) {
            return;
        }
        try {
            d.free();
        } catch (LibvirtException e) {
            LOG.debug("freeing a domain handle failed: {}", e.getMessage());
        }
    }

    static void free(Iterable<Domain> domains) {
        for (Domain d : domains) {
            free(d);
        }
    }

    static void free(Domain[] domains) {
        for (Domain d : domains) {
            free(d);
        }
    }

    static void free(StoragePool p) {
        try {
            p.free();
        } catch (LibvirtException e) {
            LOG.debug("freeing a storage pool handle failed: {}", e.getMessage());
        }
    }

    static void free(StorageVol v) {
        if (v == null) {
            return;
        }
        try {
            v.free();
        } catch (LibvirtException e) {
            LOG.debug("freeing a volume handle failed: {}", e.getMessage());
        }
    }
}
