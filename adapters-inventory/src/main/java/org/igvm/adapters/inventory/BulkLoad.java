package org.igvm.adapters.inventory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.inventory.AttributeDefinition;
import org.igvm.domain.inventory.AttributeSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a stream of objects inside one open write transaction, as one commit: the same checks as
 * {@link CommitExecution}'s creations (servertype, hostname, known attributes and typed values, no
 * id or hostname taken, relations to existing objects), but with batched prepared inserts and
 * in-memory sets for the objects already seen, so 400,000 objects take seconds, not minutes.
 * Objects are not kept: memory grows with the hostnames and ids only.
 */
final class BulkLoad {
    private static final Logger LOG = LoggerFactory.getLogger(BulkLoad.class);
    /** Rows per block; a COPY block is larger (one round trip each, no statement size limit). */
    private static final int BATCH = 2_000;

    private static final int COPY_BATCH = 50_000;

    /** A constraint a PostgreSQL load into an empty inventory adds after its rows, by its creation name. */
    private record DeferredConstraint(String table, String name, String definition) {}

    /** The values' and documents' keys; the objects' own keys stay (the foreign keys need them). */
    private static final List<DeferredConstraint> POSTGRESQL_DEFERRED_CONSTRAINTS = List.of(
            new DeferredConstraint(
                    "attribute_values", "attribute_values_pkey", "PRIMARY KEY (object_id, name, position)"),
            new DeferredConstraint(
                    "attribute_values",
                    "attribute_values_object_id_fkey",
                    "FOREIGN KEY (object_id) REFERENCES objects (object_id)"),
            new DeferredConstraint(
                    "object_documents",
                    "object_documents_object_id_fkey",
                    "FOREIGN KEY (object_id) REFERENCES objects (object_id)"));

    private static final int SQLITE_CACHE_KIB = 256 * 1024;

    private final Connection connection;
    private final AttributeSchema schema;
    private final Map<Long, String> seenIds = new HashMap<>();
    private final Set<String> seenHostnames = new HashSet<>();
    private BulkRows insertObject;
    private BulkRows insertValue;
    private BulkRows insertDocument;
    private long maxId;
    private boolean databaseHadObjects;

    private final SqlDialect dialect;

    BulkLoad(Connection connection, AttributeSchema schema, SqlDialect dialect) {
        this.connection = connection;
        this.schema = schema;
        this.dialect = dialect;
    }

