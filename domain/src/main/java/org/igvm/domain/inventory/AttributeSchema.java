package org.igvm.domain.inventory;

import static org.igvm.domain.inventory.AttributeDefinition.relation;
import static org.igvm.domain.inventory.AttributeDefinition.set;
import static org.igvm.domain.inventory.AttributeDefinition.single;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.igvm.api.InvalidInputException;

/**
 * The attributes each servertype knows (behaviour spec §1), their types, and the rules that turn a
 * value given by a user, a fleet file or a commit into the value the inventory stores: {@code Long}
 * for integers, {@code Boolean}, {@code String} for everything else, a {@code List} for sets.
 */
public final class AttributeSchema {
    /** How {@code igvm_locked} and other datetimes are written. */
    public static final DateTimeFormatter DATETIME_FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxx");

    private static final DateTimeFormatter DATETIME_COLON_OFFSET =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");

    private static final List<AttributeDefinition> COMMON = List.of(
            single("object_id", AttributeType.INTEGER),
            single("hostname", AttributeType.STRING),
            single("servertype", AttributeType.STRING),
            single("state", AttributeType.STRING));

    private static final List<AttributeDefinition> VM = List.of(
            relation("hypervisor", "hypervisor", false),
            single("os", AttributeType.STRING),
            single("num_cpu", AttributeType.INTEGER),
            single("memory", AttributeType.INTEGER),
            single("disk_size_gib", AttributeType.INTEGER),
            single("intern_ip", AttributeType.IP),
            set("mac", AttributeType.STRING),
            relation("route_network", "route_network", false),
            single("environment", AttributeType.STRING),
            single("function", AttributeType.STRING),
            single("project", AttributeType.STRING),
            single("io_weight", AttributeType.STRING),
            single("puppet_master", AttributeType.STRING),
            single("puppet_ca", AttributeType.STRING),
            single("puppet_disabled", AttributeType.BOOLEAN),
            single("libvirt_pool_override", AttributeType.STRING),
            single("load_99", AttributeType.INTEGER),
            set("sshfp", AttributeType.STRING),
            single("igvm_locked", AttributeType.DATETIME),
            single("igvm_locked_by", AttributeType.STRING),
            single("game_market", AttributeType.STRING),
            single("game_world", AttributeType.INTEGER),
            single("game_type", AttributeType.STRING),
            single("served_game", AttributeType.STRING));

    private static final List<AttributeDefinition> HYPERVISOR = List.of(
            single("os", AttributeType.STRING),
            single("hardware_model", AttributeType.STRING),
            single("num_cpu", AttributeType.INTEGER),
            single("environment", AttributeType.STRING),
            single("intern_ip", AttributeType.IP),
            relation("vlan_networks", "route_network", true),
            single("cpu_util_pct", AttributeType.INTEGER),
            single("iops_avg", AttributeType.INTEGER),
            single("cpu_perffactor", AttributeType.INTEGER),
            single("libvirt_memory_total_gib", AttributeType.INTEGER),
            single("libvirt_pool_total_gib", AttributeType.INTEGER),
            single("igvm_locked", AttributeType.DATETIME),
            single("igvm_locked_by", AttributeType.STRING),
            set("igvm_migration_log", AttributeType.STRING));

    private static final List<AttributeDefinition> ROUTE_NETWORK = List.of(
            single("ipv4", AttributeType.NETWORK),
            single("ipv6", AttributeType.NETWORK),
            single("vlan_tag", AttributeType.INTEGER),
            // Written into a guest with its address (change-address).
            single("default_gateway", AttributeType.IP));

    private static final AttributeSchema STANDARD =
            new AttributeSchema(Map.of("vm", VM, "hypervisor", HYPERVISOR, "route_network", ROUTE_NETWORK));

    private final Map<String, Map<String, AttributeDefinition>> byServertype;

    private AttributeSchema(Map<String, List<AttributeDefinition>> specific) {
        Map<String, Map<String, AttributeDefinition>> all = new TreeMap<>();
        specific.forEach((servertype, definitions) -> {
            Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
            COMMON.forEach(d -> attributes.put(d.name(), d));
            definitions.forEach(d -> attributes.put(d.name(), d));
            all.put(servertype, Collections.unmodifiableMap(attributes));
        });
        this.byServertype = Collections.unmodifiableMap(all);
    }

    /** The attributes of vm, hypervisor and route_network as behaviour spec §1 lists them. */
    public static AttributeSchema standard() {
        return STANDARD;
    }

