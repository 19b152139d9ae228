package org.igvm.adapters.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.igvm.api.ConflictException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.NotFoundException;
import org.igvm.domain.inventory.AttributeRow;
import org.igvm.domain.inventory.AttributeSchema;
import org.igvm.domain.inventory.AttributeUpdate;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.HypervisorLoad;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.QueryParser;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.testing.ChildJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link InventoryPort} backed by a database must do. Subclasses provide a fresh, empty
 * database per test.
 */
abstract class InventoryContract {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);

    protected JdbcInventory inventory;
    private String databaseUrl;

    /** The JDBC URL of a fresh, empty database for this test. */
    protected abstract String freshDatabaseUrl() throws Exception;

    @BeforeEach
    void openInventory() throws Exception {
        databaseUrl = freshDatabaseUrl();
        inventory = new JdbcInventory(InventoryConfig.of(databaseUrl));
    }

    @AfterEach
    void closeInventory() {
        if (inventory != null) {
            inventory.close();
        }
    }

    protected String url() {
        return databaseUrl;
    }

    // ---- fixtures ----

    static Map<String, Object> object(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    static Map<String, Object> vm(long id, String hostname, String hypervisor, long numCpu) {
        Map<String, Object> vm = object(
                "object_id",
                id,
                "servertype",
                "vm",
                "hostname",
                hostname,
                "state",
                "online",
                "num_cpu",
                numCpu,
                "memory",
                2048L,
                "os",
                "bookworm",
                "intern_ip",
                "10.20.30." + (id % 250),
                "route_network",
                "net-a",
                "mac",
                List.of());
        if (hypervisor != null) {
            vm.put("hypervisor", hypervisor);
        }
        return vm;
    }

    /** The route network net-a (10.20.30.0/24, VLAN 100) that the fixtures' VMs and hypervisors name. */
    static Map<String, Object> routeNetworkA() {
        return object(
                "object_id",
                2001L,
                "servertype",
                "route_network",
                "hostname",
                "net-a",
                "state",
                "online",
                "ipv4",
                "10.20.30.0/24",
                "vlan_tag",
                100L);
    }

    /** net-a, hv01, hv02 and the VMs web01 (hv01), db01 (hv01), web02 (hv02), new01 (none). */
    void createFleet() {
        inventory.commit(new Commit(
                List.of(
                        routeNetworkA(),
                        object(
                                "object_id",
                                1001L,
                                "servertype",
                                "hypervisor",
                                "hostname",
                                "hv01.example.net",
                                "state",
                                "online",
                                "num_cpu",
                                16L,
                                "vlan_networks",
                                List.of("net-a")),
                        object(
                                "object_id",
                                1002L,
                                "servertype",
                                "hypervisor",
                                "hostname",
                                "hv02.example.net",
                                "state",
                                "maintenance",
                                "num_cpu",
                                32L,
                                "vlan_networks",
                                List.of("net-a")),
                        vm(4244, "web02.example.net", "hv02.example.net", 2),
                        vm(4242, "web01.example.net", "hv01.example.net", 2),
                        vm(4243, "db01.example.net", "hv01.example.net", 8),
                        vm(4250, "new01.example.net", null, 1)),
                List.of(),
                List.of()));
    }

    List<String> hostnames(String query) {
        return inventory.query(QueryParser.parse(query)).stream()
                .map(ServerObject::hostname)
                .toList();
    }

    ServerObject stored(long id) {
        return inventory.get(id).orElseThrow();
    }

    // ---- reading ----

    @Test
    void getReturnsTheObjectWithTypedValues() {
        createFleet();
        ServerObject web01 = stored(4242);
        assertThat(web01.objectId()).isEqualTo(4242);
        assertThat(web01.hostname()).isEqualTo("web01.example.net");
        assertThat(web01.servertype()).isEqualTo("vm");
        assertThat(web01.get("num_cpu")).isEqualTo(2L);
        assertThat(web01.get("hypervisor")).isEqualTo("hv01.example.net");
        assertThat(web01.get("mac")).isEqualTo(List.of());
        assertThat(web01.get("sshfp")).isEqualTo(List.of());
        assertThat(web01.get("igvm_locked")).isNull();
        assertThat(stored(1001).get("vlan_networks")).isEqualTo(List.of("net-a"));
        assertThat(stored(2001).get("vlan_tag")).isEqualTo(100L);
    }

    @Test
    void getOfAnUnknownIdIsEmpty() {
        createFleet();
        assertThat(inventory.get(999_999)).isEmpty();
    }

    @Test
    void queryOrdersByHostname() {
        createFleet();
        assertThat(hostnames("servertype=vm"))
                .containsExactly("db01.example.net", "new01.example.net", "web01.example.net", "web02.example.net");
        assertThat(hostnames(""))
                .containsExactly(
                        "db01.example.net",
                        "hv01.example.net",
                        "hv02.example.net",
                        "net-a",
                        "new01.example.net",
                        "web01.example.net",
                        "web02.example.net");
    }

    @Test
    void queryWithEachFilterKind() {
        createFleet();
        assertThat(hostnames("web01.example.net")).containsExactly("web01.example.net");
        assertThat(hostnames("web.* servertype=vm")).containsExactly("web01.example.net", "web02.example.net");
        assertThat(hostnames("object_id=4243")).containsExactly("db01.example.net");
        assertThat(hostnames("servertype=vm num_cpu=8")).containsExactly("db01.example.net");
        assertThat(hostnames("state=Any(online maintenance) servertype=hypervisor"))
                .containsExactly("hv01.example.net", "hv02.example.net");
        assertThat(hostnames("servertype=vm num_cpu=All(GreaterThan(1) LessThan(8))"))
                .containsExactly("web01.example.net", "web02.example.net");
        assertThat(hostnames("servertype=hypervisor state=Not(online)")).containsExactly("hv02.example.net");
        assertThat(hostnames("hostname=Regexp(^db|^new)")).containsExactly("db01.example.net", "new01.example.net");
        assertThat(hostnames("hostname=StartsWith(hv)")).containsExactly("hv01.example.net", "hv02.example.net");
        assertThat(hostnames("hostname=Contains(eb0)")).containsExactly("web01.example.net", "web02.example.net");
        assertThat(hostnames("ipv4=Contains(10.20.30.77)")).containsExactly("net-a");
        assertThat(hostnames("ipv4=Contains(10.20.31.1)")).isEmpty();
        assertThat(hostnames("num_cpu=GreaterThan(16)")).containsExactly("hv02.example.net");
        assertThat(hostnames("num_cpu=GreaterThanOrEquals(16)"))
                .containsExactly("hv01.example.net", "hv02.example.net");
        assertThat(hostnames("num_cpu=LessThan(2)")).containsExactly("new01.example.net");
        assertThat(hostnames("num_cpu=LessThanOrEquals(2) servertype=vm"))
                .containsExactly("new01.example.net", "web01.example.net", "web02.example.net");
        assertThat(hostnames("servertype=vm hypervisor=Empty()")).containsExactly("new01.example.net");
        assertThat(hostnames("servertype=vm hypervisor=Not(Empty())"))
                .containsExactly("db01.example.net", "web01.example.net", "web02.example.net");
        assertThat(hostnames("vlan_networks=net-a")).containsExactly("hv01.example.net", "hv02.example.net");
        assertThat(hostnames("hypervisor=hv01.example.net")).containsExactly("db01.example.net", "web01.example.net");
    }

    /** What Query.matches decides on every object: the store's SQL must select exactly that. */
    @Test
    void everyQueryPushedToSqlSelectsWhatTheFiltersMatch() {
        createFleet();
        inventory.commit(Commit.of(ObjectChange.set(4243, "puppet_disabled", null, true)
                .and("sshfp", List.of(), List.of("1 1 abc", "1 2 def"))
                .and("game_world", null, 0L)));
        // Two more VMs: the hypervisors are under a quarter of the objects, so SQLite probes each
        // hypervisor's values for queries on them, and lists values for queries on VMs.
        inventory.commit(new Commit(
                List.of(vm(4251, "web03.example.net", "hv02.example.net", 4), vm(4252, "web04.example.net", null, 2)),
                List.of(),
                List.of()));
        List<ServerObject> all = inventory.query(new Query(Map.of()));
        for (String text : List.of(
                "web01",
                "web01.example.net servertype=vm",
                "hostname=StartsWith(web0)",
                "hostname=StartsWith(w) servertype=Not(hypervisor)",
                "hostname=StartsWith('')",
                "hostname=Not(StartsWith(web))",
                "hostname=Any(web01.example.net StartsWith(hv))",
                "object_id=4243",
                "object_id=GreaterThan(4242)",
                "object_id=Not(Any(4242 4243))",
                "num_cpu=2",
                "num_cpu=Not(2)",
                "num_cpu=Any(2 8)",
                "num_cpu=GreaterThan(2) servertype=vm",
                "num_cpu=LessThanOrEquals(16)",
                "num_cpu=All(GreaterThanOrEquals(2) Not(LessThan(8)))",
                "num_cpu=GreaterThan(1.5)",
                "num_cpu=2.0",
                "num_cpu='2'",
                "puppet_disabled=true",
                "puppet_disabled=Not(true)",
                "puppet_disabled=Empty()",
                "game_world=0",
                "game_world=Empty()",
                "sshfp='1 2 def'",
                "sshfp=Not('1 2 def')",
                "sshfp=Empty()",
                "mac=Empty() servertype=vm",
                "vlan_networks=net-a",
                "vlan_networks=Not(Empty())",
                "hypervisor=Not(Empty()) servertype=vm",
                "hypervisor=Empty()",
                "hypervisor=StartsWith(hv0)",
                "hypervisor=Not(StartsWith(hv01))",
                "state=Any(online maintenance)",
                "state=Not(Any(online))",
                "state=Any()",
                "servertype=Empty()",
                "hostname=Not(Empty())",
                "intern_ip=Contains(10.20.30)",
                "hostname=Regexp(^web|^db) num_cpu=Not(8)",
                "ipv4=Contains(10.20.30.77)",
                // Several value equalities: one merged intersection on SQLite.
                "state=online num_cpu=2",
                "state=online num_cpu=2 os=bookworm servertype=vm",
                "state=online os=bookworm hypervisor=hv01.example.net num_cpu=Not(2)",
                "state=online vlan_networks=net-a",
                "state=online num_cpu=2 hostname=Not(web01.example.net)",
                "servertype=hypervisor state=online",
                "servertype=hypervisor vlan_networks=net-a",
                "servertype=hypervisor state=Any(online maintenance) vlan_networks=net-a num_cpu=Not(16)",
                "servertype=hypervisor state=Not(online)",
                "servertype=hypervisor state=online vlan_networks=Empty()")) {
            Query query = QueryParser.parse(text);
            List<String> expected = all.stream()
                    .filter(query::matches)
                    .map(ServerObject::hostname)
                    .toList();
            assertThat(hostnames(text)).as(text).containsExactlyElementsOf(expected);
            assertThat(asMap(inventory.totals(query, List.of("state"), List.of("num_cpu"))))
                    .as("totals of " + text)
                    .isEqualTo(asMap(readingThrough(inventory).totals(query, List.of("state"), List.of("num_cpu"))));
        }
    }

    @Test
    void queryWithAttributesReturnsOnlyThose() {
        createFleet();
        List<ServerObject> found =
                inventory.query(QueryParser.parse("servertype=vm hypervisor=Not(Empty())"), List.of("num_cpu", "mac"));
        assertThat(found)
                .extracting(ServerObject::hostname)
                .containsExactly("db01.example.net", "web01.example.net", "web02.example.net");
        assertThat(found.get(0).objectId()).isEqualTo(4243);
        assertThat(found.get(0).attributes())
                .containsOnlyKeys("hostname", "servertype", "num_cpu", "mac")
                .containsEntry("num_cpu", 8L)
                .containsEntry("mac", List.of());
        // A filter only Java decides still filters, and its attribute is not returned.
        assertThat(inventory.query(QueryParser.parse("hostname=Regexp(^web) os=Regexp(book)"), List.of("memory")))
                .extracting(ServerObject::attributes)
                .containsExactly(
                        Map.of("hostname", "web01.example.net", "servertype", "vm", "memory", 2048L),
                        Map.of("hostname", "web02.example.net", "servertype", "vm", "memory", 2048L));
        assertThat(inventory.query(QueryParser.parse("servertype=hypervisor"), List.of()))
                .extracting(ServerObject::attributes)
                .containsExactly(
                        Map.of("hostname", "hv01.example.net", "servertype", "hypervisor"),
                        Map.of("hostname", "hv02.example.net", "servertype", "hypervisor"));
    }

    @Test
    void queryOfSingleValuedAttributesReturnsWhatTheWholeObjectsHold() {
        createFleet();
        List<String> names =
                List.of("num_cpu", "memory", "state", "hypervisor", "intern_ip", "ipv4", "object_id", "hostname");
        List<ServerObject> whole = inventory.query(new Query(Map.of()));
        List<ServerObject> some = inventory.query(new Query(Map.of()), names);
        assertThat(some).isEqualTo(whole.stream().map(o -> o.only(names)).toList());
        assertThat(some)
                .filteredOn(o -> o.hostname().equals("web01.example.net"))
                .singleElement()
                .satisfies(o ->
                        assertThat(o.attributes()).containsEntry("num_cpu", 2L).containsKey("hypervisor"));
    }

    @Test
    void totalsCountAndSumPerGroup() {
        createFleet();
        inventory.commit(Commit.of(ObjectChange.set(4244, "state", "online", "retired")));
        Query vms = QueryParser.parse("servertype=vm");
        assertThat(asMap(inventory.totals(vms, List.of("hypervisor", "state"), List.of("num_cpu", "memory"))))
                .containsOnly(
                        Map.entry(java.util.Arrays.asList("hv01.example.net", "online"), List.of(2L, 10L, 4096L)),
                        Map.entry(java.util.Arrays.asList("hv02.example.net", "retired"), List.of(1L, 2L, 2048L)),
                        Map.entry(java.util.Arrays.asList(null, "online"), List.of(1L, 1L, 2048L)));
        // Grouped by nothing: one group; a missing or non-integer value sums 0.
        assertThat(asMap(inventory.totals(new Query(Map.of()), List.of(), List.of("vlan_tag", "os"))))
                .containsOnly(Map.entry(List.of(), List.of(7L, 100L, 0L)));
        assertThat(asMap(inventory.totals(
                        QueryParser.parse("servertype=vm num_cpu=GreaterThan(100)"), List.of(), List.of("num_cpu"))))
                .isEmpty();
        assertThat(asMap(inventory.totals(
                        QueryParser.parse("hostname=Regexp(^web)"), List.of("servertype"), List.of("num_cpu"))))
                .containsOnly(Map.entry(List.of("vm"), List.of(2L, 4L)));
        assertThat(asMap(inventory.totals(QueryParser.parse("servertype=hypervisor"), List.of("num_cpu"), List.of())))
                .containsOnly(Map.entry(List.of(16L), List.of(1L)), Map.entry(List.of(32L), List.of(1L)));
    }

    private static Map<List<Object>, List<Long>> asMap(List<org.igvm.domain.inventory.GroupTotals> totals) {
        Map<List<Object>, List<Long>> m = new java.util.HashMap<>();
        for (var g : totals) {
            List<Long> counts = new ArrayList<>();
            counts.add(g.count());
            counts.addAll(g.sums());
            assertThat(m.put(g.key(), counts)).as("group " + g.key() + " once").isNull();
        }
        return m;
    }

    private static List<String> describe(List<org.igvm.domain.placement.ScoredCandidate> scored) {
        return scored.stream()
                .map(c -> c.hostname() + " " + c.total() + " " + c.scores() + " " + c.excludedBy())
                .toList();
    }

    /** Placement from the store's totals ranks exactly as placement from every VM loaded. */
    @Test
    void placementFromTotalsRanksAsFromTheVms() {
        List<Map<String, Object>> objects = new ArrayList<>();
        String[] functions = {"web", "db", "jenkins_node", "monitoring-worker"};
        String[] projects = {"alpha", "bravo"};
        for (int h = 0; h < 6; h++) {
            objects.add(object(
                    "object_id",
                    100L + h,
                    "servertype",
                    "hypervisor",
                    "hostname",
                    "hv" + h + ".example.net",
                    "state",
                    "online",
                    "num_cpu",
                    32L + h,
                    "environment",
                    h % 2 == 0 ? "production" : "testing",
                    "hardware_model",
                    "Dell_R640",
                    "cpu_util_pct",
                    10L * h,
                    "iops_avg",
                    5L * h,
                    "cpu_perffactor",
                    1000L,
                    "libvirt_memory_total_gib",
                    256L,
                    "libvirt_pool_total_gib",
                    2000L));
        }
        long id = 1000;
        for (int h = 0; h < 5; h++) {
            for (int v = 0; v < 3 + h; v++) {
                Map<String, Object> vm = object(
                        "object_id",
                        id,
                        "servertype",
                        "vm",
                        "hostname",
                        "vm" + (id++) + ".example.net",
                        "hypervisor",
                        "hv" + h + ".example.net",
                        "state",
                        v == 1 ? "retired" : "online",
                        "num_cpu",
                        1L + v % 4,
                        "memory",
                        1024L * (1 + v % 3),
                        "disk_size_gib",
                        10L * (1 + v % 2),
                        "environment",
                        "production",
                        "function",
                        functions[(v + h) % 4],
                        "project",
                        projects[v % 2],
                        "game_market",
                        "de",
                        "game_world",
                        (long) (v % 2),
                        "load_99",
                        100L * v);
                if (v % 3 == 2) {
                    vm.remove("project"); // empty values group too
                }
                objects.add(vm);
            }
        }
        for (String function : functions) {
            objects.add(object(
                    "object_id",
                    id,
                    "servertype",
                    "vm",
                    "hostname",
                    "subject-" + function,
                    "hypervisor",
                    "hv0.example.net",
                    "state",
                    "online",
                    "num_cpu",
                    2L,
                    "memory",
                    2048L,
                    "disk_size_gib",
                    20L,
                    "environment",
                    "production",
                    "function",
                    function,
                    "project",
                    "alpha",
                    "game_market",
                    "de",
                    "game_world",
                    0L,
                    "load_99",
                    500L));
            id++;
        }
        inventory.commit(new Commit(objects, List.of(), List.of()));
        var preferences = org.igvm.domain.placement.DefaultPreferences.list();
        var engine = new org.igvm.domain.placement.PlacementEngine(preferences);
        List<ServerObject> hypervisors = inventory.query(QueryParser.parse("servertype=hypervisor"));
        for (String function : functions) {
            ServerObject vm =
                    inventory.query(QueryParser.parse("subject-" + function)).get(0);
            var data = new org.igvm.domain.placement.InventoryPlacementData(
                    inventory,
                    org.igvm.domain.placement.GroupingAttributes.of(preferences),
                    Instant.parse("2024-05-01T12:00:00Z"),
                    Duration.ofHours(24));
            var subjectVm = data.vm(vm);
            var fromVms = data.candidates(hypervisors);
            var fromTotals = data.candidatesFromTotals(hypervisors, subjectVm, preferences);
            var byVms = engine.rank(
                    new org.igvm.domain.placement.PlacementSubject(subjectVm, fromVms.get(0), data.grouping()),
                    fromVms,
                    true);
            var byTotals = engine.rank(
                    new org.igvm.domain.placement.PlacementSubject(subjectVm, fromTotals.get(0), data.grouping()),
                    fromTotals,
                    true);
            assertThat(describe(byTotals.ranked())).as(function).isEqualTo(describe(byVms.ranked()));
            assertThat(describe(byTotals.excluded())).as(function).isEqualTo(describe(byVms.excluded()));
            assertThat(fromTotals)
                    .extracting(c -> c.vmNumCpu() + "/" + c.vmMemoryMiB() + "/" + c.vmDiskGiB())
                    .isEqualTo(fromVms.stream()
                            .map(c -> c.vmNumCpu() + "/" + c.vmMemoryMiB() + "/" + c.vmDiskGiB())
                            .toList());
        }
    }

    // ---- committing ----

    @Test
    void commitCreatesWithGivenOrNewIdsAndReturnsIncreasingCommitIds() {
        createFleet();
        long first = inventory.commit(new Commit(
                List.of(object("servertype", "vm", "hostname", "auto01.example.net", "state", "online")),
                List.of(),
                List.of()));
        ServerObject auto =
                inventory.query(Query.where("hostname", "auto01.example.net")).get(0);
        assertThat(auto.objectId()).isEqualTo(4251);
        assertThat(auto.state()).isEqualTo("online");
        long second = inventory.commit(Commit.of(ObjectChange.set(auto.objectId(), "state", "online", "maintenance")));
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void commitChangesValues() {
        createFleet();
        inventory.commit(Commit.of(ObjectChange.set(4242, "num_cpu", 2L, 4L)
                .and("state", "online", "maintenance")
                .and("hypervisor", "hv01.example.net", "hv02.example.net")
                .and("puppet_disabled", null, true)));
        ServerObject web01 = stored(4242);
        assertThat(web01.get("num_cpu")).isEqualTo(4L);
        assertThat(web01.state()).isEqualTo("maintenance");
        assertThat(web01.get("hypervisor")).isEqualTo("hv02.example.net");
        assertThat(web01.get("puppet_disabled")).isEqualTo(true);
        inventory.commit(Commit.of(ObjectChange.set(4242, "hypervisor", "hv02.example.net", null)));
        assertThat(stored(4242).get("hypervisor")).isNull();
    }

    @Test
    void commitDeletes() {
        createFleet();
        inventory.commit(Commit.deleting(4250));
        assertThat(inventory.get(4250)).isEmpty();
        assertThat(hostnames("servertype=vm")).hasSize(3);
    }

    @Test
    void deletingAMissingObjectFailsAndWritesNothing() {
        createFleet();
        assertThatThrownBy(() -> inventory.commit(new Commit(
                        List.of(), List.of(ObjectChange.set(4242, "state", "online", "maintenance")), List.of(777L))))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("777");
        assertThat(stored(4242).state()).isEqualTo("online");
    }

    @Test
    void multiValuedAddAndRemove() {
        createFleet();
        inventory.commit(Commit.of(new ObjectChange(
                4242,
                Map.of(
                        "mac",
                        new AttributeUpdate.Multi(List.of("ca:fe:01:00:10:92", "ca:fe:01:00:10:93"), List.of())))));
        assertThat(stored(4242).get("mac")).isEqualTo(List.of("ca:fe:01:00:10:92", "ca:fe:01:00:10:93"));
        inventory.commit(Commit.of(new ObjectChange(
                4242,
                Map.of("mac", new AttributeUpdate.Multi(List.of("ca:fe:01:00:10:94"), List.of("ca:fe:01:00:10:92"))))));
        assertThat(stored(4242).get("mac")).isEqualTo(List.of("ca:fe:01:00:10:93", "ca:fe:01:00:10:94"));
        inventory.commit(Commit.of(new ObjectChange(
                1001,
                Map.of(
                        "igvm_migration_log",
                        new AttributeUpdate.Multi(List.of("1700000000 +12", "1700000060 -3"), List.of())))));
        assertThat(stored(1001).get("igvm_migration_log")).isEqualTo(List.of("1700000000 +12", "1700000060 -3"));
    }

    @Test
    void multiOnASingleValuedAttributeIsRejected() {
        createFleet();
        assertThatThrownBy(() -> inventory.commit(Commit.of(
                        new ObjectChange(4242, Map.of("os", new AttributeUpdate.Multi(List.of("x"), List.of()))))))
                .isInstanceOf(InvalidInputException.class);
        assertThat(stored(4242).get("os")).isEqualTo("bookworm");
    }

    @Test
    void conflictLeavesEverythingUnchanged() {
        createFleet();
        Commit stale = new Commit(
                List.of(object("servertype", "vm", "hostname", "extra.example.net")),
                List.of(
                        ObjectChange.set(4243, "num_cpu", 8L, 16L),
                        ObjectChange.set(4242, "state", "maintenance", "online")),
                List.of(4250L));
        assertThatThrownBy(() -> inventory.commit(stale))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("newer data: web01.example.net.state is now online, not maintenance");
        assertThat(stored(4243).get("num_cpu")).isEqualTo(8L);
        assertThat(stored(4242).state()).isEqualTo("online");
        assertThat(inventory.get(4250)).isPresent();
        assertThat(hostnames("extra.example.net")).isEmpty();
    }

    @Test
    void conflictOnEmptyOldValueNamesIt() {
        createFleet();
        String ts = AttributeSchema.timestamp(Instant.parse("2024-05-01T12:00:00Z"));
        inventory.commit(Commit.of(ObjectChange.set(4242, "igvm_locked", null, ts)));
        assertThatThrownBy(() -> inventory.commit(Commit.of(ObjectChange.set(4242, "igvm_locked", null, ts))))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("web01.example.net.igvm_locked is now 2024-05-01 12:00:00+0000, not empty");
        inventory.commit(Commit.of(ObjectChange.set(4242, "igvm_locked", ts, null)));
        assertThat(stored(4242).get("igvm_locked")).isNull();
    }

    @Test
    void unknownAttributeIsRejectedAndNothingWritten() {
        createFleet();
        Commit commit = new Commit(
                List.of(object("servertype", "vm", "hostname", "extra.example.net")),
                List.of(ObjectChange.set(4242, "state", "online", "maintenance").and("colour", null, "blue")),
                List.of());
        assertThatThrownBy(() -> inventory.commit(commit))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("unknown attribute 'colour' for servertype vm; known: ");
        assertThat(stored(4242).state()).isEqualTo("online");
        assertThat(hostnames("extra.example.net")).isEmpty();
    }

    @Test
    void wrongTypeIsRejectedAndNothingWritten() {
        createFleet();
        assertThatThrownBy(() -> inventory.commit(Commit.of(
                        ObjectChange.set(4242, "state", "online", "maintenance").and("num_cpu", 2L, "many"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid value 'many' for attribute num_cpu of servertype vm: expected integer");
        assertThat(stored(4242).state()).isEqualTo("online");
        assertThatThrownBy(() -> inventory.commit(new Commit(
                        List.of(object("servertype", "vm", "hostname", "x.example.net", "intern_ip", "nope")),
                        List.of(),
                        List.of())))
                .isInstanceOf(InvalidInputException.class);
        assertThat(hostnames("x.example.net")).isEmpty();
    }

    @Test
    void duplicateHostnameOrIdIsRejected() {
        createFleet();
        assertThatThrownBy(() -> inventory.commit(new Commit(
                        List.of(object("servertype", "vm", "hostname", "web01.example.net")), List.of(), List.of())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("web01.example.net");
        assertThatThrownBy(() -> inventory.commit(new Commit(
                        List.of(object("object_id", 4242L, "servertype", "vm", "hostname", "other.example.net")),
                        List.of(),
                        List.of())))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("object_id 4242 already belongs to web01.example.net");
        assertThat(hostnames("servertype=vm")).hasSize(4);
    }

    @Test
    void relationsMustNameExistingObjectsOfTheRightServertype() {
        createFleet();
        assertThatThrownBy(() -> inventory.commit(
                        Commit.of(ObjectChange.set(4242, "hypervisor", "hv01.example.net", "hv99.example.net"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("web01.example.net.hypervisor names hv99.example.net, which does not exist");
        assertThatThrownBy(() -> inventory.commit(
                        Commit.of(ObjectChange.set(4242, "hypervisor", "hv01.example.net", "db01.example.net"))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("a vm, not a hypervisor");
        assertThatThrownBy(() -> inventory.commit(Commit.deleting(1002)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("web02.example.net.hypervisor names hv02.example.net");
        assertThat(stored(4242).get("hypervisor")).isEqualTo("hv01.example.net");
        assertThat(inventory.get(1002)).isPresent();
    }

    @Test
    void renamingAnObjectKeepsRelationsToIt() {
        createFleet();
        inventory.commit(Commit.of(ObjectChange.set(1001, "hostname", "hv01.example.net", "hv11.example.net")));
        assertThat(stored(1001).hostname()).isEqualTo("hv11.example.net");
        assertThat(hostnames("hypervisor=hv11.example.net")).containsExactly("db01.example.net", "web01.example.net");
        assertThatThrownBy(() -> inventory.commit(
                        Commit.of(ObjectChange.set(1001, "hostname", "hv11.example.net", "hv02.example.net"))))
                .isInstanceOf(InvalidInputException.class);
    }

    // ---- hypervisor loads ----

    /** A port that only reads objects through the store: the interface's own totals and loads, in Java. */
    static InventoryPort readingThrough(InventoryPort store) {
        return new InventoryPort() {
            @Override
            public List<ServerObject> query(Query query) {
                return store.query(query);
            }

            @Override
            public java.util.Optional<ServerObject> get(long objectId) {
                return store.get(objectId);
            }

            @Override
            public long commit(Commit commit) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {}
        };
    }

    /** A VM on the hypervisor with these numbers; a null state or disk is left out. */
    static Map<String, Object> loadedVm(long id, String hypervisor, String state, long numCpu, long memory, Long disk) {
        Map<String, Object> vm = vm(id, "vm" + id + ".example.net", hypervisor, numCpu);
        vm.put("memory", memory);
        if (state == null) {
            vm.remove("state");
        } else {
            vm.put("state", state);
        }
        if (disk != null) {
            vm.put("disk_size_gib", disk);
        }
        return vm;
    }

    /** The stored loads as (hypervisor, state) → [vms, num_cpu, memory, disk_size_gib]; each group once. */
    private Map<List<Object>, List<Long>> storedLoads() {
        Map<List<Object>, List<Long>> m = new java.util.HashMap<>();
        for (HypervisorLoad load : inventory.hypervisorLoads()) {
            List<Object> key = java.util.Arrays.asList(load.hypervisor(), load.state());
            assertThat(m.put(key, List.of(load.vms(), load.numCpu(), load.memory(), load.diskSizeGib())))
                    .as("group " + key + " once")
                    .isNull();
        }
        return m;
    }

    /** The same numbers added up in Java from every VM loaded: what the stored loads must equal. */
    private Map<List<Object>, List<Long>> loadsOfTheVms() {
        Map<List<Object>, long[]> sums = new java.util.HashMap<>();
        for (ServerObject vm : inventory.query(QueryParser.parse("servertype=vm"))) {
            if (vm.get("hypervisor") instanceof String hypervisor) {
                long[] acc =
                        sums.computeIfAbsent(java.util.Arrays.asList(hypervisor, vm.get("state")), k -> new long[4]);
                acc[0]++;
                acc[1] += vm.integer("num_cpu", 0);
                acc[2] += vm.integer("memory", 0);
                acc[3] += vm.integer("disk_size_gib", 0);
            }
        }
        Map<List<Object>, List<Long>> m = new java.util.HashMap<>();
        sums.forEach((key, acc) -> m.put(key, List.of(acc[0], acc[1], acc[2], acc[3])));
        return m;
    }

    /** The loads and the object documents (both kept by every write) agree with the stored values. */
    private void assertLoadsExact() {
        assertThat(storedLoads()).isEqualTo(loadsOfTheVms());
        assertDocumentsExact();
    }

    /**
     * Every object has exactly one document, and it holds exactly the object's rows in
     * attribute_values (name, then position order), read here with plain SQL.
     */
    private void assertDocumentsExact() {
        try (var connection = java.sql.DriverManager.getConnection(url());
                var statement = connection.createStatement()) {
            Map<Long, Map<String, List<String>>> values = new TreeMap<>();
            try (var rs = statement.executeQuery("SELECT object_id FROM objects")) {
                while (rs.next()) {
                    values.put(rs.getLong(1), new TreeMap<>());
                }
            }
            try (var rs = statement.executeQuery(
                    "SELECT object_id, name, value_text FROM attribute_values ORDER BY object_id, position")) {
                while (rs.next()) {
                    values.get(rs.getLong(1))
                            .computeIfAbsent(rs.getString(2), n -> new ArrayList<>())
                            .add(rs.getString(3));
                }
            }
            Map<Long, Map<String, List<String>>> documents = new TreeMap<>();
            try (var rs = statement.executeQuery("SELECT object_id, document FROM object_documents")) {
                while (rs.next()) {
                    assertThat(documents.put(rs.getLong(1), ObjectDocument.decode(rs.getString(2))))
                            .as("one document of object " + rs.getLong(1))
                            .isNull();
                }
            }
            assertThat(documents).isEqualTo(values);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void objectDocumentsFollowSetsTextsRenamesAndDeletes() {
        inventory.importObjects(loadFleet().iterator(), false);
        assertDocumentsExact();
        // Texts with the document's own separators and digits, a set of three, a cleared set.
        inventory.commit(Commit.of(
                ObjectChange.set(11, "os", "bookworm", "a=1:b 2:=x")
                        .and("sshfp", List.of(), List.of("1 1 ab=:", "2 2 cd", "3 3 \u00e9\uD83D\uDE00")),
                ObjectChange.set(1001L, "vlan_networks", List.of("net-a"), List.of())));
        assertDocumentsExact();
        assertThat(stored(11).get("os")).isEqualTo("a=1:b 2:=x");
        assertThat(inventory.query(QueryParser.parse("hostname=vm11.example.net"), List.of("sshfp", "os")))
                .singleElement()
                .satisfies(o -> {
                    assertThat(o.strings("sshfp")).containsExactly("1 1 ab=:", "2 2 cd", "3 3 \u00e9\uD83D\uDE00");
                    assertThat(o.get("os")).isEqualTo("a=1:b 2:=x");
                    assertThat(o.get("memory")).isNull();
                });
        // A renamed hypervisor changes the documents of the VMs that name it; a deleted VM has none.
        inventory.commit(Commit.of(ObjectChange.set(1001, "hostname", "hv01.example.net", "hv11.example.net")));
        inventory.commit(Commit.deleting(12));
        assertDocumentsExact();
        assertThat(inventory.query(QueryParser.parse("servertype=vm"), List.of("hypervisor")))
                .extracting(o -> o.get("hypervisor"))
                .contains("hv11.example.net")
                .doesNotContain("hv01.example.net");
        // Replaced by an import: the old document goes with the old object.
        inventory.importObjects(
                List.of(loadedVm(13, "hv03.example.net", "online", 1, 512, 1L)).iterator(), true);
        assertDocumentsExact();
        assertThat(stored(13).get("memory")).isEqualTo(512L);
    }

    @Test
    void anImportKeepsEveryTextAndAFailedImportLeavesTheKeysInPlace() throws Exception {
        // The characters COPY's text format escapes, and the documents' own separators.
        String os = "tab\there\nnew line\\back\rslash=1:";
        Map<String, Object> hypervisor =
                object("object_id", 1001L, "servertype", "hypervisor", "hostname", "hv01.example.net", "os", os);
        Map<String, Object> broken = new LinkedHashMap<>(hypervisor);
        broken.put("vlan_networks", List.of("net-zz"));
        assertThatThrownBy(() ->
                        inventory.importObjects(List.of(routeNetworkA(), broken).iterator(), false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("net-zz");
        assertThat(inventory.query(QueryParser.parse("servertype=hypervisor"))).isEmpty();

        inventory.importObjects(List.of(routeNetworkA(), hypervisor).iterator(), false);
        assertThat(stored(1001).get("os")).isEqualTo(os);
        assertThat(inventory.rows(QueryParser.parse("servertype=hypervisor"), List.of("os")))
                .singleElement()
                .satisfies(row -> assertThat(row.values()).containsExactly(os));
        assertDocumentsExact();
        // The keys a load into an empty store may set aside are back: the database refuses what they forbid.
        try (var connection = java.sql.DriverManager.getConnection(url());
                var statement = connection.createStatement()) {
            if (url().startsWith("jdbc:sqlite:")) {
                statement.execute("PRAGMA foreign_keys = ON");
            }
            assertThatThrownBy(() ->
                            statement.execute("INSERT INTO attribute_values VALUES (1001, 'os', 0, 'x', 'string')"))
                    .as("primary key of attribute_values")
                    .isInstanceOf(java.sql.SQLException.class);
            assertThatThrownBy(
                            () -> statement.execute("INSERT INTO attribute_values VALUES (99, 'os', 0, 'x', 'string')"))
                    .as("foreign key of attribute_values")
                    .isInstanceOf(java.sql.SQLException.class);
            assertThatThrownBy(() -> statement.execute("INSERT INTO object_documents VALUES (99, '')"))
                    .as("foreign key of object_documents")
                    .isInstanceOf(java.sql.SQLException.class);
        }
    }

    @Test
    void rowsHoldTheValuesOfEachObjectAsItIsStored() {
        inventory.importObjects(loadFleet().iterator(), false);
        inventory.commit(Commit.of(ObjectChange.set(11, "sshfp", List.of(), List.of("1 1 aa", "2 2 bb"))));
        List<String> attributes = List.of(
                "memory", "sshfp", "object_id", "hostname", "servertype", "vlan_networks", "disk_size_gib", "state");
        // Pushed to SQL (servertype, equality, comparison), decided in Java (a regexp), and matching
        // nothing; a value required next to a servertype is checked in the documents (a set too).
        for (String text : List.of(
                "servertype=vm",
                "servertype=hypervisor",
                "state=online num_cpu=GreaterThan(1)",
                "vm1[12].*",
                "hostname=nothing",
                "servertype=vm hypervisor=Not(Empty())",
                "servertype=vm hypervisor=Not(Empty()) mac=Not(Empty()) state=online",
                "servertype=hypervisor sshfp=Not(Empty())",
                "servertype=vm sshfp=Not(Empty()) memory=Not(Empty())")) {
            Query query = QueryParser.parse(text);
            List<ServerObject> matching = inventory.query(query);
            assertThat(matching)
                    .as("%s: the objects to expect, decided on every stored object", text)
                    .extracting(ServerObject::hostname)
                    .containsExactlyElementsOf(inventory.query(new Query(Map.of())).stream()
                            .filter(query::matches)
                            .map(ServerObject::hostname)
                            .toList());
            List<AttributeRow> expected = new ArrayList<>();
            for (ServerObject o : matching) {
                // Read back value by value (attribute_values), not from the documents.
                ServerObject stored = inventory.get(o.objectId()).orElseThrow();
                expected.add(new AttributeRow(
                        o.objectId(),
                        o.hostname(),
                        attributes.stream()
                                .map(a -> a.equals("object_id") ? (Object) o.objectId() : stored.get(a))
                                .toList()));
            }
            assertThat(inventory.rows(query, attributes)).as(text).isEqualTo(expected);
        }
        assertThat(inventory.rows(QueryParser.parse("hostname=vm11.example.net"), List.of("sshfp", "mac")))
                .singleElement()
                .satisfies(row -> assertThat(row.values()).containsExactly(List.of("1 1 aa", "2 2 bb"), List.of()));
    }

    @Test
    void aDamagedDocumentFailsTheQueryInsteadOfGivingWrongValues() throws Exception {
        inventory.importObjects(loadFleet().iterator(), false);
        try (var connection = java.sql.DriverManager.getConnection(url());
                var statement = connection.createStatement()) {
            statement.execute("UPDATE object_documents SET document = 'memory=99:1' WHERE object_id = 12");
        }
        assertThatThrownBy(() -> inventory.rows(QueryParser.parse("servertype=vm"), List.of("memory")))
                .hasMessageContaining("malformed object document");
        assertThatThrownBy(() -> inventory.query(QueryParser.parse("servertype=vm")))
                .hasMessageContaining("malformed object document");
        // The thread that read the rows let go of them: none is left behind.
        Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("inventory-rows"))
                .forEach(t -> assertThat(awaitEnd(t)).as("reader thread ended").isTrue());
        assertThat(inventory.rows(QueryParser.parse("servertype=hypervisor"), List.of("num_cpu")))
                .hasSize(3);
    }

    private static boolean awaitEnd(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Test
    void anInventoryOfSchemaVersion4GetsTheDocumentsOfItsObjects() throws Exception {
        try (var connection = java.sql.DriverManager.getConnection(url());
                var statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            SchemaMigrations.apply(connection, SqlDialect.of(url()), 4);
            statement.execute("INSERT INTO objects VALUES (2001, 'route_network', 'net-a', 1)");
            statement.execute("INSERT INTO objects VALUES (1001, 'hypervisor', 'hv01.example.net', 1)");
            statement.execute("INSERT INTO attribute_values VALUES (1001, 'num_cpu', 0, '32', 'integer')");
            statement.execute("INSERT INTO attribute_values VALUES (1001, 'vlan_networks', 1, 'net-b', 'relation')");
            statement.execute("INSERT INTO attribute_values VALUES (1001, 'vlan_networks', 0, 'net-a', 'relation')");
            statement.execute("INSERT INTO objects VALUES (2002, 'route_network', 'net-b', 1)");
            connection.commit();
        }
        assertThat(inventory.query(QueryParser.parse("servertype=hypervisor")))
                .singleElement()
                .satisfies(o -> {
                    assertThat(o.get("num_cpu")).isEqualTo(32L);
                    assertThat(o.strings("vlan_networks")).containsExactly("net-a", "net-b");
                });
        assertThat(inventory.query(QueryParser.parse("servertype=route_network")))
                .extracting(ServerObject::hostname)
                .containsExactly("net-a", "net-b");
        assertThat(inventory.schemaVersion()).isEqualTo(SchemaMigrations.latestVersion());
        assertDocumentsExact();
    }

    private static List<Map<String, Object>> loadFleet() {
        List<Map<String, Object>> objects = new ArrayList<>();
        objects.add(routeNetworkA());
        for (long h = 1; h <= 3; h++) {
            objects.add(object(
                    "object_id",
                    1000L + h,
                    "servertype",
                    "hypervisor",
                    "hostname",
                    "hv0" + h + ".example.net",
                    "state",
                    "online",
                    "num_cpu",
                    32L,
                    "vlan_networks",
                    List.of("net-a")));
        }
        objects.add(loadedVm(11, "hv01.example.net", "online", 2, 2048, 20L));
        objects.add(loadedVm(12, "hv01.example.net", "online", 4, 4096, 50L));
        objects.add(loadedVm(13, "hv01.example.net", "retired", 8, 8192, 100L));
        objects.add(loadedVm(14, "hv02.example.net", null, 1, 1024, null));
        objects.add(loadedVm(15, null, "online", 16, 16384, 500L));
        return objects;
    }

    @Test
    void hypervisorLoadsAreExactAfterAnImport() {
        inventory.importObjects(loadFleet().iterator(), false);
        assertThat(storedLoads())
                .containsOnly(
                        Map.entry(java.util.Arrays.asList("hv01.example.net", "online"), List.of(2L, 6L, 6144L, 70L)),
                        Map.entry(java.util.Arrays.asList("hv01.example.net", "retired"), List.of(1L, 8L, 8192L, 100L)),
                        Map.entry(java.util.Arrays.asList("hv02.example.net", null), List.of(1L, 1L, 1024L, 0L)));
        assertLoadsExact();
        // Replacing VMs moves their numbers: 12 goes to hv03 with other values, 14 to no hypervisor.
        inventory.importObjects(
                List.of(
                                loadedVm(12, "hv03.example.net", "online", 3, 3072, 30L),
                                loadedVm(14, null, "online", 1, 1024, 10L))
                        .iterator(),
                true);
        assertThat(storedLoads())
                .containsOnly(
                        Map.entry(java.util.Arrays.asList("hv01.example.net", "online"), List.of(1L, 2L, 2048L, 20L)),
                        Map.entry(java.util.Arrays.asList("hv01.example.net", "retired"), List.of(1L, 8L, 8192L, 100L)),
                        Map.entry(java.util.Arrays.asList("hv03.example.net", "online"), List.of(1L, 3L, 3072L, 30L)));
        assertLoadsExact();
    }

    @Test
    void hypervisorLoadsStayExactThroughEveryKindOfCommit() {
        inventory.importObjects(loadFleet().iterator(), false);
        // Added: a VM on hv02, another without hypervisor.
        inventory.commit(new Commit(
                List.of(
                        loadedVm(16, "hv02.example.net", "online", 2, 2048, 40L),
                        loadedVm(17, null, "online", 1, 512, 5L)),
                List.of(),
                List.of()));
        assertLoadsExact();
        assertThat(storedLoads())
                .containsEntry(java.util.Arrays.asList("hv02.example.net", "online"), List.of(1L, 2L, 2048L, 40L));
        // Moved, and placed for the first time.
        inventory.commit(Commit.of(
                ObjectChange.set(12, "hypervisor", "hv01.example.net", "hv02.example.net"),
                ObjectChange.set(15, "hypervisor", null, "hv03.example.net")));
        assertLoadsExact();
        assertThat(storedLoads())
                .containsEntry(java.util.Arrays.asList("hv03.example.net", "online"), List.of(1L, 16L, 16384L, 500L));
        // Retired, and given a state.
        inventory.commit(Commit.of(
                ObjectChange.set(11, "state", "online", "retired"), ObjectChange.set(14, "state", null, "online")));
        assertLoadsExact();
        assertThat(storedLoads()).doesNotContainKey(java.util.Arrays.asList("hv02.example.net", null));
        // Resized: memory, disk and vCPUs in one change, a disk cleared in another.
        inventory.commit(Commit.of(
                ObjectChange.set(16, "memory", 2048L, 8192L)
                        .and("disk_size_gib", 40L, 400L)
                        .and("num_cpu", 2L, 6L),
                ObjectChange.set(13, "disk_size_gib", 100L, null)));
        assertLoadsExact();
        assertThat(storedLoads())
                .containsEntry(java.util.Arrays.asList("hv02.example.net", "online"), List.of(3L, 11L, 13312L, 450L))
                .containsEntry(java.util.Arrays.asList("hv01.example.net", "retired"), List.of(2L, 10L, 10240L, 20L));
        // Moved off every hypervisor, and deleted: hv03 keeps nothing.
        inventory.commit(Commit.of(ObjectChange.set(15, "hypervisor", "hv03.example.net", null)));
        inventory.commit(Commit.deleting(12));
        assertLoadsExact();
        assertThat(storedLoads().keySet()).extracting(k -> k.get(0)).doesNotContain("hv03.example.net");
        // A renamed hypervisor: its VMs name the new hostname, and so do their loads.
        inventory.commit(Commit.of(ObjectChange.set(1002, "hostname", "hv02.example.net", "hv12.example.net")));
        assertLoadsExact();
        assertThat(storedLoads().keySet())
                .extracting(k -> k.get(0))
                .contains("hv12.example.net")
                .doesNotContain("hv02.example.net");
        // A renamed VM and a change of an attribute that is no load change nothing.
        Map<List<Object>, List<Long>> before = storedLoads();
        inventory.commit(Commit.of(
                ObjectChange.set(11, "hostname", "vm11.example.net", "vm11b.example.net"),
                ObjectChange.set(16, "os", "bookworm", "trixie")));
        assertThat(storedLoads()).isEqualTo(before);
        assertLoadsExact();
    }

    @Test
    void hypervisorLoadsAreUnchangedByARolledBackCommit() {
        inventory.importObjects(loadFleet().iterator(), false);
        Map<List<Object>, List<Long>> before = storedLoads();
        // The move and resize are written (and the loads refreshed) before the broken relation fails the commit.
        assertThatThrownBy(() -> inventory.commit(new Commit(
                        List.of(loadedVm(18, "hv01.example.net", "online", 4, 4096, 40L)),
                        List.of(
                                ObjectChange.set(11, "hypervisor", "hv01.example.net", "hv03.example.net")
                                        .and("memory", 2048L, 65536L),
                                ObjectChange.set(14, "route_network", "net-a", "no-such-net")),
                        List.of(13L))))
                .isInstanceOf(InvalidInputException.class);
        assertThat(storedLoads()).isEqualTo(before);
        // A conflict (newer data) is rejected before anything is written.
        assertThatThrownBy(() -> inventory.commit(
                        Commit.of(ObjectChange.set(12, "hypervisor", "hv01.example.net", "hv03.example.net")
                                .and("memory", 1L, 2L))))
                .isInstanceOf(ConflictException.class);
        assertThat(storedLoads()).isEqualTo(before);
        assertLoadsExact();
    }

    @Test
    void anInventoryOfSchemaVersion3GetsTheLoadsOfItsVms() throws Exception {
        try (var connection = java.sql.DriverManager.getConnection(url());
                var statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            SchemaMigrations.apply(connection, SqlDialect.of(url()), 3);
            statement.execute("INSERT INTO objects VALUES (1001, 'hypervisor', 'hv01.example.net', 1)");
            for (long id = 11; id <= 12; id++) {
                statement.execute("INSERT INTO objects VALUES (" + id + ", 'vm', 'vm" + id + ".example.net', 1)");
                statement.execute("INSERT INTO attribute_values VALUES (" + id
                        + ", 'hypervisor', 0, 'hv01.example.net', 'relation')");
                statement.execute("INSERT INTO attribute_values VALUES (" + id + ", 'state', 0, 'online', 'string')");
                statement.execute(
                        "INSERT INTO attribute_values VALUES (" + id + ", 'num_cpu', 0, '" + id + "', 'integer')");
                statement.execute("INSERT INTO attribute_values VALUES (" + id + ", 'memory', 0, '1024', 'integer')");
            }
            connection.commit();
        }
        assertThat(storedLoads())
                .containsOnly(
                        Map.entry(java.util.Arrays.asList("hv01.example.net", "online"), List.of(2L, 23L, 2048L, 0L)));
        assertThat(inventory.schemaVersion()).isEqualTo(SchemaMigrations.latestVersion());
    }

    /** The port's own hypervisorLoads (from totals) is what a store without a table returns: the same numbers. */
    @Test
    void theDefaultHypervisorLoadsFromTotalsAgreeWithTheStoredOnes() {
        inventory.importObjects(loadFleet().iterator(), false);
        inventory.commit(Commit.of(ObjectChange.set(12, "state", "online", "retired")));
        InventoryPort fromTotals = readingThrough(inventory);
        assertThat(fromTotals.hypervisorLoads()).containsExactlyInAnyOrderElementsOf(inventory.hypervisorLoads());
    }

    // ---- concurrency and durability ----

    @Test
    void lockRaceBetweenEightThreadsHasExactlyOneWinner() throws Exception {
        createFleet();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> losers = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String label = "thread-" + i;
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    inventory.commit(Commit.of(
                            ObjectChange.set(4242, "igvm_locked", null, AttributeSchema.timestamp(Instant.now()))
                                    .and("igvm_locked_by", null, label)));
                    winners.add(label);
                } catch (RuntimeException e) {
                    losers.add(e);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(winners).hasSize(1);
        assertThat(losers).hasSize(threads - 1).allMatch(e -> e instanceof ConflictException);
        assertThat(stored(4242).get("igvm_locked_by")).isEqualTo(winners.peek());
        assertThat(stored(4242).get("igvm_locked")).isNotNull();
    }

    @Test
    void lockRaceBetweenTwoProcessesHasExactlyOneWinner() throws Exception {
        createFleet();
        try (ChildJvm a = ChildJvm.start(LockRaceProcess.class, url(), "4242", "4", "a");
                ChildJvm b = ChildJvm.start(LockRaceProcess.class, url(), "4242", "4", "b")) {
            assertThat(a.nextLine(CHILD_TIMEOUT)).isEqualTo("READY");
            assertThat(b.nextLine(CHILD_TIMEOUT)).isEqualTo("READY");
            a.send("GO");
            b.send("GO");
            List<String> results = new ArrayList<>();
            for (ChildJvm child : List.of(a, b)) {
                for (int i = 0; i < 4; i++) {
                    results.add(child.nextLine(CHILD_TIMEOUT));
                }
                assertThat(child.nextLine(CHILD_TIMEOUT)).isEqualTo("DONE");
                assertThat(child.waitForExit(CHILD_TIMEOUT)).isZero();
            }
            List<String> won =
                    results.stream().filter(r -> r.startsWith("WON ")).toList();
            assertThat(won).hasSize(1);
            assertThat(results.stream().filter(r -> r.startsWith("LOST "))).hasSize(7);
            assertThat(stored(4242).get("igvm_locked_by")).isEqualTo(won.get(0).substring("WON ".length()));
        }
    }

    @Test
    void killingAProcessMidCommitNeverLeavesHalfAnObject() throws Exception {
        inventory.commit(new Commit(
                List.of(object("object_id", 1L, "servertype", "vm", "hostname", CrashingCommitterProcess.MARKER)),
                List.of(),
                List.of()));
        try (ChildJvm committer = ChildJvm.start(CrashingCommitterProcess.class, url(), "1")) {
            committer.awaitLineStartingWith("COMMITTED 3", CHILD_TIMEOUT);
            committer.kill();
        }
        try (JdbcInventory reopened = new JdbcInventory(InventoryConfig.of(url()))) {
            String marker = reopened.get(1).orElseThrow().string("function");
            int committed = Integer.parseInt(marker);
            assertThat(committed).isGreaterThanOrEqualTo(3);
            Map<Integer, List<ServerObject>> batches = new TreeMap<>();
            for (ServerObject vm : reopened.query(QueryParser.parse("hostname=StartsWith(crash-) project=crash"))) {
                batches.computeIfAbsent(Integer.parseInt(vm.hostname().split("-")[1]), n -> new ArrayList<>())
                        .add(vm);
            }
            // Every commit up to the marker's is complete, none after it exists.
            assertThat(batches.keySet()).hasSize(committed).allMatch(n -> n >= 1 && n <= committed);
            batches.forEach((n, vms) -> {
                assertThat(vms).hasSize(CrashingCommitterProcess.BATCH);
                for (ServerObject vm : vms) {
                    int index = Integer.parseInt(vm.hostname().split("-")[2].split("\\.")[0]);
                    Map<String, Object> expected = CrashingCommitterProcess.vm(n, index);
                    expected.forEach((attribute, value) -> assertThat(vm.get(attribute))
                            .as(vm.hostname() + "." + attribute)
                            .isEqualTo(value));
                }
            });
            assertIntact(reopened);
        }
    }

    /** Backend-specific integrity checks after a crash. */
    protected void assertIntact(JdbcInventory reopened) throws Exception {}

    @Test
    void createMakesAnEmptyStoreOnce() {
        assertThat(inventory.create()).isTrue();
        assertThat(inventory.query(new Query(Map.of()))).isEmpty();
        assertThat(inventory.create()).isFalse();
        createFleet();
        try (JdbcInventory again = new JdbcInventory(InventoryConfig.of(url()))) {
            assertThat(again.create()).isFalse();
            assertThat(again.query(new Query(Map.of()))).hasSize(7);
        }
    }

    @Test
    void reopeningKeepsDataAndDoesNotMigrateAgain() {
        createFleet();
        assertThat(inventory.schemaVersion()).isEqualTo(SchemaMigrations.latestVersion());
        try (JdbcInventory again = new JdbcInventory(InventoryConfig.of(url()))) {
            assertThat(again.schemaVersion()).isEqualTo(SchemaMigrations.latestVersion());
            assertThat(again.get(4242).orElseThrow().hostname()).isEqualTo("web01.example.net");
            assertThat(again.query(new Query(Map.of()))).hasSize(7);
        }
        try (JdbcInventory third = new JdbcInventory(InventoryConfig.of(url()))) {
            assertThat(countSchemaVersionRows()).isEqualTo(SchemaMigrations.latestVersion());
            assertThat(third.query(new Query(Map.of()))).hasSize(7);
        }
    }

    /** Rows in schema_version, read directly. */
    protected long countSchemaVersionRows() {
        try (var connection = java.sql.DriverManager.getConnection(url());
                var statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT COUNT(*) FROM schema_version")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
