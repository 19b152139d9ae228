package org.igvm.adapters.libvirt;

import static org.igvm.adapters.libvirt.XmlDocuments.child;
import static org.igvm.adapters.libvirt.XmlDocuments.textChild;

import com.google.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.DomainSpec;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.igvm.domain.spi.hypervisor.HypervisorFacts;
import org.igvm.domain.spi.hypervisor.HypervisorPort;
import org.igvm.domain.spi.hypervisor.LiveMigrationOptions;
import org.igvm.domain.spi.hypervisor.MigrationJob;
import org.igvm.domain.spi.hypervisor.StoragePoolInfo;
import org.igvm.domain.spi.hypervisor.VolumeInfo;
import org.igvm.domain.vm.UidName;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainJobStats;
import org.libvirt.Error.ErrorDomain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.StorageVol;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@link HypervisorPort} over libvirt-java: one shared connection per hypervisor. Reads are run
 * again after a dropped connection; changes are not (see {@link HypervisorConnections}).
 */
public final class LibvirtHypervisor implements HypervisorPort, AutoCloseable {
    /** virDomainXMLFlags: SECURE | INACTIVE — the full persistent definition, to restore it. */
    private static final int XML_SECURE_INACTIVE = 1 | 2;

    private static final Duration START_WAIT = Duration.ofSeconds(30);

    private final HypervisorConnections connections;
    private final LibvirtConfig config;
    private final DomainXmlRenderer renderer = new DomainXmlRenderer();

    @Inject
    public LibvirtHypervisor(LibvirtConfig config) {
        this.config = config;
        this.connections = new HypervisorConnections(config);
    }

    @Override
    public HypervisorFacts facts(String hypervisor) {
        return run(hypervisor, "read the node facts", c -> {
            NodeInfo node = c.nodeInfo();
            return new HypervisorFacts(
                    hypervisor,
                    node.cpus,
                    node.memory / 1024,
                    freeMemoryMiB(c),
                    HostNumaTopology.parse(c.getCapabilities()),
                    c.getLibVersion());
        });
    }

    @Override
    public List<DomainInfo> domains(String hypervisor) {
        return run(hypervisor, "list the domains", c -> {
            Domain[] all = c.listAllDomains(0);
            try {
                List<DomainInfo> infos = new ArrayList<>();
                for (Domain d : all) {
                    infos.add(describe(d));
                }
                return infos;
            } finally {
                LibvirtHandles.free(all);
            }
        });
    }

    @Override
    public Optional<DomainInfo> findDomain(String hypervisor, long objectId) {
        return run(hypervisor, "look up the domain of object " + objectId, c -> {
            Domain[] all = c.listAllDomains(0);
            try {
                List<Domain> matches = new ArrayList<>();
                for (Domain d : all) {
                    if (UidName.belongsTo(d.getName(), objectId)) {
                        matches.add(d);
                    }
                }
                if (matches.size() > 1) {
                    throw duplicates(hypervisor, "domains", objectId, names(matches));
                }
                return matches.isEmpty() ? Optional.empty() : Optional.of(describe(matches.get(0)));
            } finally {
                LibvirtHandles.free(all);
            }
        });
    }

    @Override
    public void define(String hypervisor, DomainSpec spec) {
        change(hypervisor, "define domain " + spec.name(), c -> {
            // A redefinition keeps the domain's UUID; libvirt refuses a new one for an existing name.
            Optional<Domain> existing = existingDomain(c, spec.name());
            UUID uuid;
            try {
                uuid = existing.map(d -> uuidOf(d)).orElseGet(UUID::randomUUID);
            } finally {
                existing.ifPresent(LibvirtHandles::free);
            }
            LibvirtHandles.free(c.domainDefineXML(renderer.render(spec, uuid)));
            return null;
        });
    }

    @Override
    public String definitionXml(String hypervisor, String domainName) {
        return run(
                hypervisor,
                "read the definition of domain " + domainName,
                c -> LibvirtHandles.withDomain(c, domainName, d -> d.getXMLDesc(XML_SECURE_INACTIVE)));
    }

