package org.igvm.adapters.inventory;

import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A whole fleet as YAML: a top-level {@code objects:} list of attribute maps ({@code object_id},
 * {@code servertype}, {@code hostname}, …). Import is one commit; export lists every object ordered
 * by servertype, then hostname, and imports back to the same inventory.
 */
public final class FleetFile {
    private FleetFile() {}

    /**
     * Imports every object in one commit and returns the number imported. An object whose
     * object_id or hostname already exists is an error naming it, unless {@code replace}: then the
     * existing object is deleted and re-created from the file in the same commit.
     */
    public static int importInto(InventoryPort inventory, Reader yaml, boolean replace) {
        FleetReader objects = new FleetReader(yaml, yamlResolver());
        if (inventory instanceof JdbcInventory jdbc) {
            // Streamed into one transaction with batched inserts: the file is never held whole,
            // and it is parsed on a second thread while the first writes.
            try (Prefetch<Map<String, Object>> ahead = new Prefetch<>(objects, "igvm-fleet-reader")) {
                return jdbc.importObjects(ahead, replace);
            }
        }
        // An import writes, so it may create the store; reads below would refuse a missing one.
        inventory.create();
        List<Map<String, Object>> all = new ArrayList<>();
        objects.forEachRemaining(all::add);
        List<Long> deleted = new ArrayList<>();
        for (Map<String, Object> object : all) {
            for (ServerObject existing : existing(inventory, object)) {
                if (!replace) {
                    throw new InvalidInputException("fleet file object " + object.get("hostname") + " (object_id "
                            + object.get("object_id") + ") clashes with " + existing.hostname() + " (object_id "
                            + existing.objectId() + ") already in the inventory; import with replace to overwrite it");
                }
                if (!deleted.contains(existing.objectId())) {
                    deleted.add(existing.objectId());
                }
            }
        }
        inventory.commit(new Commit(all, List.of(), deleted));
        return all.size();
    }

    /** Writes every object, ordered by servertype then hostname; returns the number written. */
    public static int export(InventoryPort inventory, Writer out) {
        List<ServerObject> all = new ArrayList<>(inventory.query(new Query(Map.of())));
        all.sort(Comparator.comparing(ServerObject::servertype).thenComparing(ServerObject::hostname));
        List<Map<String, Object>> objects = new ArrayList<>();
        for (ServerObject object : all) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("object_id", object.objectId());
            attributes.put("servertype", object.servertype());
            attributes.put("hostname", object.hostname());
            // Fresh lists: shared instances would be written as YAML anchors and aliases.
            object.attributes()
                    .forEach((name, value) -> attributes.putIfAbsent(
                            name, value instanceof List<?> list ? new ArrayList<>(list) : value));
            objects.add(attributes);
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setDereferenceAliases(true);
        new Yaml(new SafeConstructor(new LoaderOptions()), new FlowListRepresenter(options), options, yamlResolver())
                .dump(Map.of("objects", objects), out);
        return objects.size();
    }

    private static List<ServerObject> existing(InventoryPort inventory, Map<String, Object> object) {
        List<ServerObject> found = new ArrayList<>();
        if (object.get("object_id") instanceof Number id) {
            inventory.get(id.longValue()).ifPresent(found::add);
        }
        if (object.get("hostname") instanceof String hostname) {
            inventory.query(Query.where("hostname", hostname)).stream()
                    .filter(o -> found.stream().noneMatch(f -> f.objectId() == o.objectId()))
                    .forEach(found::add);
        }
        return found;
    }

    /** Writes lists inline ({@code mac: []}, {@code vlan_networks: [net-a]}) like the fleet file does. */
    private static final class FlowListRepresenter extends Representer {
        FlowListRepresenter(DumperOptions options) {
            super(options);
            Represent blockRepresent = multiRepresenters.get(List.class);
            multiRepresenters.put(List.class, data -> {
                Node node = blockRepresent.representData(data);
                // Only value lists; the top-level list of objects stays one object per block.
                if (node instanceof SequenceNode sequence
                        && ((List<?>) data).stream().noneMatch(e -> e instanceof Map)) {
                    sequence.setFlowStyle(DumperOptions.FlowStyle.FLOW);
                }
                return node;
            });
        }
    }

    /** YAML's own resolver minus timestamps, so datetimes such as igvm_locked stay text. */
    private static Resolver yamlResolver() {
        return new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.BOOL, BOOL, "yYnNtTfFoO", 10);
                addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.INT, INT, "-+0123456789");
                addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.FLOAT, FLOAT, "-+0123456789.");
                addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.MERGE, MERGE, "<");
                addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, NULL, "~nN\0");
                addImplicitResolver(org.yaml.snakeyaml.nodes.Tag.NULL, EMPTY, null);
            }
        };
    }
}
