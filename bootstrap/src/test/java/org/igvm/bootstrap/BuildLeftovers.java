package org.igvm.bootstrap;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;

/**
 * Everything a failed or refused build must leave as it was: the VM's domain and volume on both
 * hypervisors, the VM's and the hypervisors' inventory objects (locks included), and on the hosts
 * every mount, bind mount, temporary directory, held flock, partial download and the VM's Puppet
 * certificate.
 */
record BuildLeftovers(
        Optional<DomainInfo> domainOnHv1,
        Optional<DomainInfo> domainOnHv2,
        Optional<VolumeInfo> volumeOnHv1,
        Optional<VolumeInfo> volumeOnHv2,
        ServerObject vm,
        ServerObject hv1,
        ServerObject hv2,
        Set<String> mounts,
        Set<String> binds,
        Set<String> tempDirs,
        Set<String> heldLocks,
        List<String> partialDownloads,
        boolean certificate) {
    static BuildLeftovers of(BuildFleet f, String vm, long objectId) {
        return new BuildLeftovers(
                f.domain(BuildFleet.HV1, objectId),
                f.domain(BuildFleet.HV2, objectId),
                f.volume(BuildFleet.HV1, objectId),
                f.volume(BuildFleet.HV2, objectId),
                f.object(vm),
                f.object(BuildFleet.HV1),
                f.object(BuildFleet.HV2),
                new TreeSet<>(f.hosts.mounts.keySet()),
                new TreeSet<>(f.hosts.binds),
                new TreeSet<>(f.hosts.tempDirs),
                new TreeSet<>(f.hosts.heldLocks),
                f.hosts.files.keySet().stream()
                        .filter(p -> p.endsWith(".part"))
                        .sorted()
                        .toList(),
                f.hosts.certificates.contains(vm));
    }
}