    @Override
    public void defineXml(String hypervisor, String xml) {
        String name = nameIn(xml);
        change(hypervisor, "define domain " + name + " from saved XML", c -> {
            LibvirtHandles.free(c.domainDefineXML(xml));
            return null;
        });
    }

    @Override
    public void undefine(String hypervisor, String domainName) {
        change(
                hypervisor,
                "undefine domain " + domainName,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    if (d.isActive() == 1) {
                        throw new OperationFailedException("domain " + domainName + " on " + hypervisor
                                + " is still running; stop it before removing its definition");
                    }
                    d.undefine();
                    return null;
                }));
    }

    @Override
    public void start(String hypervisor, String domainName) {
        change(
                hypervisor,
                "start domain " + domainName,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    // Starting a running domain is done already; libvirt would call it an error.
                    if (d.isActive() != 1) {
                        d.create();
                    }
                    Instant deadline = Instant.now().plus(START_WAIT);
                    while (state(d) != DomainState.RUNNING) {
                        if (Instant.now().isAfter(deadline)) {
                            throw new OperationFailedException("domain " + domainName + " on " + hypervisor
                                    + " did not reach state running within " + START_WAIT.toSeconds() + " s (it is "
                                    + state(d).name().toLowerCase(java.util.Locale.ROOT) + ")");
                        }
                        pause();
                    }
                    return null;
                }));
    }

    @Override
    public void shutdown(String hypervisor, String domainName) {
        change(
                hypervisor,
                "shut down domain " + domainName,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    d.shutdown();
                    return null;
                }));
    }

    @Override
    public void destroy(String hypervisor, String domainName) {
        change(
                hypervisor,
                "power off domain " + domainName,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    // Powering off a domain that is already off is done, not an error (rollbacks rely on it).
                    if (d.isActive() == 1) {
                        d.destroy();
                    }
                    return null;
                }));
    }

    @Override
    public StoragePoolInfo pool(String hypervisor, String pool) {
        return run(
                hypervisor,
                "read storage pool " + pool,
                c -> LibvirtHandles.withPool(c, pool, p -> {
                    p.refresh(0);
                    org.libvirt.StoragePoolInfo info = p.getInfo();
                    String type = XmlDocuments.parse(p.getXMLDesc(0))
                            .getDocumentElement()
                            .getAttribute("type");
                    return new StoragePoolInfo(pool, type, info.capacity, info.available);
                }));
    }

    @Override
    public void refreshPool(String hypervisor, String pool) {
        // Idempotent: may run again after a dropped connection.
        run(
                hypervisor,
                "refresh storage pool " + pool,
                c -> LibvirtHandles.withPool(c, pool, p -> {
                    p.refresh(0);
                    return null;
                }));
    }

    @Override
    public Optional<VolumeInfo> findVolume(String hypervisor, String pool, long objectId) {
        return run(
                hypervisor,
                "look up the volume of object " + objectId + " in pool " + pool,
                c -> LibvirtHandles.withPool(c, pool, p -> {
                    List<String> matches = new ArrayList<>();
                    for (String name : p.listVolumes()) {
                        if (UidName.belongsTo(name, objectId)) {
                            matches.add(name);
                        }
                    }
                    if (matches.size() > 1) {
                        throw duplicates(hypervisor, "volumes in pool " + pool, objectId, matches);
                    }
                    return matches.isEmpty()
                            ? Optional.empty()
                            : Optional.of(LibvirtHandles.withVolume(p, matches.get(0), LibvirtHypervisor::volumeInfo));
                }));
    }

    @Override
    public VolumeInfo createVolume(String hypervisor, String pool, String name, long capacityBytes) {
        return change(
                hypervisor,
                "create volume " + name + " of " + capacityBytes + " bytes in pool " + pool,
                c -> LibvirtHandles.withPool(c, pool, p -> {
                    String type = XmlDocuments.parse(p.getXMLDesc(0))
                            .getDocumentElement()
                            .getAttribute("type");
                    StorageVol created = p.storageVolCreateXML(rawVolumeXml(name, capacityBytes, type), 0);
                    try {
                        return volumeInfo(created);
                    } finally {
                        LibvirtHandles.free(created);
                    }
                }));
    }

    @Override
    public void deleteVolume(String hypervisor, String pool, String name) {
        change(
                hypervisor,
                "delete volume " + name + " in pool " + pool,
                c -> LibvirtHandles.withPool(
                        c,
                        pool,
                        p -> LibvirtHandles.withVolume(p, name, v -> {
                            v.delete(0);
                            return null;
                        })));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Direct (igvm drives it): {@code virDomainMigrate3} from the source connection to igvm's own
     * connection to the target, so no URI beyond igvm's configuration is needed. Peer-to-peer:
     * {@code virDomainMigrateToURI3} with the options' URI, or else the URI igvm uses for the target
     * (which the source's libvirtd must then reach as well). The maximum downtime is set on the
     * source domain first ({@code virDomainMigrateSetMaxDowntime}).
     */
    @Override
    public void migrateLive(
            String sourceHypervisor, String domainName, String targetHypervisor, LiveMigrationOptions options) {
        String action = "live-migrate domain " + domainName + " to " + targetHypervisor;
        change(
                sourceHypervisor,
                action,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    if (options.maxDowntime() != null) {
                        d.migrateSetMaxDowntime(options.maxDowntime().toMillis());
                    }
                    long flags = LiveMigrations.flags(options);
                    org.libvirt.TypedParameter[] params = LiveMigrations.parameters(options);
                    if (options.peerToPeer()) {
                        String uri =
                                options.targetUri().isEmpty() ? config.uriFor(targetHypervisor) : options.targetUri();
                        d.migrateToURI(uri, params, (int) flags);
                    } else {
                        LibvirtHandles.free(d.migrate(connections.connection(targetHypervisor), params, flags));
                    }
                    return null;
                }));
    }

    @Override
    public MigrationJob migrationJob(String hypervisor, String domainName) {
        return run(
                hypervisor,
                "read the job statistics of domain " + domainName,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    if (d.isActive() != 1) {
                        return MigrationJob.none();
                    }
                    DomainJobStats stats = d.getJobStats(0);
                    return LiveMigrations.job(stats.type, LiveMigrations.numbers(stats.stats));
                }));
    }

    @Override
    public Optional<MigrationJob> completedMigrationJob(String hypervisor, String domainName) {
        return run(hypervisor, "read the completed job statistics of domain " + domainName, c -> {
            Optional<Domain> d = existingDomain(c, domainName);
            if (d.isEmpty()) {
                return Optional.empty();
            }
            try {
                DomainJobStats stats =
                        d.get().getJobStats(Domain.GetJobStatsFlags.COMPLETED | Domain.GetJobStatsFlags.KEEP_COMPLETED);
                MigrationJob job = LiveMigrations.job(stats.type, LiveMigrations.numbers(stats.stats));
                return job.type() == MigrationJob.Type.NONE ? Optional.empty() : Optional.of(job);
            } finally {
                LibvirtHandles.free(d.get());
            }
        });
    }

    @Override
    public void abortMigration(String hypervisor, String domainName) {
        change(
                hypervisor,
                "abort the migration of domain " + domainName,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    if (d.isActive() != 1) {
                        return null;
                    }
                    try {
                        d.abortJob();
                    } catch (LibvirtException e) {
                        // No job (it ended meanwhile) is what the caller wants.
                        if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_OPERATION_INVALID) {
                            return null;
                        }
                        throw e;
                    }
                    return null;
                }));
    }

    @Override
    public List<DomainSpec.VcpuPin> vcpuPinning(String hypervisor, String domainName) {
        return run(
                hypervisor,
                "read the vCPU pinning of domain " + domainName,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    int vcpus = d.getInfo().nrVirtCpu;
                    int mapLength = d.cpuMapLength(c.nodeInfo().maxCpus());
                    int[] maps = d.getVcpusCpuMaps();
                    List<DomainSpec.VcpuPin> pins = new ArrayList<>();
                    for (int v = 0; v < vcpus && (v + 1) * mapLength <= maps.length; v++) {
                        pins.add(new DomainSpec.VcpuPin(v, LiveMigrations.cpuset(maps, v * mapLength, mapLength)));
                    }
                    return pins;
                }));
    }

    @Override
    public void pinVcpus(String hypervisor, String domainName, List<DomainSpec.VcpuPin> pins) {
        change(
                hypervisor,
                "pin the vCPUs of domain " + domainName,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    int hostCpus = c.nodeInfo().maxCpus();
                    for (DomainSpec.VcpuPin pin : pins) {
                        d.pinVcpu(pin.vcpu(), LiveMigrations.cpumap(pin.cpuset(), hostCpus));
                    }
                    return null;
                }));
    }

    @Override
    public void setVcpus(String hypervisor, String domainName, int count) {
        change(
                hypervisor,
                "set the vCPUs of domain " + domainName + " to " + count,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    d.setVcpusFlags(count, affected(d));
                    return null;
                }));
    }

    @Override
    public void attachMemory(String hypervisor, String domainName, int guestNode, long sizeMiB) {
        change(
                hypervisor,
                "hot-plug " + sizeMiB + " MiB into NUMA cell " + guestNode + " of domain " + domainName,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    d.attachDeviceFlags(dimmXml(guestNode, sizeMiB), affected(d));
                    return null;
                }));
    }

    @Override
    public void detachMemory(String hypervisor, String domainName, int guestNode, long sizeMiB) {
        change(
                hypervisor,
                "unplug " + sizeMiB + " MiB from NUMA cell " + guestNode + " of domain " + domainName,
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    d.detachDeviceFlags(dimmXml(guestNode, sizeMiB), affected(d));
                    return null;
                }));
    }

    @Override
    public VolumeInfo resizeVolume(String hypervisor, String pool, String volume, long capacityBytes) {
        return change(
                hypervisor,
                "resize volume " + volume + " in pool " + pool + " to " + capacityBytes + " bytes",
                c -> LibvirtHandles.withPool(
                        c,
                        pool,
                        p -> LibvirtHandles.withVolume(p, volume, v -> {
                            boolean shrink = capacityBytes < v.getInfo().capacity;
                            v.resize(capacityBytes, shrink ? StorageVol.ResizeFlags.SHRINK : 0);
                            return volumeInfo(v);
                        })));
    }

    @Override
    public void resizeDisk(String hypervisor, String domainName, String target, long capacityBytes) {
        change(
                hypervisor,
                "resize disk " + target + " of domain " + domainName + " to " + capacityBytes + " bytes",
                c -> LibvirtHandles.withDomain(c, domainName, d -> {
                    d.blockResize(target, capacityBytes, Domain.BlockResizeFlags.BYTES);
                    return null;
                }));
    }

    /** virDomainModificationImpact: the running domain and its persistent definition, or only the latter. */
    private static int affected(Domain d) throws LibvirtException {
        int live = 1;
        int config = 2;
        return d.isActive() == 1 ? live | config : config;
    }

    static String dimmXml(int guestNode, long sizeMiB) {
        Document doc = XmlDocuments.newDocument();
        Element memory = child(doc, "memory", "model", "dimm");
        Element target = child(memory, "target");
        textChild(target, "size", Long.toString(sizeMiB), "unit", "MiB");
        textChild(target, "node", Integer.toString(guestNode));
        return XmlDocuments.print(doc);
    }

    /** Closes every hypervisor connection. */
    @Override
    public void close() {
        connections.close();
    }

    /** The live connection to a hypervisor, for tests that read libvirt state beside the port. */
    Connect connection(String hypervisor) {
        return connections.connection(hypervisor);
    }

    /** A call that changes nothing: run again on a fresh connection if the connection drops. */
    private <T> T run(String hypervisor, String action, LibvirtCall<T> call) {
        try {
            return connections.read(hypervisor, call);
        } catch (LibvirtException e) {
            throw new OperationFailedException(
                    "libvirt on " + hypervisor + " could not " + action + ": " + LibvirtMessages.reason(e), e);
        }
    }

    /** A call that changes the hypervisor: never run twice, its effect is unknown after a drop. */
    private <T> T change(String hypervisor, String action, LibvirtCall<T> call) {
        try {
            return connections.change(hypervisor, action, call);
        } catch (LibvirtException e) {
            throw new OperationFailedException(
                    "libvirt on " + hypervisor + " could not " + action + ": " + LibvirtMessages.reason(e), e);
        }
    }

    private static long freeMemoryMiB(Connect c) throws LibvirtException {
        try {
            return c.getFreeMemory() / (1024 * 1024);
        } catch (LibvirtException e) {
            // libvirt-java takes 0 bytes free for a failure; with no libvirt error behind it, 0 is the answer
            // (the test driver reports 0 for node files).
            if (e.getError() != null && e.getError().getDomain() == ErrorDomain.VIR_FROM_NONE) {
                return 0;
            }
            throw e;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationFailedException("interrupted while waiting for a domain to start", e);
        }
    }

    private static DomainInfo describe(Domain d) throws LibvirtException {
        return DomainInfoReader.read(d.getXMLDesc(0), state(d));
    }

    private static DomainState state(Domain d) throws LibvirtException {
        // libvirt-java's constants are libvirt's names with a VIR_DOMAIN_ prefix.
        return DomainState.valueOf(d.getInfo().state.name().substring("VIR_DOMAIN_".length()));
    }

    private static Optional<Domain> existingDomain(Connect c, String name) throws LibvirtException {
        try {
            return Optional.of(c.domainLookupByName(name));
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static final java.util.Set<String> FILE_POOL_TYPES = java.util.Set.of("dir", "fs", "netfs");

    private static UUID uuidOf(Domain d) {
        try {
            return UUID.fromString(d.getUUIDString());
        } catch (LibvirtException e) {
            throw new IllegalStateException("libvirt gave no UUID for an existing domain", e);
        }
    }

    private static VolumeInfo volumeInfo(StorageVol v) throws LibvirtException {
        return new VolumeInfo(v.getName(), v.getPath(), v.getInfo().capacity);
    }

    static String rawVolumeXml(String name, long capacityBytes, String poolType) {
        Document doc = XmlDocuments.newDocument();
        Element volume = child(doc, "volume");
        textChild(volume, "name", name);
        // In a directory pool a volume starts as a sparse file (a copied-in disk stays sparse). Elsewhere
        // no <allocation>: it defaults to the capacity, so LVM makes a plain (not a sparse snapshot) LV.
        if (FILE_POOL_TYPES.contains(poolType)) {
            textChild(volume, "allocation", "0", "unit", "bytes");
        }
        textChild(volume, "capacity", Long.toString(capacityBytes), "unit", "bytes");
        Element target = child(volume, "target");
        child(target, "format", "type", "raw");
        return XmlDocuments.print(doc);
    }

    private static List<String> names(List<Domain> domains) throws LibvirtException {
        List<String> names = new ArrayList<>();
        for (Domain d : domains) {
            names.add(d.getName());
        }
        return names;
    }

    private static OperationFailedException duplicates(
            String hypervisor, String what, long objectId, List<String> names) {
        return new OperationFailedException("hypervisor " + hypervisor + " has several " + what + " for object id "
                + objectId + ": " + String.join(" and ", names) + "; remove or rename the stale one");
    }

    private static String nameIn(String domainXml) {
        Element name = XmlDocuments.directChild(XmlDocuments.parse(domainXml).getDocumentElement(), "name");
        return name == null ? "(unnamed)" : name.getTextContent().trim();
    }
}
