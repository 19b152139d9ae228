package org.igvm.adapters.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.igvm.domain.inventory.AttributeDefinition;
import org.igvm.domain.inventory.AttributeRow;
import org.igvm.domain.inventory.AttributeSchema;
import org.igvm.domain.inventory.GroupTotals;
import org.igvm.domain.inventory.ServerObject;

/**
 * Reads and writes inventory objects as rows: one {@code objects} row (id, servertype, hostname,
 * version) and one {@code attribute_values} row per value (a set has one row per element).
 */
final class ObjectRows {
    private final Connection connection;
    private final AttributeSchema schema;
    /** SQLite: texts of large reads are fetched as UTF-8 bytes ({@link DocumentRowReader}). */
    private final boolean utf8Bytes;

    ObjectRows(Connection connection, AttributeSchema schema) {
        this.connection = connection;
        this.schema = schema;
        this.utf8Bytes = connection instanceof org.sqlite.SQLiteConnection;
    }

    /** Objects matching simple column conditions ({@code column = ?}, ANDed), ordered by hostname. */
    List<ServerObject> load(Map<String, Object> columnEquals) throws SQLException {
        StringBuilder where = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        for (Map.Entry<String, Object> e : columnEquals.entrySet()) {
            where.append(where.isEmpty() ? " WHERE " : " AND ")
                    .append("o.")
                    .append(e.getKey())
                    .append(" = ?");
            parameters.add(e.getValue());
        }
        Map<Long, String[]> heads = new LinkedHashMap<>();
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT o.object_id, o.servertype, o.hostname FROM objects o" + where)) {
            bind(ps, parameters);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heads.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        Map<Long, Map<String, List<Object>>> values = new TreeMap<>();
        if (!heads.isEmpty()) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT v.object_id, v.name, v.value_text, v.value_type FROM attribute_values v"
                            + " JOIN objects o ON o.object_id = v.object_id" + where
                            + " ORDER BY v.object_id, v.name, v.position")) {
                bind(ps, parameters);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        values.computeIfAbsent(rs.getLong(1), id -> new LinkedHashMap<>())
                                .computeIfAbsent(rs.getString(2), n -> new ArrayList<>())
                                .add(decode(rs.getString(3), rs.getString(4)));
                    }
                }
            }
        }
        List<ServerObject> objects = new ArrayList<>();
        heads.forEach((id, head) -> objects.add(assemble(id, head[0], head[1], values.getOrDefault(id, Map.of()))));
        // Sorted here, not in SQL: PostgreSQL's collation would order differently from SQLite's.
        objects.sort(Comparator.comparing(ServerObject::hostname));
        return objects;
    }

    /**
     * The objects the condition selects, with the named attributes only ({@code null}: all),
     * ordered by hostname: one row per object, its values from its {@link ObjectDocument}.
     */
    List<ServerObject> select(String where, List<Object> parameters, Set<String> names) throws SQLException {
        // Per servertype, the attributes to keep and their definitions (null for one it lacks).
        Map<String, DocumentColumns> columnsByServertype = new java.util.HashMap<>();
        List<ServerObject> objects = new ArrayList<>();
        eachDocument(where, parameters, (id, servertype, hostname, document) -> {
            DocumentColumns columns =
                    columnsByServertype.computeIfAbsent(servertype, t -> new DocumentColumns(schema, t, names));
            Map<String, List<Object>> values = new LinkedHashMap<>();
            ObjectDocument.Cursor cursor = new ObjectDocument.Cursor(document);
            while (cursor.next()) {
                int column = columns.indexOf(cursor);
                if (column < 0 && names != null) {
                    continue;
                }
                String name = column < 0 ? cursor.name() : columns.name(column);
                Object value = decode(cursor.text(), column < 0 ? null : columns.definition(column));
                values.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            }
            objects.add(assemble(id, servertype, hostname, values, names));
        });
        objects.sort(Comparator.comparing(ServerObject::hostname));
        return objects;
    }

    /**
     * The objects the condition selects as rows of the named (distinct) attributes, ordered by
     * hostname; values as {@link #select}'s objects hold them, without a map per object. Of
     * those, only the objects with a value of each of the {@code present} attributes, checked
     * in their documents (the condition's other filters are in {@code where}).
     */
    List<AttributeRow> selectRows(String where, List<Object> parameters, List<String> names, List<String> present)
            throws SQLException {
        Set<String> wanted = new java.util.LinkedHashSet<>(names);
        int shown = wanted.size();
        wanted.addAll(present);
        List<String> columnNames = List.copyOf(wanted);
        int[] presentColumns = present.stream().mapToInt(columnNames::indexOf).toArray();
        Map<String, DocumentColumns> columnsByServertype = new java.util.HashMap<>();
        List<AttributeRow> rows = new ArrayList<>();
        eachDocument(where, parameters, (id, servertype, hostname, document) -> {
            DocumentColumns columns =
                    columnsByServertype.computeIfAbsent(servertype, t -> new DocumentColumns(schema, t, wanted));
            Object[] values = columns.values(id, servertype, hostname, document);
            for (int column : presentColumns) {
                if (values[column] == null || values[column] instanceof List<?> set && set.isEmpty()) {
                    return; // no value of an attribute that must have one
                }
            }
            rows.add(new AttributeRow(
                    id, hostname, Arrays.asList(values.length == shown ? values : Arrays.copyOf(values, shown))));
        });
        rows.sort(Comparator.comparing(AttributeRow::hostname));
        return rows;
    }

    /** Whether the attribute is a column of {@code objects} (object_id, servertype, hostname), never a value row. */
    static boolean isColumn(String attribute) {
        return attribute.equals("object_id") || attribute.equals("servertype") || attribute.equals("hostname");
    }

    /** Each selected object's id, servertype, hostname and document, on {@link DocumentRowReader}'s terms. */
    private void eachDocument(String where, List<Object> parameters, DocumentRowReader.RowSink sink)
            throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("SELECT o.object_id, o.servertype, o.hostname, d.document FROM objects o"
                        + " JOIN object_documents d ON d.object_id = o.object_id" + where)) {
            ps.setFetchSize(4096);
            bind(ps, parameters);
            DocumentRowReader.read(ps, utf8Bytes, sink);
        }
    }

    /** The attributes {@link #select} keeps of one servertype's documents, found by name in place. */
    private static final class DocumentColumns {
        private final String[] names;
        private final AttributeDefinition[] definitions;

        DocumentColumns(AttributeSchema schema, String servertype, Set<String> wanted) {
            List<String> kept = wanted != null
                    ? List.copyOf(wanted)
                    : schema.attributes(servertype).stream()
                            .map(AttributeDefinition::name)
                            .toList();
            names = kept.toArray(String[]::new);
            definitions = kept.stream()
                    .map(n -> schema.definition(servertype, n).orElse(null))
                    .toArray(AttributeDefinition[]::new);
        }

        int indexOf(ObjectDocument.Cursor cursor) {
            for (int i = 0; i < names.length; i++) {
                if (cursor.nameIs(names[i])) {
                    return i;
                }
            }
            return -1;
        }

        /** The row's values of the kept attributes, in order, as {@link ServerObject#get} gives them. */
        @SuppressWarnings("unchecked")
        Object[] values(long id, String servertype, String hostname, String document) {
            Object[] values = new Object[names.length];
            ObjectDocument.Cursor cursor = new ObjectDocument.Cursor(document);
            while (cursor.next()) {
                int column = indexOf(cursor);
                if (column < 0) {
                    continue;
                }
                Object value = decode(cursor.text(), definitions[column]);
                if (definitions[column] != null && definitions[column].multiValued()) {
                    if (values[column] == null) {
                        values[column] = new ArrayList<>(2);
                    }
                    ((List<Object>) values[column]).add(value);
                } else if (values[column] == null) {
                    values[column] = value;
                }
            }
            for (int i = 0; i < values.length; i++) {
                switch (names[i]) {
                    case "object_id" -> values[i] = id;
                    case "hostname" -> values[i] = hostname;
                    case "servertype" -> values[i] = servertype;
                    default -> {
                        if (definitions[i] != null && definitions[i].multiValued()) {
                            // Sets are always present, empty when nothing is stored.
                            values[i] =
                                    values[i] == null ? List.of() : Collections.unmodifiableList((List<?>) values[i]);
                        }
                    }
                }
            }
            return values;
        }

        String name(int column) {
            return names[column];
        }

        AttributeDefinition definition(int column) {
            return definitions[column];
        }
    }

    /** Counts and integer sums per group of the objects the condition selects (see InventoryPort#totals). */
    List<GroupTotals> totals(String where, List<Object> parameters, List<String> groupBy, List<String> summed)
            throws SQLException {
        StringBuilder select = new StringBuilder("SELECT ");
        StringBuilder joins = new StringBuilder();
        List<String> keys = new ArrayList<>();
        List<Object> all = new ArrayList<>();
        for (int i = 0; i < groupBy.size(); i++) {
            String attribute = groupBy.get(i);
            if (attribute.equals("hostname") || attribute.equals("servertype")) {
                keys.add("o." + attribute);
                select.append("o.").append(attribute).append(", 'string', ");
            } else {
                String alias = "g" + i;
                joins.append(" LEFT JOIN attribute_values ")
                        .append(alias)
                        .append(" ON ")
                        .append(alias)
                        .append(".object_id = o.object_id AND ")
                        .append(alias)
                        .append(".name = ? AND ")
                        .append(alias)
                        .append(".position = 0");
                all.add(attribute);
                keys.add(alias + ".value_text");
                keys.add(alias + ".value_type");
                select.append(alias).append(".value_text, ").append(alias).append(".value_type, ");
            }
        }
        select.append("COUNT(*)");
        for (int i = 0; i < summed.size(); i++) {
            String alias = "s" + i;
            joins.append(" LEFT JOIN attribute_values ")
                    .append(alias)
                    .append(" ON ")
                    .append(alias)
                    .append(".object_id = o.object_id AND ")
                    .append(alias)
                    .append(".name = ? AND ")
                    .append(alias)
                    .append(".position = 0");
            all.add(summed.get(i));
            select.append(", COALESCE(SUM(CASE WHEN ")
                    .append(alias)
                    .append(".value_type = 'integer' THEN CAST(")
                    .append(alias)
                    .append(".value_text AS BIGINT) ELSE 0 END), 0)");
        }
        all.addAll(parameters);
        String sql = select + " FROM objects o" + joins + where
                + (keys.isEmpty() ? "" : " GROUP BY " + String.join(", ", keys));
        List<GroupTotals> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            bind(ps, all);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Object> key = new ArrayList<>(groupBy.size());
                    for (int i = 0; i < groupBy.size(); i++) {
                        String text = rs.getString(2 * i + 1);
                        key.add(text == null ? null : decode(text, rs.getString(2 * i + 2)));
                    }
                    int column = 2 * groupBy.size() + 1;
                    long count = rs.getLong(column);
                    if (count == 0 && groupBy.isEmpty()) {
                        continue; // no object matched: no group
                    }
                    List<Long> sums = new ArrayList<>(summed.size());
                    for (int i = 0; i < summed.size(); i++) {
                        sums.add(rs.getLong(column + 1 + i));
                    }
                    out.add(new GroupTotals(key, count, sums));
                }
            }
        }
        return out;
    }

    Optional<ServerObject> load(long objectId) throws SQLException {
        return load(Map.of("object_id", objectId)).stream().findFirst();
    }

    Optional<Long> idOfHostname(String hostname) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT object_id FROM objects WHERE hostname = ?")) {
            ps.setString(1, hostname);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    Optional<String> hostnameOf(long objectId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT hostname FROM objects WHERE object_id = ?")) {
            ps.setLong(1, objectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    long count() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM objects");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long countOfServertype(String servertype) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT COUNT(*) FROM objects WHERE servertype = ?")) {
            ps.setString(1, servertype);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long nextFreeId() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT COALESCE(MAX(object_id), 0) + 1 FROM objects");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    void insert(long objectId, String servertype, String hostname) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "INSERT INTO objects (object_id, servertype, hostname, version) VALUES (?, ?, ?, 1)")) {
            ps.setLong(1, objectId);
            ps.setString(2, servertype);
            ps.setString(3, hostname);
            ps.executeUpdate();
        }
    }

    void rename(long objectId, String hostname) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("UPDATE objects SET hostname = ? WHERE object_id = ?")) {
            ps.setString(1, hostname);
            ps.setLong(2, objectId);
            ps.executeUpdate();
        }
    }

    /** Points every relation that names {@code oldHostname} at {@code newHostname}; returns the objects changed. */
    Set<Long> renameRelationTargets(List<String> relationNames, String oldHostname, String newHostname)
            throws SQLException {
        Set<Long> changed = new java.util.LinkedHashSet<>();
        for (String name : relationNames) {
            try (PreparedStatement ps = connection.prepareStatement(
                    "SELECT object_id FROM attribute_values WHERE name = ? AND value_text = ?")) {
                ps.setString(1, name);
                ps.setString(2, oldHostname);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changed.add(rs.getLong(1));
                    }
                }
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "UPDATE attribute_values SET value_text = ? WHERE name = ? AND value_text = ?")) {
                ps.setString(1, newHostname);
                ps.setString(2, name);
                ps.setString(3, oldHostname);
                ps.executeUpdate();
            }
        }
        return changed;
    }

    void bumpVersion(long objectId) throws SQLException {
        try (PreparedStatement ps =
                connection.prepareStatement("UPDATE objects SET version = version + 1 WHERE object_id = ?")) {
            ps.setLong(1, objectId);
            ps.executeUpdate();
        }
    }

    void delete(long objectId) throws SQLException {
        for (String sql : List.of(
                "DELETE FROM attribute_values WHERE object_id = ?",
                "DELETE FROM object_documents WHERE object_id = ?",
                "DELETE FROM objects WHERE object_id = ?")) {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                ps.setLong(1, objectId);
                ps.executeUpdate();
            }
        }
    }

    /** Replaces the attribute's stored values; null or an empty list clears it. */
    void write(long objectId, AttributeDefinition definition, Object value) throws SQLException {
        String name = definition.name();
        try (PreparedStatement ps =
                connection.prepareStatement("DELETE FROM attribute_values WHERE object_id = ? AND name = ?")) {
            ps.setLong(1, objectId);
            ps.setString(2, name);
            ps.executeUpdate();
        }
        List<?> elements = value == null ? List.of() : value instanceof List<?> list ? list : List.of(value);
        if (elements.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO attribute_values"
                + " (object_id, name, position, value_text, value_type) VALUES (?, ?, ?, ?, ?)")) {
            int position = 0;
            for (Object element : elements) {
                ps.setLong(1, objectId);
                ps.setString(2, name);
                ps.setInt(3, position++);
                ps.setString(4, element.toString());
                ps.setString(5, storedType(definition));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Relation values whose target object is missing or of another servertype: "owner.attr -> value". */
    List<String> brokenRelations() throws SQLException {
        List<String> broken = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                        "SELECT owner.hostname, owner.servertype, v.name, v.value_text, target.servertype"
                                + " FROM attribute_values v JOIN objects owner ON owner.object_id = v.object_id"
                                + " LEFT JOIN objects target ON target.hostname = v.value_text"
                                + " WHERE v.value_type = 'relation'");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String expected = schema.definition(rs.getString(2), rs.getString(3))
                        .map(AttributeDefinition::relatedServertype)
                        .orElse(null);
                String actual = rs.getString(5);
                if (actual == null) {
                    broken.add(rs.getString(1) + "." + rs.getString(3) + " names " + rs.getString(4)
                            + ", which does not exist");
                } else if (expected != null && !expected.equals(actual)) {
                    broken.add(rs.getString(1) + "." + rs.getString(3) + " names " + rs.getString(4) + ", a " + actual
                            + ", not a " + expected);
                }
            }
        }
        return broken;
    }

    private ServerObject assemble(long id, String servertype, String hostname, Map<String, List<Object>> stored) {
        return assemble(id, servertype, hostname, stored, null);
    }

    private ServerObject assemble(
            long id, String servertype, String hostname, Map<String, List<Object>> stored, Set<String> names) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("hostname", hostname);
        attributes.put("servertype", servertype);
        for (AttributeDefinition definition : schema.attributes(servertype)) {
            if (names != null && !names.contains(definition.name())) {
                continue;
            }
            List<Object> values = stored.get(definition.name());
            if (definition.multiValued()) {
                // Sets are always present, empty when nothing is stored, as Serveradmin returns them.
                attributes.put(definition.name(), values == null ? List.of() : values);
            } else if (values != null && !values.isEmpty()) {
                attributes.put(definition.name(), values.get(0));
            }
        }
        stored.forEach((name, values) -> attributes.putIfAbsent(name, values.size() == 1 ? values.get(0) : values));
        return new ServerObject(id, attributes);
    }

    /** The stored value_type; relations are marked so their targets can be checked in SQL. */
    static String storedType(AttributeDefinition definition) {
        return switch (definition.type()) {
            case RELATION -> "relation";
            case INTEGER -> "integer";
            case BOOLEAN -> "boolean";
            default -> "string";
        };
    }

    private static Object decode(String text, AttributeDefinition definition) {
        if (definition == null) {
            return text;
        }
        return switch (definition.type()) {
            case INTEGER -> Long.parseLong(text);
            case BOOLEAN -> Boolean.parseBoolean(text);
            default -> text;
        };
    }

    private static Object decode(String text, String type) {
        return switch (type) {
            case "integer" -> Long.parseLong(text);
            case "boolean" -> Boolean.parseBoolean(text);
            default -> text;
        };
    }

    private static void bind(PreparedStatement ps, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object p = parameters.get(i);
            if (p instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (p instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else {
                ps.setString(i + 1, p.toString());
            }
        }
    }
}
