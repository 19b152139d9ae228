package org.igvm.adapters.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.igvm.api.ConflictException;
import org.igvm.api.InvalidInputException;
import org.igvm.api.NotFoundException;
import org.igvm.domain.inventory.AttributeDefinition;
import org.igvm.domain.inventory.AttributeSchema;
import org.igvm.domain.inventory.AttributeType;
import org.igvm.domain.inventory.AttributeUpdate;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.ObjectChange;
import org.igvm.domain.inventory.ServerObject;

/**
 * Applies one {@link Commit} inside an open write transaction: deletions, then creations, then
 * changes, then a check that every relation still names an existing object. Any exception leaves
 * the caller to roll back, so nothing of a failed commit is written.
 */
final class CommitExecution {
    private final Connection connection;
    private final AttributeSchema schema;
    private final ObjectRows rows;
    /** Hostnames of the hypervisors whose VMs this commit changed: their loads are refreshed. */
    private final Set<String> touchedHypervisors = new LinkedHashSet<>();
    /** Objects whose values this commit wrote: their documents are rewritten. */
    private final Set<Long> touchedObjects = new LinkedHashSet<>();

    CommitExecution(Connection connection, AttributeSchema schema) {
        this.connection = connection;
        this.schema = schema;
        this.rows = new ObjectRows(connection, schema);
    }

    /** Runs the commit and returns its id. */
    long run(Commit commit) throws SQLException {
        // The first write of every commit: it takes the write lock (PostgreSQL row lock) that
        // serialises commits, so every later read in this transaction sees the latest data.
        long commitId = nextCommitId(connection);
        for (long objectId : commit.deleted()) {
            delete(objectId);
        }
        for (Map<String, Object> attributes : commit.created()) {
            create(attributes);
        }
        for (ObjectChange change : commit.changed()) {
            change(change);
        }
        new HypervisorLoadTable(connection).refresh(touchedHypervisors);
        new ObjectDocumentTable(connection).refresh(touchedObjects);
        List<String> broken = rows.brokenRelations();
        if (!broken.isEmpty()) {
            throw new InvalidInputException(
                    "commit would leave broken relations: " + String.join("; ", broken) + "; nothing was committed");
        }
        return commitId;
    }

