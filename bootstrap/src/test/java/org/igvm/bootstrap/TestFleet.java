package org.igvm.bootstrap;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.igvm.adapters.inventory.FleetFile;
import org.igvm.domain.hypervisor.DomainInfo;
import org.igvm.domain.hypervisor.HypervisorPort;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;

/**
 * The example fleet ({@code examples/fleet.yaml}) in a fresh SQLite inventory, its hypervisors on
 * libvirt's test driver ({@code examples/testdriver/}): what the command tests run against.
 */
final class TestFleet implements AutoCloseable {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    final IgvmRuntime runtime;

    private TestFleet(IgvmRuntime runtime) {
        this.runtime = runtime;
    }

    /** A runtime over a new inventory in {@code dir}; {@code uriOverrides} replace hypervisor URIs. */
    static TestFleet create(Path dir, Map<String, String> uriOverrides) throws Exception {
        Files.createDirectories(dir);
        Map<String, Object> uris = new LinkedHashMap<>();
        uris.put("hv01.example.net", "test://" + EXAMPLES.resolve("testdriver/hv01.xml"));
        uris.put("hv02.example.net", "test://" + EXAMPLES.resolve("testdriver/hv02.xml"));
        uris.putAll(uriOverrides);
        IgvmConfig config = IgvmConfig.parse(
                Map.of(
                        "inventory", Map.of("url", "jdbc:sqlite:" + dir.resolve("inventory.db")),
                        "libvirt", Map.of("hypervisors", uris),
                        "site", Map.of("shutdown_timeout_seconds", 5)),
                "test config");
        IgvmRuntime runtime = IgvmRuntime.start(config);
        try (Reader fleet = Files.newBufferedReader(EXAMPLES.resolve("fleet.yaml"))) {
            FleetFile.importInto(runtime.inventory(), fleet, false);
        }
        return new TestFleet(runtime);
    }

    InventoryPort inventory() {
        return runtime.inventory();
    }

    HypervisorPort hypervisors() {
        return runtime.injector().getInstance(HypervisorPort.class);
    }

    ServerObject object(String hostname) {
        return inventory().query(Query.where("hostname", hostname)).stream()
                .findFirst()
                .orElseThrow(() -> new AssertionError(hostname + " is not in the inventory"));
    }

    boolean exists(String hostname) {
        return !inventory().query(Query.where("hostname", hostname)).isEmpty();
    }

    void set(String hostname, String attribute, Object value) {
        ServerObject o = object(hostname);
        inventory().commit(Commit.of(ObjectChange.set(o.objectId(), attribute, o.get(attribute), value)));
    }

    DomainInfo domain(String hypervisor, long objectId) {
        return hypervisors()
                .findDomain(hypervisor, objectId)
                .orElseThrow(() -> new AssertionError("no domain for " + objectId + " on " + hypervisor));
    }

    @Override
    public void close() {
        runtime.close();
    }
}
