package org.igvm.adapters.libvirt;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/** One unit of work on a hypervisor's connection; it may run twice if the connection drops. */
@FunctionalInterface
interface LibvirtCall<T> {
    T apply(Connect connection) throws LibvirtException;
}
