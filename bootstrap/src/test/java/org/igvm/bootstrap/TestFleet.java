package org.igvm.bootstrap;

import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.igvm.adapters.inventory.FleetFile;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.spi.hypervisor.DomainInfo;
import org.igvm.domain.spi.hypervisor.HypervisorPort;

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
        return create(dir, uriOverrides, loopbackOnlySsh(dir));
    }

    /**
     * SSH settings that send every host to a closed port on 127.0.0.1, so a command test that
     * reaches for a VM over SSH fails fast on loopback instead of touching the network.
     */
    static Map<String, Object> loopbackOnlySsh(Path dir) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path clientConfig = dir.resolve("ssh_config");
        Files.createDirectories(dir);
        Files.writeString(clientConfig, "Host *\n    HostName 127.0.0.1\n    Port " + closed + "\n");
        return Map.of(
                "user",
                "root",
                "config_file",
                clientConfig.toString(),
                "known_hosts",
                dir.resolve("known_hosts").toString(),
                "connect_timeout_seconds",
                2);
    }

    /** A runtime over a new inventory in {@code dir} with the given {@code ssh:} settings. */
    static TestFleet create(Path dir, Map<String, String> uriOverrides, Map<String, Object> ssh) throws Exception {
        Files.createDirectories(dir);
        Map<String, Object> uris = new LinkedHashMap<>();
        uris.put("hv01.example.net", "test://" + EXAMPLES.resolve("testdriver/hv01.xml"));
        uris.put("hv02.example.net", "test://" + EXAMPLES.resolve("testdriver/hv02.xml"));
        uris.putAll(uriOverrides);
        IgvmConfig config = IgvmConfig.parse(
                Map.of(
                        "inventory", Map.of("url", "jdbc:sqlite:" + dir.resolve("inventory.db")),
                        "libvirt", Map.of("hypervisors", uris),
                        "site", Map.of("shutdown_timeout_seconds", 5),
                        "ssh", ssh),
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
