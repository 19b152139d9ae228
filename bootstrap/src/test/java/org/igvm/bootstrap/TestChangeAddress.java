package org.igvm.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.igvm.api.CancelledException;
import org.igvm.api.ChangeAddressRequest;
import org.igvm.api.ChangeResult;
import org.igvm.api.ConflictException;
import org.igvm.api.IgvmException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.NotFoundException;
import org.igvm.api.RefusedException;
import org.igvm.bootstrap.testing.FaultAtStep;
import org.igvm.bootstrap.testing.FaultAtStep.Fault;
import org.igvm.domain.inventory.AttributeUpdate;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.spi.hypervisor.DomainState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * igvm change-address on the test driver: web01 (10.20.30.40 in net-a) on hv01, which also serves
 * net-b (10.20.40.0/24, gateway 10.20.40.1); net-c (10.20.50.0/24) is served by no hypervisor. The
 * guest's address file lives on the fake hypervisor mount ({@link FakeHosts}).
 */
class TestChangeAddress {
    static final String HV = ResizeFleet.HV1;
    static final String WEB01 = "web01.example.net";
    static final String ADDRESS_FILE = FakeHosts.MOUNT_POINT + "/etc/igvm/ip";
    static final String OLD_FILE = "10.20.30.40/24\n10.20.30.1\n";

    @TempDir
    Path dir;

    ResizeFleet f;