    /** Counts the commit; the first write of a commit, so it takes the write lock. */
    static long nextCommitId(Connection connection) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("UPDATE counters SET value = value + 1 WHERE name = 'commit'")) {
            ps.executeUpdate();
        }
        try (PreparedStatement ps = connection.prepareStatement("SELECT value FROM counters WHERE name = 'commit'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void delete(long objectId) throws SQLException {
        ServerObject stored = rows.load(objectId)
                .orElseThrow(() -> new NotFoundException("cannot delete object " + objectId
                        + ": it does not exist (deleted meanwhile?); nothing was committed"));
        touch(stored);
        touchedObjects.add(objectId);
        rows.delete(objectId);
    }

    private void create(Map<String, Object> given) throws SQLException {
        Object servertypeValue = given.get("servertype");
        if (!(servertypeValue instanceof String servertype) || servertype.isBlank()) {
            throw new InvalidInputException("a created object needs a servertype (one of "
                    + String.join(", ", schema.servertypes()) + "): " + given);
        }
        Object hostname = schema.normalize(servertype, "hostname", given.get("hostname"));
        if (hostname == null) {
            throw new InvalidInputException("a created " + servertype + " needs a hostname: " + given);
        }
        Object idValue = schema.normalize(servertype, "object_id", given.get("object_id"));
        long objectId = idValue == null ? rows.nextFreeId() : (Long) idValue;
        Optional<ServerObject> sameId = rows.load(objectId);
        if (sameId.isPresent()) {
            throw new InvalidInputException("cannot create " + hostname + ": object_id " + objectId
                    + " already belongs to " + sameId.get().hostname());
        }
        if (rows.idOfHostname((String) hostname).isPresent()) {
            throw new InvalidInputException("cannot create " + hostname + ": the hostname already exists (object_id "
                    + rows.idOfHostname((String) hostname).get() + ")");
        }
        Map<AttributeDefinition, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : given.entrySet()) {
            AttributeDefinition definition = schema.require(servertype, e.getKey());
            Object value = schema.normalize(servertype, e.getKey(), e.getValue());
            if (!ObjectRows.isColumn(definition.name())) {
                values.put(definition, value);
            }
        }
        rows.insert(objectId, servertype, (String) hostname);
        touchedObjects.add(objectId);
        for (Map.Entry<AttributeDefinition, Object> e : values.entrySet()) {
            rows.write(objectId, e.getKey(), e.getValue());
        }
        values.forEach((definition, value) -> {
            if (servertype.equals("vm") && definition.name().equals("hypervisor") && value instanceof String hv) {
                touchedHypervisors.add(hv);
            }
        });
    }

    private void change(ObjectChange change) throws SQLException {
        ServerObject stored = rows.load(change.objectId())
                .orElseThrow(() -> new NotFoundException("cannot change object " + change.objectId()
                        + ": it does not exist (deleted meanwhile?); nothing was committed"));
        String servertype = stored.servertype();
        touch(stored);
        touchedObjects.add(change.objectId());
        for (Map.Entry<String, AttributeUpdate> e : change.updates().entrySet()) {
            String attribute = e.getKey();
            AttributeDefinition definition = schema.require(servertype, attribute);
            if (attribute.equals("object_id") || attribute.equals("servertype")) {
                throw new InvalidInputException(attribute + " of " + stored.hostname() + " cannot be changed");
            }
            Object current = schema.normalize(servertype, attribute, stored.get(attribute));
            Object updated;
            if (e.getValue() instanceof AttributeUpdate.Set set) {
                Object expected = schema.normalize(servertype, attribute, set.oldValue());
                if (!sameValue(current, expected)) {
                    throw new ConflictException("commit rejected, newer data: " + stored.hostname() + "." + attribute
                            + " is now " + display(current) + ", not " + display(expected)
                            + "; nothing was committed, re-read and retry");
                }
                updated = schema.normalize(servertype, attribute, set.newValue());
            } else {
                AttributeUpdate.Multi multi = (AttributeUpdate.Multi) e.getValue();
                if (!definition.multiValued()) {
                    throw new InvalidInputException(attribute + " of servertype " + servertype
                            + " holds a single value; set it instead of adding or removing values");
                }
                List<Object> values = new ArrayList<>((List<?>) current);
                values.removeAll((List<?>) schema.normalize(servertype, attribute, multi.remove()));
                for (Object added : (List<?>) schema.normalize(servertype, attribute, multi.add())) {
                    if (!values.contains(added)) {
                        values.add(added);
                    }
                }
                updated = values;
            }
            if (attribute.equals("hostname")) {
                rename(stored, updated);
            } else {
                rows.write(stored.objectId(), definition, updated);
            }
            stored = stored.with(attribute, updated);
        }
        touch(stored);
        rows.bumpVersion(change.objectId());
    }

    private void rename(ServerObject stored, Object newHostname) throws SQLException {
        if (newHostname == null) {
            throw new InvalidInputException("the hostname of " + stored.hostname() + " cannot be emptied");
        }
        String hostname = (String) newHostname;
        if (hostname.equals(stored.hostname())) {
            return;
        }
        Optional<Long> taken = rows.idOfHostname(hostname);
        if (taken.isPresent()) {
            throw new InvalidInputException("cannot rename " + stored.hostname() + " to " + hostname
                    + ": the hostname already belongs to object " + taken.get());
        }
        rows.rename(stored.objectId(), hostname);
        touchedObjects.addAll(rows.renameRelationTargets(relationNames(), stored.hostname(), hostname));
        if (stored.servertype().equals("hypervisor")) {
            // Its VMs now name the new hostname: their loads move from the old row to a new one.
            touchedHypervisors.add(stored.hostname());
            touchedHypervisors.add(hostname);
        }
    }

    /** Notes the hypervisor a VM names (before or after a change), so its loads are refreshed. */
    private void touch(ServerObject object) {
        if (object.servertype().equals("vm") && object.get("hypervisor") instanceof String hypervisor) {
            touchedHypervisors.add(hypervisor);
        }
    }

    private List<String> relationNames() {
        HashSet<String> names = new HashSet<>();
        for (String servertype : schema.servertypes()) {
            schema.attributes(servertype).stream()
                    .filter(d -> d.type() == AttributeType.RELATION)
                    .forEach(d -> names.add(d.name()));
        }
        return List.copyOf(names);
    }

    /** Equal values; sets compare without regard to order. */
    private static boolean sameValue(Object a, Object b) {
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            return la.size() == lb.size() && new HashSet<>(la).equals(new HashSet<>(lb));
        }
        return Objects.equals(a, b);
    }

    private static String display(Object value) {
        if (value == null || (value instanceof List<?> l && l.isEmpty())) {
            return "empty";
        }
        return value.toString();
    }
}