    /** Every object of the stream, created; with {@code replace} an object clashing with a stored one replaces it. */
    int run(Iterator<Map<String, Object>> objects, boolean replace) throws SQLException {
        long started = System.nanoTime();
        CommitExecution.nextCommitId(connection);
        ObjectRows rows = new ObjectRows(connection, schema);
        maxId = rows.nextFreeId() - 1;
        databaseHadObjects = maxId > 0 || rows.count() > 0;
        if (dialect == SqlDialect.SQLITE) {
            // The default page cache (2 MB) makes every index insert a disk read once the tables
            // outgrow it; native memory, not heap, and only for this connection.
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA cache_size = -" + SQLITE_CACHE_KIB);
            }
        }
        // Into an empty inventory the value index is built once at the end (a sort), not kept up
        // to date row by row; DDL is transactional on both databases.
        boolean rebuildIndex = !databaseHadObjects;
        if (rebuildIndex) {
            execute("DROP INDEX " + SchemaMigrations.VALUE_INDEX);
            if (dialect == SqlDialect.POSTGRESQL) {
                // PostgreSQL checks a foreign key per row and keeps each B-tree up to date per row;
                // added after the load, each is one pass (the seen sets already refused duplicates).
                for (DeferredConstraint c : POSTGRESQL_DEFERRED_CONSTRAINTS) {
                    execute("ALTER TABLE " + c.table() + " DROP CONSTRAINT " + c.name());
                }
            }
        }
        int count = 0;
        try (BulkRows objectsRows =
                        new BulkRows(connection, dialect, "objects", "object_id", "servertype", "hostname", "version");
                BulkRows valuesRows = new BulkRows(
                        connection,
                        dialect,
                        "attribute_values",
                        "object_id",
                        "name",
                        "position",
                        "value_text",
                        "value_type");
                BulkRows documentsRows =
                        new BulkRows(connection, dialect, "object_documents", "object_id", "document")) {
            insertObject = objectsRows;
            insertValue = valuesRows;
            insertDocument = documentsRows;
            while (objects.hasNext()) {
                create(rows, objects.next(), replace, ++count);
            }
            flush();
        }
        long loaded = System.nanoTime();
        if (rebuildIndex) {
            execute(SchemaMigrations.VALUE_INDEX_DDL);
            if (dialect == SqlDialect.POSTGRESQL) {
                for (DeferredConstraint c : POSTGRESQL_DEFERRED_CONSTRAINTS) {
                    execute("ALTER TABLE " + c.table() + " ADD CONSTRAINT " + c.name() + " " + c.definition());
                }
            }
        }
        // Any VM may have come, moved or been replaced: one grouped pass instead of per-row upkeep.
        new HypervisorLoadTable(connection).rebuild();
        // Fresh statistics, so the planners pick the value index where it is selective.
        if (dialect == SqlDialect.SQLITE) {
            execute("ANALYZE");
        } else {
            execute("ANALYZE objects");
            execute("ANALYZE attribute_values");
        }
        long indexed = System.nanoTime();
        List<String> broken = rows.brokenRelations();
        LOG.debug(
                "bulk load of {} objects: rows {} ms, value index, hypervisor loads and statistics {} ms,"
                        + " relation check {} ms",
                count,
                (loaded - started) / 1_000_000,
                (indexed - loaded) / 1_000_000,
                (System.nanoTime() - indexed) / 1_000_000);
        if (!broken.isEmpty()) {
            int shown = Math.min(5, broken.size());
            throw new InvalidInputException("import would leave broken relations: "
                    + String.join("; ", broken.subList(0, shown))
                    + (broken.size() > shown ? "; and " + (broken.size() - shown) + " more" : "")
                    + "; nothing was imported");
        }
        return count;
    }

    private void create(ObjectRows rows, Map<String, Object> given, boolean replace, int number) throws SQLException {
        Object servertypeValue = given.get("servertype");
        if (!(servertypeValue instanceof String servertype) || servertype.isBlank()) {
            throw new InvalidInputException("fleet file object " + number + " needs a servertype (one of "
                    + String.join(", ", schema.servertypes()) + "): " + given);
        }
        Object hostnameValue = schema.normalize(servertype, "hostname", given.get("hostname"));
        if (hostnameValue == null) {
            throw new InvalidInputException(
                    "fleet file object " + number + " (a " + servertype + ") needs a hostname: " + given);
        }
        String hostname = (String) hostnameValue;
        Object idValue = schema.normalize(servertype, "object_id", given.get("object_id"));
        long objectId = idValue == null ? maxId + 1 : (Long) idValue;
        String sameIdInFile = seenIds.get(objectId);
        if (sameIdInFile != null) {
            throw new InvalidInputException("fleet file gives object_id " + objectId + " to both " + sameIdInFile
                    + " and " + hostname + "; object ids must be unique");
        }
        if (!seenHostnames.add(hostname)) {
            throw new InvalidInputException(
                    "fleet file has the hostname " + hostname + " twice; hostnames must be unique");
        }
        seenIds.put(objectId, hostname);
        maxId = Math.max(maxId, objectId);
        if (databaseHadObjects) {
            replaceExisting(rows, objectId, hostname, replace);
        }
        insertObject.add(objectId, servertype, hostname, 1L);
        Map<String, List<String>> texts = new HashMap<>();
        for (Map.Entry<String, Object> e : given.entrySet()) {
            String name = e.getKey();
            AttributeDefinition definition = schema.require(servertype, name);
            Object value = schema.normalize(servertype, name, e.getValue());
            if (name.equals("object_id") || name.equals("servertype") || name.equals("hostname")) {
                continue;
            }
            List<?> elements = value == null ? List.of() : value instanceof List<?> list ? list : List.of(value);
            int position = 0;
            for (Object element : elements) {
                String text = element.toString();
                texts.computeIfAbsent(name, n -> new java.util.ArrayList<>(1)).add(text);
                insertValue.add(objectId, name, position++, text, ObjectRows.storedType(definition));
            }
        }
        insertDocument.add(objectId, ObjectDocument.encode(texts));
        int batch = dialect == SqlDialect.POSTGRESQL ? COPY_BATCH : BATCH;
        if (insertValue.pending() >= batch || insertObject.pending() >= batch) {
            flush();
        }
    }

    /** A stored object with this id or hostname: an error, or deleted (replace). */
    private void replaceExisting(ObjectRows rows, long objectId, String hostname, boolean replace) throws SQLException {
        // Objects of this import are in the seen sets, so what is found here was stored before.
        String storedWithId = rows.hostnameOf(objectId).orElse(null);
        Long storedWithHostname = rows.idOfHostname(hostname).orElse(null);
        if (storedWithId == null && storedWithHostname == null) {
            return;
        }
        if (!replace) {
            String existing = storedWithId != null
                    ? storedWithId + " (object_id " + objectId + ")"
                    : hostname + " (object_id " + storedWithHostname + ")";
            throw new InvalidInputException("fleet file object " + hostname + " (object_id " + objectId
                    + ") clashes with " + existing
                    + " already in the inventory; import with replace to overwrite it; nothing was imported");
        }
        flush();
        if (storedWithId != null) {
            rows.delete(objectId);
        }
        if (storedWithHostname != null && storedWithHostname != objectId) {
            rows.delete(storedWithHostname);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Objects first: the values' and documents' foreign keys name them. */
    private void flush() throws SQLException {
        insertObject.flush();
        insertDocument.flush();
        insertValue.flush();
    }
}