    @BeforeEach
    void fleet() throws Exception {
        f = new ResizeFleet(dir);
        f.fleet
                .inventory()
                .commit(new Commit(
                        List.of(
                                network(2002, "net-b", "10.20.40.0/24", 200, "10.20.40.1"),
                                network(2003, "net-c", "10.20.50.0/24", 300, null)),
                        List.of(),
                        List.of()));
        f.fleet
                .inventory()
                .commit(Commit.of(new ObjectChange(
                        1001,
                        Map.of("vlan_networks", new AttributeUpdate.Multi(List.<Object>of("net-b"), List.of())))));
        f.hosts.files.put(ADDRESS_FILE, OLD_FILE.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> network(long id, String name, String prefix, long vlan, String gateway) {
        Map<String, Object> n = new java.util.LinkedHashMap<>(Map.of(
                "object_id", id,
                "servertype", "route_network",
                "hostname", name,
                "state", "online",
                "ipv4", prefix,
                "vlan_tag", vlan));
        if (gateway != null) {
            n.put("default_gateway", gateway);
        }
        return n;
    }

    @AfterEach
    void close() {
        f.close();
    }

    ResizeSnapshot snapshot() {
        return ResizeSnapshot.of(f, HV, WEB01);
    }

    ChangeAddressRequest.Builder to(String ip) {
        return ChangeAddressRequest.builder("web01", ip).offline(true);
    }

    @Test
    void theVmGetsTheNewAddressInItsFilesTheInventoryAndANewDefinition() {
        ChangeResult r = f.igvm().changeAddress(to("10.20.40.7").build());

        assertThat(r)
                .extracting(ChangeResult::before, ChangeResult::after, ChangeResult::how)
                .containsExactly("10.20.30.40", "10.20.40.7", "offline");
        assertThat(f.hosts.file(ADDRESS_FILE)).isEqualTo("10.20.40.7/24\n10.20.40.1\n");
        assertThat(f.hosts.commands)
                .last()
                .asString()
                .isEqualTo(HV + ": umount " + FakeHosts.MOUNT_POINT + " && rmdir " + FakeHosts.MOUNT_POINT);
        assertThat(f.state(HV, 4242)).isEqualTo(DomainState.RUNNING);
        assertThat(f.object(WEB01).string("intern_ip")).isEqualTo("10.20.40.7");
        assertThat(f.object(WEB01).string("route_network")).isEqualTo("net-b");
        assertThat(f.object(WEB01).string("igvm_locked")).isNullOrEmpty();
    }

    @Test
    void aNetworkWithoutGatewayGetsTheAddressAlone() {
        f.fleet
                .inventory()
                .commit(Commit.of(new ObjectChange(
                        1001,
                        Map.of("vlan_networks", new AttributeUpdate.Multi(List.<Object>of("net-c"), List.of())))));

        f.igvm().changeAddress(to("10.20.50.9").network("net-c").build());

        assertThat(f.hosts.file(ADDRESS_FILE)).isEqualTo("10.20.50.9/24\n");
        assertThat(f.object(WEB01).string("route_network")).isEqualTo("net-c");
    }

    record Bad(ChangeAddressRequest request, Class<? extends IgvmException> error, String message) {}

    @Test
    void badRequestsAreOneLineAndChangeNothing() {
        ResizeSnapshot before = snapshot();
        List<Bad> bad = List.of(
                new Bad(
                        ChangeAddressRequest.builder("web01", "10.20.40.7").build(),
                        InvalidInputException.class,
                        "change-address needs --offline: the VM is shut down while its address changes"),
                new Bad(
                        to("10.20.30.40").build(),
                        InvalidInputException.class,
                        WEB01 + " already has the address" + " 10.20.30.40"),
                new Bad(
                        to("banana").build(),
                        InvalidInputException.class,
                        "invalid IP address 'banana': write an IPv4" + " or IPv6 address"),
                new Bad(
                        to("10.20.40.0/24").build(),
                        InvalidInputException.class,
                        "invalid IP address" + " '10.20.40.0/24': write an IPv4 or IPv6 address"),
                new Bad(
                        to("10.99.0.1").build(),
                        InvalidInputException.class,
                        "10.99.0.1 is in no route network of"
                                + " the inventory (known: net-a 10.20.30.0/24, net-b 10.20.40.0/24, net-c 10.20.50.0/24)"),
                new Bad(
                        to("10.20.40.7").network("net-z").build(),
                        NotFoundException.class,
                        "unknown route network" + " net-z; known: net-a, net-b, net-c"),
                new Bad(
                        to("10.20.30.99").network("net-b").build(),
                        InvalidInputException.class,
                        "10.20.30.99 is" + " not in route network net-b (10.20.40.0/24)"),
                new Bad(
                        to("10.20.30.41").build(),
                        ConflictException.class,
                        "10.20.30.41 is already the address of" + " db01.example.net"),
                new Bad(
                        to("10.20.50.9").build(),
                        RefusedException.class,
                        HV + " does not serve route network net-c" + " (it serves net-a, net-b); 10.20.50.9 cannot be "
                                + WEB01 + "'s address there (add --migrate to move it to one that does)"),
                new Bad(
                        to("10.20.50.9").migrate(true).build(),
                        RefusedException.class,
                        "change-address --migrate needs igvm's migration, which this igvm does not offer"
                                + " (no transports); change " + WEB01
                                + "'s address on a hypervisor that serves net-c"));
        for (Bad b : bad) {
            assertThat(catchThrowable(() -> f.igvm().changeAddress(b.request())))
                    .as("%s", b.request())
                    .isInstanceOf(b.error())
                    .hasMessage(b.message());
            assertThat(snapshot()).as("%s", b.request()).isEqualTo(before);
        }
        assertThat(f.hosts.file(ADDRESS_FILE)).isEqualTo(OLD_FILE);
        assertThat(f.hosts.commands).isEmpty();
    }

    @Test
    void aRetiredVmIsRefused() {
        f.fleet.set(WEB01, "state", "retired");

        assertThat(catchThrowable(() -> f.igvm().changeAddress(to("10.20.40.7").build())))
                .isInstanceOf(RefusedException.class)
                .hasMessageStartingWith(WEB01 + " is retired");
    }

    @Test
    void aFailingStartPutsTheOldAddressBackAndStartsTheOldDefinition() {
        f.gaps.failing = "start";
        ResizeSnapshot before = snapshot();

        Throwable thrown =
                catchThrowable(() -> f.igvm().changeAddress(to("10.20.40.7").build()));

        assertThat(thrown).hasMessageContaining("injected failure");
        assertThat(f.hosts.file(ADDRESS_FILE)).isEqualTo(OLD_FILE);
        // the undo's own start failed as well (it is the injected call): the VM is off with its old definition
        assertThat(f.hypervisors().definitionXml(HV, "4242_web01.example.net")).isEqualTo(before.definition());
        assertThat(f.object(WEB01)).isEqualTo(before.vm());
    }

    @ParameterizedTest
    @EnumSource(
            value = Fault.class,
            names = {"CANCEL_THEN_PROCEED", "CANCEL_THEN_RAISE"})
    void aChangeCancelledAtAnyStepStartsTheVmAgainWithItsOldAddress(Fault then) {
        ResizeSnapshot before = snapshot();
        int steps = 0;
        for (int n = 1; ; n++) {
            int step = n;
            AtomicReference<FaultAtStep> harness = new AtomicReference<>();
            Throwable thrown = catchThrowable(() ->
                    f.igvm(harness, step, then).changeAddress(to("10.20.40.7").build()));
            if (!harness.get().fired()) {
                assertThat(thrown).as("the uncancelled change").isNull();
                steps = n - 1;
                break;
            }
            String at = "cancelled at step " + n + " (" + harness.get().firedAt() + ", " + then + ")";
            if (thrown == null) {
                steps = n;
                break;
            }
            assertThat(thrown).as(at).isInstanceOf(CancelledException.class);
            assertThat(snapshot()).as(at).isEqualTo(before);
            assertThat(f.hosts.file(ADDRESS_FILE)).as(at).isEqualTo(OLD_FILE);
        }
        assertThat(steps).isGreaterThanOrEqualTo(10);
        assertThat(f.object(WEB01).string("intern_ip")).isEqualTo("10.20.40.7");
        assertThat(f.hosts.file(ADDRESS_FILE)).isEqualTo("10.20.40.7/24\n10.20.40.1\n");
    }
}
