package org.igvm.adapters.inventory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.igvm.api.IgvmException;
import org.igvm.api.InventoryException;
import org.igvm.domain.inventory.AttributeRow;
import org.igvm.domain.inventory.AttributeSchema;
import org.igvm.domain.inventory.Commit;
import org.igvm.domain.inventory.Filter;
import org.igvm.domain.inventory.GroupTotals;
import org.igvm.domain.inventory.HypervisorLoad;
import org.igvm.domain.inventory.InventoryPort;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.ServerObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The inventory in a SQL database: embedded SQLite (one file, the default) or a shared PostgreSQL.
 * Each operation uses its own connection and transaction. Commits are serialised by the database:
 * on SQLite by {@code BEGIN IMMEDIATE} (with a busy timeout, also across processes), on PostgreSQL
 * by a row lock every commit takes first; old values are checked after that lock, so of several
 * racing conditional commits exactly one wins.
 */
public final class JdbcInventory implements InventoryPort {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcInventory.class);
    private static final int SQLITE_BUSY_TIMEOUT_MILLIS = 60_000;
    private static final int MAX_ATTEMPTS = 5;

    private final InventoryConfig config;
    private final SqlDialect dialect;
    private final AttributeSchema schema;
    /** The SQLite file, checked before SQLite opens it; null on PostgreSQL and in memory. */
    private final SqliteFile file;

    private volatile boolean closed;
    /** Whether the database was checked and its schema brought up to date (on first use). */
    private boolean opened;

    /**
     * The inventory at the configured location, opened on first use. A missing SQLite file is
     * created by the first write ({@link #create()}, a commit, an import), never by a read.
     */
    public JdbcInventory(InventoryConfig config) {
        this(config, AttributeSchema.standard());
    }

    public JdbcInventory(InventoryConfig config, AttributeSchema schema) {
        this.config = config;
        this.dialect = SqlDialect.of(config.jdbcUrl());
        this.schema = schema;
        this.file = dialect == SqlDialect.SQLITE ? SqliteFile.of(config.jdbcUrl()) : null;
    }

    @Override
    public boolean create() {
        return openOnce(true);
    }

    /**
     * Checks the database and brings its schema up to date, once; returns whether this created the
     * inventory's tables. Only a write creates a missing SQLite file or the tables of an empty one.
     */
    private synchronized boolean openOnce(boolean writing) {
        if (opened) {
            return false;
        }
        if (closed) {
            throw new IllegalStateException("inventory " + config.redactedUrl() + " is closed");
        }
        if (file != null) {
            if (!writing || file.exists()) {
                file.requireDatabase();
            } else {
                file.createParentDirectory();
            }
        }
        // A read first: an up-to-date (or read-only) inventory is opened without a write transaction.
        int version = run(false, connection -> SchemaMigrations.currentVersion(connection, dialect));
        boolean created = false;
        if (version != SchemaMigrations.latestVersion()) {
            if (version == 0 && file != null) {
                boolean empty = run(false, SchemaMigrations::hasNoTables);
                if (!empty) {
                    throw new InventoryException("inventory " + file + " is an SQLite database of something"
                            + " else (it has tables but no igvm schema); check inventory.url in the config");
                }
                if (!writing) {
                    throw new InventoryException("inventory " + file + " holds no inventory yet; create it with:"
                            + " igvm inventory init (or igvm inventory import FILE)");
                }
            }
            created = version == 0;
            version = run(true, connection -> SchemaMigrations.apply(connection, dialect));
        }
        LOG.debug("inventory {} at schema version {}", config.redactedUrl(), version);
        opened = true;
        return created;
    }

    @Override
    public List<ServerObject> query(Query query) {
        return select(query, null);
    }

    @Override
    public List<ServerObject> query(Query query, Collection<String> attributes) {
        return select(query, new LinkedHashSet<>(attributes));
    }

    @Override
    public List<AttributeRow> rows(Query query, List<String> attributes) {
        List<String> present = checkedInDocuments(query);
        Map<String, Filter> inSql = new LinkedHashMap<>(query.filters());
        inSql.keySet().removeAll(present);
        Query sqlPart = new Query(inSql);
        SqlQuery sql = new SqlQuery(sqlPart, dialect, schema, probeEachObject(sqlPart));
        if (!sql.exact()) {
            // A filter only Java decides (a regexp): its attributes are loaded and checked first.
            return InventoryPort.super.rows(query, attributes);
        }
        long started = System.nanoTime();
        List<AttributeRow> rows = read(connection ->
                new ObjectRows(connection, schema).selectRows(sql.where(), sql.parameters(), attributes, present));
        LOG.debug(
                "inventory rows {}{}: {} rows in {} ms",
                sql.where(),
                present.isEmpty() ? "" : ", with a value of " + present + " (checked in the documents)",
                rows.size(),
                (System.nanoTime() - started) / 1_000_000);
        return rows;
    }

    /**
     * The attributes of {@code a=Not(Empty())} conditions next to a servertype, which a listing
     * checks in each document it reads anyway: such a condition holds for most objects of the type
     * (every VM has a hypervisor), and in SQL it is the set of every object with a value of it
     * (400,000 ids for {@code servertype=vm hypervisor=Not(Empty())}, half of that query's SQL).
     * A document holds exactly the object's stored values, so it has a value exactly when SQL's
     * {@code attribute_values} does.
     */
    private static List<String> checkedInDocuments(Query query) {
        if (!(query.filters().get("servertype") instanceof Filter.Equals)) {
            return List.of();
        }
        Filter present = new Filter.Not(new Filter.Empty());
        List<String> names = new ArrayList<>();
        query.filters().forEach((name, filter) -> {
            if (filter.equals(present) && !ObjectRows.isColumn(name)) {
                names.add(name);
            }
        });
        return names;
    }

    @Override
    public List<GroupTotals> totals(Query query, List<String> groupBy, List<String> summed) {
        SqlQuery sql = new SqlQuery(query, dialect, schema, probeEachObject(query));
        if (!sql.exact()) {
            // A filter only Java decides (a regexp): count the matching objects here.
            return InventoryPort.super.totals(query, groupBy, summed);
        }
        for (String attribute : groupBy) {
            for (String servertype : schema.servertypes()) {
                if (schema.definition(servertype, attribute)
                        .map(d -> d.multiValued())
                        .orElse(false)) {
                    throw new IllegalArgumentException("cannot group by the set " + attribute + " of " + servertype);
                }
            }
        }
        long started = System.nanoTime();
        List<GroupTotals> totals = read(connection ->
                new ObjectRows(connection, schema).totals(sql.where(), sql.parameters(), groupBy, summed));
        LOG.debug(
                "inventory totals by {} {}: {} groups in {} ms",
                groupBy,
                sql.where(),
                totals.size(),
                (System.nanoTime() - started) / 1_000_000);
        return totals;
    }

    /** Read from the table every write keeps up to date ({@link HypervisorLoadTable}). */
    @Override
    public List<HypervisorLoad> hypervisorLoads() {
        long started = System.nanoTime();
        List<HypervisorLoad> loads = read(connection -> new HypervisorLoadTable(connection).read());
        LOG.debug(
                "inventory hypervisor loads: {} rows in {} ms",
                loads.size(),
                (System.nanoTime() - started) / 1_000_000);
        return loads;
    }

    /** The filters go to SQL; what SQL cannot decide exactly is checked on the loaded values. */
    private List<ServerObject> select(Query query, Set<String> names) {
        SqlQuery sql = new SqlQuery(query, dialect, schema, probeEachObject(query));
        Set<String> loaded = names;
        if (!sql.exact() && names != null) {
            loaded = new LinkedHashSet<>(names);
            loaded.addAll(query.filters().keySet());
        }
        Set<String> columns = loaded;
        long started = System.nanoTime();
        List<ServerObject> found =
                read(connection -> new ObjectRows(connection, schema).select(sql.where(), sql.parameters(), columns));
        LOG.debug(
                "inventory query{} {}: {} rows in {} ms",
                sql.exact() ? "" : " (partly in Java)",
                sql.where(),
                found.size(),
                (System.nanoTime() - started) / 1_000_000);
        if (sql.exact()) {
            return found;
        }
        List<ServerObject> matching = new ArrayList<>();
        for (ServerObject o : found) {
            if (query.matches(o)) {
                matching.add(loaded == names ? o : o.only(names));
            }
        }
        return matching;
    }

    /**
     * Whether SQLite should check each selected object's values rather than list every object with
     * a value: when the query names a servertype that holds under a quarter of all objects (10,000
     * hypervisors among 400,000 VMs), one search per such object costs less than listing, e.g.,
     * every object in state online. Two index counts decide it.
     */
    private boolean probeEachObject(Query query) {
        if (dialect != SqlDialect.SQLITE
                || !(query.filters().get("servertype") instanceof org.igvm.domain.inventory.Filter.Equals equals)
                || !(equals.expected() instanceof String servertype)
                || query.filters().size() < 2) {
            return false;
        }
        return read(connection -> {
            ObjectRows rows = new ObjectRows(connection, schema);
            return rows.countOfServertype(servertype) * 4 < rows.count();
        });
    }

    @Override
    public Optional<ServerObject> get(long objectId) {
        return read(connection -> new ObjectRows(connection, schema).load(objectId));
    }

    @Override
    public long commit(Commit commit) {
        long commitId = write(connection -> new CommitExecution(connection, schema).run(commit));
        LOG.debug(
                "inventory commit {}: {} created, {} changed, {} deleted",
                commitId,
                commit.created().size(),
                commit.changed().size(),
                commit.deleted().size());
        return commitId;
    }

    /**
     * Creates every object of the stream in one commit (see {@link FleetFile#importInto}); returns
     * how many. With {@code replace}, a stored object with the same object_id or hostname is
     * replaced; otherwise such a clash is an error and nothing is written.
     */
    public int importObjects(Iterator<Map<String, Object>> objects, boolean replace) {
        long started = System.nanoTime();
        int count = write(connection -> new BulkLoad(connection, schema, dialect).run(objects, replace));
        LOG.debug(
                "inventory import: {} objects created in {} ms, commit included",
                count,
                (System.nanoTime() - started) / 1_000_000);
        return count;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The schema version the database is at after opening. */
    public int schemaVersion() {
        return read(connection -> {
            try (var statement = connection.createStatement();
                    var rs = statement.executeQuery("SELECT MAX(version) FROM schema_version")) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Override
    public String toString() {
        return "JdbcInventory[" + config.redactedUrl() + "]";
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T read(Work<T> work) {
        openOnce(false);
        return run(false, work);
    }

    private <T> T write(Work<T> work) {
        openOnce(true);
        return run(true, work);
    }

    private <T> T run(boolean writing, Work<T> work) {
        if (closed) {
            throw new IllegalStateException("inventory " + config.redactedUrl() + " is closed");
        }
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = open(writing)) {
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException | Error e) {
                    rollbackQuietly(connection);
                    throw e;
                }
            } catch (IgvmException e) {
                throw e;
            } catch (SQLException e) {
                if (dialect.isRetryable(e) && attempt < MAX_ATTEMPTS) {
                    LOG.debug("inventory transaction attempt {} hit {}; retrying", attempt, e.getSQLState());
                    continue;
                }
                throw new InventoryException(
                        "inventory " + (file == null ? config.redactedUrl() : file.toString()) + " failed: "
                                + e.getMessage(),
                        e);
            }
        }
    }

    private Connection open(boolean writing) throws SQLException {
        Properties properties;
        if (dialect == SqlDialect.SQLITE) {
            SQLiteConfig sqlite = new SQLiteConfig();
            // WAL keeps readers off the writer's back; FULL sync and the journal make commits atomic.
            // The mode is stored in the file: set by writers only, so a read changes no byte of it.
            if (writing) {
                sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
            }
            sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            sqlite.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MILLIS);
            sqlite.enforceForeignKeys(true);
            // IMMEDIATE takes the write lock at BEGIN, before any old value is read.
            sqlite.setTransactionMode(
                    writing ? SQLiteConfig.TransactionMode.IMMEDIATE : SQLiteConfig.TransactionMode.DEFERRED);
            properties = sqlite.toProperties();
        } else {
            properties = new Properties();
            // Batched inserts (fleet import) go as multi-row INSERTs: one round trip per batch.
            properties.setProperty("reWriteBatchedInserts", "true");
        }
        if (config.user() != null) {
            properties.setProperty("user", config.user());
        }
        if (config.password() != null) {
            properties.setProperty("password", config.password());
        }
        Connection connection = DriverManager.getConnection(config.jdbcUrl(), properties);
        try {
            if (dialect == SqlDialect.POSTGRESQL) {
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed (the connection closes anyway)", e);
        }
    }
}
