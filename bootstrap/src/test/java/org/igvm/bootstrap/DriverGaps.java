package org.igvm.bootstrap;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.VolumeInfo;

/**
 * libvirt's test driver with what it lacks (it has no memory hot-plug, no volume resize, no block
 * resize): those calls are recorded here, and the reads of domains and volumes show their effect,
 * as libvirt would. Everything else goes to the test driver. A call named in {@link #failing}
 * fails like a refusing libvirt.
 */
final class DriverGaps {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, Long> addedMemoryMiB = new ConcurrentHashMap<>();
    final Map<String, Long> volumeBytes = new ConcurrentHashMap<>();
    final Map<String, Long> diskBytes = new ConcurrentHashMap<>();
    volatile String failing;

    private final HypervisorPort real;

    DriverGaps(HypervisorPort real) {
        this.real = real;
    }

    HypervisorPort port() {
        return (HypervisorPort) Proxy.newProxyInstance(
                HypervisorPort.class.getClassLoader(),
                new Class<?>[] {HypervisorPort.class},
                (p, m, args) -> invoke(m, args));
    }

    private Object invoke(Method m, Object[] args) throws Throwable {
        String name = m.getName();
        if (name.equals(failing)) {
            throw new OperationFailedException("libvirt on " + args[0] + " could not " + name + ": injected failure");
        }
        switch (name) {
            case "attachMemory" -> {
                calls.add(name + " " + args[1] + " cell " + args[2] + " " + args[3] + " MiB");
                addedMemoryMiB.merge(args[0] + "/" + args[1], (Long) args[3], Long::sum);
                return null;
            }
            case "detachMemory" -> {
                calls.add(name + " " + args[1] + " cell " + args[2] + " " + args[3] + " MiB");
                addedMemoryMiB.merge(args[0] + "/" + args[1], -(Long) args[3], Long::sum);
                return null;
            }
            case "resizeVolume" -> {
                calls.add(name + " " + args[2] + " " + args[3]);
                volumeBytes.put(args[0] + "/" + args[1] + "/" + args[2], (Long) args[3]);
                String volume = (String) args[2];
                long id = Long.parseLong(volume.substring(0, volume.indexOf('_')));
                return real.findVolume((String) args[0], (String) args[1], id)
                        .map(v -> adjusted((String) args[0], (String) args[1], v))
                        .orElseThrow();
            }
            case "resizeDisk" -> {
                calls.add(name + " " + args[1] + " " + args[2] + " " + args[3]);
                diskBytes.put(args[0] + "/" + args[1], (Long) args[3]);
                return null;
            }
            case "define" -> {
                // A definition from the inventory holds all the memory: no modules any more.
                addedMemoryMiB.remove(args[0] + "/" + ((DomainSpec) args[1]).name());
                return call(m, args);
            }
            case "findDomain" -> {
                @SuppressWarnings("unchecked")
                Optional<DomainInfo> d = (Optional<DomainInfo>) call(m, args);
                return d.map(info -> adjusted((String) args[0], info));
            }
            case "domains" -> {
                @SuppressWarnings("unchecked")
                List<DomainInfo> ds = (List<DomainInfo>) call(m, args);
                return ds.stream().map(info -> adjusted((String) args[0], info)).toList();
            }
            case "findVolume" -> {
                @SuppressWarnings("unchecked")
                Optional<VolumeInfo> v = (Optional<VolumeInfo>) call(m, args);
                return v.map(info -> adjusted((String) args[0], (String) args[1], info));
            }
            default -> {
                return call(m, args);
            }
        }
    }

    private DomainInfo adjusted(String hv, DomainInfo d) {
        long added = addedMemoryMiB.getOrDefault(hv + "/" + d.name(), 0L);
        return new DomainInfo(
                d.name(), d.uuid(), d.state(), d.vcpus(), d.maxVcpus(), d.memoryMiB() + added, d.maxMemoryMiB());
    }

    private VolumeInfo adjusted(String hv, String pool, VolumeInfo v) {
        Long bytes = volumeBytes.get(hv + "/" + pool + "/" + v.name());
        return bytes == null ? v : new VolumeInfo(v.name(), v.path(), bytes);
    }

    private Object call(Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
