package org.igvm.adapters.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestFleetFile {
    /** examples/fleet.yaml at the repository root (tests run in adapters-inventory/). */
    static final Path EXAMPLE = Path.of("..", "examples", "fleet.yaml");

    @TempDir
    Path directory;

    private JdbcInventory inventory;

    @BeforeEach
    void open() {
        inventory = new JdbcInventory(InventoryConfig.sqlite(directory.resolve("a.db")));
    }

    @AfterEach
    void close() {
        inventory.close();
    }

    private int importExample(JdbcInventory target, boolean replace) throws IOException {
        try (Reader reader = Files.newBufferedReader(EXAMPLE)) {
            return FleetFile.importInto(target, reader, replace);
        }
    }

    private static String export(JdbcInventory source) {
        StringWriter out = new StringWriter();
        FleetFile.export(source, out);
        return out.toString();
    }

    @Test
    void exampleFleetImports() throws IOException {
        assertThat(importExample(inventory, false)).isEqualTo(7);
        assertThat(inventory.query(new Query(Map.of())))
                .extracting(ServerObject::hostname)
                .containsExactly(
                        "db01.example.net",
                        "hv01.example.net",
                        "hv02.example.net",
                        "net-a",
                        "new01.example.net",
                        "web01.example.net",
                        "web02.example.net");
        ServerObject web01 = inventory.get(4242).orElseThrow();
        assertThat(web01.attributes())
                .containsEntry("hypervisor", "hv01.example.net")
                .containsEntry("num_cpu", 2L)
                .containsEntry("memory", 2048L)
                .containsEntry("disk_size_gib", 10L)
                .containsEntry("intern_ip", "10.20.30.40")
                .containsEntry("route_network", "net-a")
                .containsEntry("function", "web")
                .containsEntry("project", "alpha")
                .containsEntry("io_weight", "default")
                .containsEntry("puppet_master", "puppet.example.net")
                .containsEntry("puppet_ca", "puppet.example.net")
                .containsEntry("mac", List.of());
        ServerObject db01 = inventory.get(4243).orElseThrow();
        assertThat(db01.get("num_cpu")).isEqualTo(4L);
        assertThat(db01.get("memory")).isEqualTo(4096L);
        assertThat(db01.get("disk_size_gib")).isEqualTo(20L);
        assertThat(db01.get("function")).isEqualTo("db");
        assertThat(inventory.get(4244).orElseThrow().get("hypervisor")).isEqualTo("hv02.example.net");
        assertThat(inventory.get(4250).orElseThrow().get("hypervisor")).isNull();
        assertThat(inventory.get(4250).orElseThrow().get("intern_ip")).isEqualTo("10.20.30.50");
        ServerObject hv01 = inventory.get(1001).orElseThrow();
        assertThat(hv01.attributes())
                .containsEntry("num_cpu", 16L)
                .containsEntry("libvirt_memory_total_gib", 8L)
                .containsEntry("libvirt_pool_total_gib", 100L)
                .containsEntry("hardware_model", "Dell_R640")
                .containsEntry("intern_ip", "10.0.0.11")
                .containsEntry("vlan_networks", List.of("net-a"));
        assertThat(inventory.get(1002).orElseThrow().get("intern_ip")).isEqualTo("10.0.0.12");
        ServerObject net = inventory.get(2001).orElseThrow();
        assertThat(net.get("ipv4")).isEqualTo("10.20.30.0/24");
        assertThat(net.get("vlan_tag")).isEqualTo(100L);
    }

    @Test
    void exportOrdersByServertypeThenHostnameAndRoundTrips() throws IOException {
        importExample(inventory, false);
        String ts = "2024-05-01 12:00:00+0000";
        inventory.commit(Commit.of(ObjectChange.set(4242, "igvm_locked", null, ts)
                .and("igvm_locked_by", null, "alice@admin01 pid 1234")
                .and("puppet_disabled", null, true)
                .and("sshfp", List.of(), List.of("1 1 abc", "1 2 def"))));
        String exported = export(inventory);
        assertThat(exported)
                .startsWith(
                        "objects:\n  - object_id: 1001\n    servertype: hypervisor\n    hostname: hv01.example.net\n")
                .contains("    vlan_networks: [net-a]\n", "    mac: []\n", "    sshfp: [1 1 abc, 1 2 def]\n")
                .doesNotContain("&id", "*id");
        assertThat(exported.indexOf("hostname: hv01.example.net"))
                .isLessThan(exported.indexOf("hostname: hv02.example.net"));
        assertThat(exported.indexOf("hostname: hv02.example.net")).isLessThan(exported.indexOf("hostname: net-a"));
        assertThat(exported.indexOf("hostname: net-a")).isLessThan(exported.indexOf("hostname: db01.example.net"));
        assertThat(exported.indexOf("hostname: db01.example.net"))
                .isLessThan(exported.indexOf("hostname: new01.example.net"));

        try (JdbcInventory copy = new JdbcInventory(InventoryConfig.sqlite(directory.resolve("b.db")))) {
            assertThat(FleetFile.importInto(copy, new StringReader(exported), false))
                    .isEqualTo(7);
            assertThat(export(copy)).isEqualTo(exported);
            assertThat(copy.query(new Query(Map.of()))).isEqualTo(inventory.query(new Query(Map.of())));
            assertThat(copy.get(4242).orElseThrow().get("igvm_locked")).isEqualTo(ts);
        }
    }

    @Test
    void importingAnExistingObjectNamesItAndWritesNothing() throws IOException {
        importExample(inventory, false);
        inventory.commit(Commit.of(ObjectChange.set(4242, "num_cpu", 2L, 6L)));
        String clash = "objects:\n"
                + "  - {object_id: 5000, servertype: vm, hostname: fresh.example.net, state: online}\n"
                + "  - {object_id: 4242, servertype: vm, hostname: web01.example.net, state: online, num_cpu: 3}\n";
        assertThatThrownBy(() -> FleetFile.importInto(inventory, new StringReader(clash), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("web01.example.net (object_id 4242)")
                .hasMessageContaining("replace");
        assertThat(inventory.get(5000)).isEmpty();
        assertThat(inventory.get(4242).orElseThrow().get("num_cpu")).isEqualTo(6L);
    }

    @Test
    void importingWithReplaceReplacesExistingObjects() throws IOException {
        importExample(inventory, false);
        inventory.commit(Commit.of(ObjectChange.set(4242, "num_cpu", 2L, 6L)));
        assertThat(importExample(inventory, true)).isEqualTo(7);
        assertThat(inventory.get(4242).orElseThrow().get("num_cpu")).isEqualTo(2L);
        assertThat(inventory.query(new Query(Map.of()))).hasSize(7);
    }

    @Test
    void malformedFleetFilesAreInvalidInput() {
        assertThatThrownBy(() -> FleetFile.importInto(inventory, new StringReader("hosts: []"), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("objects:");
        assertThatThrownBy(() -> FleetFile.importInto(inventory, new StringReader("objects: [\n"), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("fleet file is not valid YAML");
        assertThatThrownBy(() -> FleetFile.importInto(
                        inventory,
                        new StringReader("objects:\n  - {servertype: vm, hostname: a.example.net, colour: red}\n"),
                        false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("unknown attribute 'colour' for servertype vm");
        assertThat(inventory.query(new Query(Map.of()))).isEmpty();
    }

    @Test
    void aFleetFileBeyondSnakeYamlsDocumentLimitImportsInOneCommit() {
        StringBuilder yaml = new StringBuilder("objects:\n");
        yaml.append("  - {object_id: 1, servertype: hypervisor, hostname: hv1.example.net, state: online}\n");
        int vms = 40_000; // ~4 MB, beyond the 3 MB the whole-document loader accepted
        for (int i = 0; i < vms; i++) {
            yaml.append("  - object_id: ")
                    .append(100 + i)
                    .append("\n    servertype: vm\n    hostname: vm")
                    .append(i)
                    .append(".example.net\n    hypervisor: hv1.example.net\n    num_cpu: 2\n")
                    .append("    memory: 2048\n    state: online\n    mac: []\n    environment: production\n");
        }
        assertThat(yaml.length()).isGreaterThan(3 * 1024 * 1024);
        assertThat(FleetFile.importInto(inventory, new StringReader(yaml.toString()), false))
                .isEqualTo(vms + 1);
        assertThat(inventory.get(100 + vms - 1).orElseThrow().attributes())
                .containsEntry("hostname", "vm" + (vms - 1) + ".example.net")
                .containsEntry("num_cpu", 2L)
                .containsEntry("hypervisor", "hv1.example.net");
        assertThat(inventory.totals(Query.where("servertype", "vm"), List.of("hypervisor"), List.of("memory")))
                .singleElement()
                .satisfies(g -> {
                    assertThat(g.count()).isEqualTo(vms);
                    assertThat(g.sum(0)).isEqualTo(2048L * vms);
                });
    }

    @Test
    void duplicatesInTheFileAndBrokenRelationsAreOneLineAndWriteNothing() {
        String twice = "objects:\n  - {servertype: vm, hostname: a.example.net, state: online}\n"
                + "  - {servertype: vm, hostname: a.example.net, state: online}\n";
        assertThatThrownBy(() -> FleetFile.importInto(inventory, new StringReader(twice), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("fleet file has the hostname a.example.net twice; hostnames must be unique");
        String sameId = "objects:\n  - {object_id: 7, servertype: vm, hostname: a.example.net}\n"
                + "  - {object_id: 7, servertype: vm, hostname: b.example.net}\n";
        assertThatThrownBy(() -> FleetFile.importInto(inventory, new StringReader(sameId), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("object_id 7 to both a.example.net and b.example.net");
        String key = "objects:\n  - {servertype: vm, hostname: a.example.net, num_cpu: 1, num_cpu: 2}\n";
        assertThatThrownBy(() -> FleetFile.importInto(inventory, new StringReader(key), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("key 'num_cpu' twice");
        String broken = "objects:\n  - {servertype: vm, hostname: a.example.net, hypervisor: nowhere.example.net}\n";
        assertThatThrownBy(() -> FleetFile.importInto(inventory, new StringReader(broken), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a.example.net.hypervisor names nowhere.example.net, which does not exist")
                .hasMessageContaining("nothing was imported");
        String twoDocuments = "objects: []\n---\nobjects: []\n";
        assertThatThrownBy(() -> FleetFile.importInto(inventory, new StringReader(twoDocuments), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("more than one YAML document");
        assertThat(inventory.query(new Query(Map.of()))).isEmpty();
    }
}
