package org.igvm.domain.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.igvm.api.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestAttributeSchema {
    private final AttributeSchema schema = AttributeSchema.standard();

    @Test
    void knowsTheThreeServertypes() {
        assertThat(schema.servertypes()).containsExactly("hypervisor", "route_network", "vm");
    }

    @Test
    void commonAttributesExistEverywhere() {
        for (String servertype : schema.servertypes()) {
            assertThat(schema.attributes(servertype))
                    .extracting(AttributeDefinition::name)
                    .startsWith("object_id", "hostname", "servertype", "state");
        }
    }

    @Test
    void vmAttributesFromTheSpec() {
        assertThat(schema.attributes("vm"))
                .extracting(AttributeDefinition::name)
                .contains(
                        "hypervisor",
                        "os",
                        "num_cpu",
                        "memory",
                        "disk_size_gib",
                        "intern_ip",
                        "mac",
                        "route_network",
                        "environment",
                        "function",
                        "project",
                        "io_weight",
                        "puppet_master",
                        "puppet_ca",
                        "puppet_disabled",
                        "libvirt_pool_override",
                        "load_99",
                        "sshfp",
                        "igvm_locked",
                        "igvm_locked_by",
                        "game_market",
                        "game_world",
                        "game_type",
                        "served_game");
    }

    @Test
    void setsAreMultiValued() {
        assertThat(schema.require("vm", "mac").multiValued()).isTrue();
        assertThat(schema.require("vm", "sshfp").multiValued()).isTrue();
        assertThat(schema.require("hypervisor", "vlan_networks").multiValued()).isTrue();
        assertThat(schema.require("hypervisor", "igvm_migration_log").multiValued())
                .isTrue();
        assertThat(schema.require("vm", "hypervisor").multiValued()).isFalse();
    }

    @Test
    void relationsNameTheirTargetServertype() {
        assertThat(schema.require("vm", "hypervisor").relatedServertype()).isEqualTo("hypervisor");
        assertThat(schema.require("vm", "route_network").relatedServertype()).isEqualTo("route_network");
        assertThat(schema.require("hypervisor", "vlan_networks").relatedServertype())
                .isEqualTo("route_network");
    }

    @Test
    void routeNetworkAttributes() {
        assertThat(schema.require("route_network", "ipv4").type()).isEqualTo(AttributeType.NETWORK);
        assertThat(schema.require("route_network", "ipv6").type()).isEqualTo(AttributeType.NETWORK);
        assertThat(schema.require("route_network", "vlan_tag").type()).isEqualTo(AttributeType.INTEGER);
    }

    @Test
    void unknownAttributeNamesTheKnownOnes() {
        assertThatThrownBy(() -> schema.parse("vm", "foo", "1"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("unknown attribute 'foo' for servertype vm; known: disk_size_gib, environment")
                .hasMessageContaining("igvm_locked_by");
        assertThatThrownBy(() -> schema.parse("route_network", "num_cpu", "1"))
                .hasMessage(
                        "unknown attribute 'num_cpu' for servertype route_network; known: default_gateway, hostname, ipv4, ipv6,"
                                + " object_id, servertype, state, vlan_tag");
    }

    @Test
    void unknownServertypeIsInvalidInput() {
        assertThatThrownBy(() -> schema.require("toaster", "hostname"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("unknown servertype 'toaster'; known: hypervisor, route_network, vm");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "vm|num_cpu|4|4",
                "vm|num_cpu|+4|4",
                "vm|puppet_disabled|true|true",
                "vm|intern_ip|10.20.30.40|10.20.30.40",
                "vm|intern_ip|2001:db8::1|2001:db8::1",
                "vm|hypervisor|hv01.example.net|hv01.example.net",
                "vm|igvm_locked|2024-05-01 12:00:00+0000|2024-05-01 12:00:00+0000",
                "vm|igvm_locked|2024-05-01 12:00:00+00:00|2024-05-01 12:00:00+00:00",
                "vm|igvm_locked_by|alice@admin01 pid 1234|alice@admin01 pid 1234",
                "route_network|ipv4|10.20.30.0/24|10.20.30.0/24",
                "route_network|ipv6|2001:db8::/64|2001:db8::/64",
                "vm|os|12|12",
            })
    void parsesValidText(String servertype, String attribute, String text, String expected) {
        assertThat(schema.parse(servertype, attribute, text).toString()).isEqualTo(expected);
    }

    @Test
    void parsedValuesHaveStorageTypes() {
        assertThat(schema.parse("vm", "num_cpu", "4")).isEqualTo(4L);
        assertThat(schema.parse("vm", "puppet_disabled", "false")).isEqualTo(false);
        assertThat(schema.parse("vm", "os", "bookworm")).isEqualTo("bookworm");
    }

    @Test
    void emptyTextClears() {
        assertThat(schema.parse("vm", "hypervisor", "")).isNull();
        assertThat(schema.parse("vm", "mac", "")).isEqualTo(List.of());
    }

    @Test
    void setsTakeCommaSeparatedValuesWithoutDuplicates() {
        assertThat(schema.parse("vm", "mac", "ca:fe:01:00:10:92, ca:fe:01:00:10:93,ca:fe:01:00:10:92"))
                .isEqualTo(List.of("ca:fe:01:00:10:92", "ca:fe:01:00:10:93"));
        assertThat(schema.parse("hypervisor", "vlan_networks", "net-a")).isEqualTo(List.of("net-a"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "vm|num_cpu|four|integer",
                "vm|num_cpu|1.5|integer",
                "vm|puppet_disabled|yes|boolean (true or false)",
                "vm|intern_ip|10.20.30.400|ip address, e.g. 10.0.0.1 or 2001:db8::1",
                "vm|intern_ip|10.20.30.0/24|ip address, e.g. 10.0.0.1 or 2001:db8::1",
                "route_network|ipv4|net-a|ip network, e.g. 10.20.30.0/24 or 2001:db8::/64",
                "vm|igvm_locked|yesterday|datetime (yyyy-MM-dd HH:mm:ss+0000)",
                "vm|igvm_locked|2024-13-01 12:00:00+0000|datetime (yyyy-MM-dd HH:mm:ss+0000)",
            })
    void wrongTypeNamesAttributeValueAndExpectedType(
            String servertype, String attribute, String text, String expected) {
        assertThatThrownBy(() -> schema.parse(servertype, attribute, text))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid value '" + text + "' for attribute " + attribute + " of servertype " + servertype
                        + ": expected " + expected);
    }

    @Test
    void normalizeConvertsYamlAndCommitValues() {
        assertThat(schema.normalize("vm", "num_cpu", 4)).isEqualTo(4L);
        assertThat(schema.normalize("vm", "num_cpu", "4")).isEqualTo(4L);
        assertThat(schema.normalize("vm", "os", 12)).isEqualTo("12");
        assertThat(schema.normalize("vm", "puppet_disabled", "true")).isEqualTo(true);
        assertThat(schema.normalize("vm", "hypervisor", null)).isNull();
        assertThat(schema.normalize("vm", "hypervisor", "")).isNull();
        assertThat(schema.normalize("vm", "mac", null)).isEqualTo(List.of());
        assertThat(schema.normalize("vm", "sshfp", List.of("a", "b", "a"))).isEqualTo(List.of("a", "b"));
    }

    @Test
    void normalizeRejectsShapeMismatches() {
        assertThatThrownBy(() -> schema.normalize("vm", "mac", "ca:fe:01:00:10:92"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("expected a list of string");
        assertThatThrownBy(() -> schema.normalize("vm", "os", List.of("a")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("expected a single string");
        assertThatThrownBy(() -> schema.normalize("vm", "num_cpu", 2.5))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("invalid value '2.5' for attribute num_cpu of servertype vm: expected integer");
    }

    @Test
    void timestampIsUtcToTheSecondAndValid() {
        String ts = AttributeSchema.timestamp(Instant.parse("2024-05-01T12:00:00.789Z"));
        assertThat(ts).isEqualTo("2024-05-01 12:00:00+0000");
        assertThat(schema.parse("vm", "igvm_locked", ts)).isEqualTo(ts);
    }
}
