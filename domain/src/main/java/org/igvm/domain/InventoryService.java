package org.igvm.domain;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.igvm.api.ImportRequest;
import org.igvm.api.InvalidInputException;
import org.igvm.api.Inventory;
import org.igvm.api.InventoryObject;
import org.igvm.api.InventoryRow;
import org.igvm.api.SetAttributesRequest;
import org.igvm.domain.inventory.AttributeRow;
import org.igvm.domain.inventory.AttributeSchema;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.FleetFormat;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.QueryParser;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.io.IoFailureReason;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.shell.SuggestedCommand;
import org.igvm.domain.vm.VmLookup;

/** The domain's implementation of the {@link Inventory} facade, over the inventory port. */
public final class InventoryService implements Inventory {
    /** Attributes {@code set} never writes: the identity, and the locks only igvm takes and unlock breaks. */
    private static final Set<String> NOT_SETTABLE =
            Set.of("object_id", "servertype", ObjectLocks.LOCKED, ObjectLocks.LOCKED_BY);

    private final InventoryPort inventory;
    private final FleetFormat fleet;
    private final AttributeSchema schema = AttributeSchema.standard();

    public InventoryService(InventoryPort inventory, FleetFormat fleet) {
        this.inventory = inventory;
        this.fleet = fleet;
    }

    @Override
    public boolean init() {
        return inventory.create();
    }

    @Override
    public int importFleet(ImportRequest request) {
        try (Reader in = Files.newBufferedReader(request.file())) {
            return fleet.importInto(inventory, in, request.replace());
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("fleet file " + request.file() + " does not exist");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read fleet file " + request.file() + ": " + IoFailureReason.of(e));
        }
    }

    @Override
    public int importFleet(Reader document, boolean replace) {
        return fleet.importInto(inventory, document, replace);
    }

    @Override
    public int exportFleet(Writer out) {
        int count = fleet.export(inventory, out);
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return count;
    }

    @Override
    public InventoryObject show(String host) {
        return asApi(new VmLookup(inventory).object(host));
    }

    @Override
    public List<InventoryObject> query(String query) {
        return inventory.query(QueryParser.parse(query, schema)).stream()
                .map(InventoryService::asApi)
                .toList();
    }

    @Override
    public List<InventoryObject> query(String query, List<String> attributes) {
        Query parsed = QueryParser.parse(query, schema);
        requireKnown(attributes);
        return inventory.query(parsed, attributes).stream()
                .map(InventoryService::asApi)
                .toList();
    }

    @Override
    public List<InventoryRow> queryRows(String query, List<String> attributes) {
        Query parsed = QueryParser.parse(query, schema);
        requireKnown(attributes);
        // The store reads each attribute once; an attribute asked twice is printed twice.
        List<String> distinct = List.copyOf(new LinkedHashSet<>(attributes));
        int[] column = attributes.stream().mapToInt(distinct::indexOf).toArray();
        List<AttributeRow> found = inventory.rows(parsed, distinct);
        List<InventoryRow> rows = new ArrayList<>(found.size());
        for (AttributeRow row : found) {
            List<Object> values = row.values();
            if (column.length != distinct.size()) {
                Object[] expanded = new Object[column.length];
                for (int i = 0; i < column.length; i++) {
                    expanded[i] = values.get(column[i]);
                }
                values = Arrays.asList(expanded);
            }
            rows.add(new InventoryRow(row.objectId(), row.hostname(), Collections.unmodifiableList(values)));
        }
        return rows;
    }

    private void requireKnown(List<String> attributes) {
        for (String attribute : attributes) {
            if (schema.servertypes().stream()
                    .noneMatch(t -> schema.definition(t, attribute).isPresent())) {
                throw new InvalidInputException("unknown attribute '" + attribute + "' to print; known: "
                        + String.join(", ", knownAttributes()));
            }
        }
    }

    @Override
    public InventoryObject set(SetAttributesRequest request) {
        ServerObject object = new VmLookup(inventory).object(request.host());
        ObjectChange change = null;
        for (Map.Entry<String, String> e : request.values().entrySet()) {
            String attribute = e.getKey();
            if (NOT_SETTABLE.contains(attribute)) {
                throw new InvalidInputException(attribute + " of " + object.hostname() + " cannot be changed"
                        + (attribute.startsWith("igvm_locked")
                                ? " with inventory set; igvm takes its locks itself, and breaks a dead"
                                        + " holder's with: " + SuggestedCommand.igvm("unlock", object.hostname())
                                : ""));
            }
            Object value = schema.parse(object.servertype(), attribute, e.getValue());
            Object old = object.get(attribute);
            change = change == null
                    ? ObjectChange.set(object.objectId(), attribute, old, value)
                    : change.and(attribute, old, value);
        }
        inventory.commit(Commit.of(change));
        return show(object.hostname());
    }

    private java.util.SortedSet<String> knownAttributes() {
        java.util.SortedSet<String> known = new java.util.TreeSet<>();
        schema.servertypes().forEach(t -> schema.attributes(t).forEach(d -> known.add(d.name())));
        return known;
    }

    static InventoryObject asApi(ServerObject object) {
        return new InventoryObject(object.objectId(), object.attributes());
    }
}