    /** A timestamp in the inventory's datetime format, to the second, UTC. */
    public static String timestamp(Instant instant) {
        return DATETIME_FORMAT.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    public Set<String> servertypes() {
        return byServertype.keySet();
    }

    /** Every attribute of the servertype, the common ones first; empty for an unknown servertype. */
    public List<AttributeDefinition> attributes(String servertype) {
        Map<String, AttributeDefinition> attributes = byServertype.get(servertype);
        return attributes == null ? List.of() : List.copyOf(attributes.values());
    }

    public Optional<AttributeDefinition> definition(String servertype, String attribute) {
        Map<String, AttributeDefinition> attributes = byServertype.get(servertype);
        return attributes == null ? Optional.empty() : Optional.ofNullable(attributes.get(attribute));
    }

    /** The definition, or an {@link InvalidInputException} naming the known attributes. */
    public AttributeDefinition require(String servertype, String attribute) {
        Map<String, AttributeDefinition> attributes = byServertype.get(servertype);
        if (attributes == null) {
            throw new InvalidInputException(
                    "unknown servertype '" + servertype + "'; known: " + String.join(", ", byServertype.keySet()));
        }
        AttributeDefinition definition = attributes.get(attribute);
        if (definition == null) {
            throw new InvalidInputException("unknown attribute '" + attribute + "' for servertype " + servertype
                    + "; known: " + String.join(", ", new java.util.TreeSet<>(attributes.keySet())));
        }
        return definition;
    }

    /**
     * Converts the text of {@code attr=value} (as {@code inventory set} takes it) to the stored value:
     * empty text clears the attribute (null; an empty list for a set); a set takes comma-separated
     * values.
     */
    public Object parse(String servertype, String attribute, String text) {
        AttributeDefinition definition = require(servertype, attribute);
        String trimmed = text == null ? "" : text.trim();
        if (definition.multiValued()) {
            if (trimmed.isEmpty()) {
                return List.of();
            }
            List<Object> values = new ArrayList<>();
            Arrays.stream(trimmed.split(",")).map(String::trim).forEach(v -> {
                Object value = element(servertype, definition, v);
                if (!values.contains(value)) {
                    values.add(value);
                }
            });
            return List.copyOf(values);
        }
        return trimmed.isEmpty() ? null : element(servertype, definition, trimmed);
    }

    /**
     * Checks and converts a value given in a commit or a fleet file: numbers to {@code Long},
     * {@code "true"} to {@code Boolean}, sets to a list without duplicates. Null and empty text
     * (and, for a set, an empty list) mean empty and come back as null resp. an empty list.
     */
    public Object normalize(String servertype, String attribute, Object value) {
        AttributeDefinition definition = require(servertype, attribute);
        if (definition.multiValued()) {
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                throw invalid(
                        servertype,
                        definition,
                        value,
                        "a list of " + definition.type().description());
            }
            List<Object> values = new ArrayList<>();
            for (Object element : list) {
                Object normalized = element(servertype, definition, element);
                if (normalized == null) {
                    throw invalid(
                            servertype, definition, element, definition.type().description());
                }
                if (!values.contains(normalized)) {
                    values.add(normalized);
                }
            }
            return List.copyOf(values);
        }
        if (value instanceof List<?>) {
            throw invalid(
                    servertype,
                    definition,
                    value,
                    "a single " + definition.type().description());
        }
        return element(servertype, definition, value);
    }

    /** One (element) value of the attribute, converted; null for null or empty text. */
    public Object element(String servertype, AttributeDefinition definition, Object value) {
        if (value == null || (value instanceof String s && s.isEmpty())) {
            return null;
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw invalid(servertype, definition, value, definition.type().description());
        }
        String text = value.toString();
        return switch (definition.type()) {
            case STRING, RELATION -> text;
            case INTEGER -> {
                if (value instanceof Long || value instanceof Integer || value instanceof Short) {
                    yield ((Number) value).longValue();
                }
                if (value instanceof String && INTEGER.matcher(text.trim()).matches()) {
                    try {
                        yield Long.parseLong(text.trim().replace("+", ""));
                    } catch (NumberFormatException tooBig) {
                        throw invalid(servertype, definition, value, "integer");
                    }
                }
                throw invalid(servertype, definition, value, "integer");
            }
            case BOOLEAN -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                if (text.equals("true") || text.equals("false")) {
                    yield Boolean.valueOf(text);
                }
                throw invalid(servertype, definition, value, "boolean (true or false)");
            }
            case IP -> {
                IpNetwork ip = IpNetwork.parseOrNull(text);
                if (!(value instanceof String) || ip == null || ip.isNetwork() || text.contains("/")) {
                    throw invalid(servertype, definition, value, "ip address, e.g. 10.0.0.1 or 2001:db8::1");
                }
                yield text;
            }
            case NETWORK -> {
                if (!(value instanceof String) || IpNetwork.parseOrNull(text) == null) {
                    throw invalid(servertype, definition, value, "ip network, e.g. 10.20.30.0/24 or 2001:db8::/64");
                }
                yield text;
            }
            case DATETIME -> {
                if (!(value instanceof String) || !isDatetime(text)) {
                    throw invalid(
                            servertype, definition, value, definition.type().description());
                }
                yield text;
            }
        };
    }

    private static boolean isDatetime(String text) {
        for (DateTimeFormatter format : List.of(DATETIME_FORMAT, DATETIME_COLON_OFFSET)) {
            try {
                OffsetDateTime.parse(text, format);
                return true;
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        return false;
    }

    private static InvalidInputException invalid(
            String servertype, AttributeDefinition definition, Object value, String expected) {
        return new InvalidInputException("invalid value '" + value + "' for attribute " + definition.name()
                + " of servertype " + servertype + ": expected " + expected);
    }
}
