package org.igvm.adapters.inventory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.igvm.domain.inventory.HypervisorLoad;

/**
 * The {@code hypervisor_loads} table: per hypervisor and VM state the number of VMs and Σ num_cpu,
 * memory and disk_size_gib, kept exact by every write in the same transaction (a commit refreshes
 * the rows of the hypervisors it touched, an import rebuilds the table), so placement reads one row
 * per hypervisor and state instead of four values of every VM. A VM without a state is stored
 * under the empty state (empty text is never a stored value) and read back as null.
 */
final class HypervisorLoadTable {
    static final String CREATE_DDL = "CREATE TABLE hypervisor_loads (hypervisor VARCHAR(255) NOT NULL,"
            + " state VARCHAR(255) NOT NULL, vms BIGINT NOT NULL, num_cpu BIGINT NOT NULL, memory BIGINT NOT NULL,"
            + " disk_size_gib BIGINT NOT NULL, PRIMARY KEY (hypervisor, state))";

    /** The loads computed from the values, grouped; {@code %s} is an extra condition on the hypervisor. */
    private static final String COMPUTED = "SELECT h.value_text, COALESCE(st.value_text, ''), COUNT(*), "
            + sum("c") + ", " + sum("m") + ", " + sum("d")
            + " FROM attribute_values h JOIN objects o ON o.object_id = h.object_id AND o.servertype = 'vm'"
            + join("st", "state") + join("c", "num_cpu") + join("m", "memory") + join("d", "disk_size_gib")
            + " WHERE h.name = 'hypervisor' AND h.position = 0%s GROUP BY h.value_text, COALESCE(st.value_text, '')";

    private static final String INSERT =
            "INSERT INTO hypervisor_loads (hypervisor, state, vms, num_cpu, memory, disk_size_gib) ";

    /** Fills the (empty) table from the stored VMs: the schema step that adds it, and imports. */
    static final String FILL_SQL = INSERT + COMPUTED.formatted("");

    private final Connection connection;

    HypervisorLoadTable(Connection connection) {
        this.connection = connection;
    }

    /** Every row. */
    List<HypervisorLoad> read() throws SQLException {
        List<HypervisorLoad> loads = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT hypervisor, state, vms, num_cpu, memory, disk_size_gib FROM hypervisor_loads")) {
            ps.setFetchSize(4096);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String state = rs.getString(2);
                    loads.add(new HypervisorLoad(
                            rs.getString(1),
                            state.isEmpty() ? null : state,
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getLong(5),
                            rs.getLong(6)));
                }
            }
        }
        return loads;
    }

    /** Recomputes the rows of these hypervisors (by hostname) from their VMs' current values. */
    void refresh(Collection<String> hypervisors) throws SQLException {
        if (hypervisors.isEmpty()) {
            return;
        }
        try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM hypervisor_loads WHERE hypervisor = ?");
                PreparedStatement insert =
                        connection.prepareStatement(INSERT + COMPUTED.formatted(" AND h.value_text = ?"))) {
            for (String hypervisor : hypervisors) {
                delete.setString(1, hypervisor);
                delete.executeUpdate();
                insert.setString(1, hypervisor);
                insert.executeUpdate();
            }
        }
    }

    /** Recomputes the whole table (after a bulk load, which may have replaced any object). */
    void rebuild() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM hypervisor_loads");
            statement.execute(FILL_SQL);
        }
    }

    private static String join(String alias, String attribute) {
        return " LEFT JOIN attribute_values " + alias + " ON " + alias + ".object_id = h.object_id AND " + alias
                + ".name = '" + attribute + "' AND " + alias + ".position = 0";
    }

    /** As {@code totals} sums: integer values only, a missing one counts 0. */
    private static String sum(String alias) {
        return "COALESCE(SUM(CASE WHEN " + alias + ".value_type = 'integer' THEN CAST(" + alias
                + ".value_text AS BIGINT) ELSE 0 END), 0)";
    }
}
