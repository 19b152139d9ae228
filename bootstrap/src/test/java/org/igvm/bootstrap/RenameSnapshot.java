package org.igvm.bootstrap;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.igvm.domain.build.GuestRootFiles;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.VolumeInfo;

/**
 * What a failed, refused or cancelled rename must leave as it was: the VM's domain (its name,
 * definition and state) and volume on its hypervisor, every domain's name there, the VM's and
 * the hypervisor's inventory objects (locks included), the name files in the guest, the CA's
 * certificates, and on the hypervisor every mount, bind mount and temporary directory.
 */
record RenameSnapshot(
        String domainName,
        String definition,
        DomainState state,
        Optional<VolumeInfo> volume,
        List<String> domainNames,
        ServerObject vm,
        ServerObject hypervisor,
        List<String> nameFiles,
        Set<String> certificates,
        Set<String> mounts,
        Set<String> binds,
        Set<String> tempDirs) {
    static RenameSnapshot of(BuildFleet f, String hv, long objectId) {
        DomainInfo d = f.domain(hv, objectId).orElseThrow();
        Optional<VolumeInfo> volume = f.volume(hv, objectId);
        ServerObject vm = f.fleet.inventory().get(objectId).orElseThrow();
        String path = volume.map(VolumeInfo::path).orElse("none");
        return new RenameSnapshot(
                d.name(),
                f.hypervisors().definitionXml(hv, d.name()),
                d.state(),
                volume,
                f.hypervisors().domains(hv).stream()
                        .map(DomainInfo::name)
                        .sorted()
                        .toList(),
                vm,
                f.object(hv),
                List.of(GuestRootFiles.HOSTNAME, GuestRootFiles.MAILNAME, GuestRootFiles.HOSTS).stream()
                        .map(file -> file + ": " + f.hosts.volumeFile(path, file))
                        .toList(),
                new TreeSet<>(f.hosts.certificates),
                new TreeSet<>(f.hosts.mounts.keySet()),
                new TreeSet<>(f.hosts.binds),
                new TreeSet<>(f.hosts.tempDirs));
    }
}
