package org.igvm.adapters.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.igvm.domain.inventory.AttributeDefinition;
import org.igvm.domain.inventory.AttributeSchema;
import org.igvm.domain.inventory.AttributeType;
import org.igvm.domain.inventory.Filter;
import org.igvm.domain.inventory.Query;

/**
 * A {@link Query} as a SQL condition on {@code objects o}. Every filter SQL can decide exactly as
 * {@link Filter#matches} does is translated (equality, prefixes, emptiness, integer comparisons,
 * and Any/All/Not of those); the others (regular expressions, Contains, decimals) are left out, so
 * the condition selects a superset and {@link #exact()} says whether the rows still need {@link
 * Query#matches}. Values are stored as text: integers as {@link Long#toString}, booleans as
 * true/false, so text equality is the filters' equality for every literal but a decimal.
 */
final class SqlQuery {
    private final SqlDialect dialect;
    private final AttributeSchema schema;
    private final List<Object> parameters = new ArrayList<>();
    private final boolean probeEachObject;
    private final String where;
    private boolean exact = true;

    SqlQuery(Query query, SqlDialect dialect, AttributeSchema schema) {
        this(query, dialect, schema, false);
    }

    /**
     * With {@code probeEachObject} (SQLite), a value condition is a search in each selected object's
     * own values instead of a list of every object with that value: cheaper when the other
     * conditions (a servertype of few objects) select far fewer objects than the value matches.
     */
    SqlQuery(Query query, SqlDialect dialect, AttributeSchema schema, boolean probeEachObject) {
        this.dialect = dialect;
        this.schema = schema;
        this.probeEachObject = probeEachObject && dialect == SqlDialect.SQLITE;
        List<String> parts = new ArrayList<>();
        List<Object> intersected = new ArrayList<>();
        for (Map.Entry<String, Filter> e : query.filters().entrySet()) {
            if (intersectable(e.getKey(), e.getValue())) {
                intersected.add(e.getKey());
                intersected.add(((Filter.Equals) e.getValue()).expected().toString());
                continue;
            }
            List<Object> own = new ArrayList<>();
            String condition = condition(e.getKey(), e.getValue(), own);
            if (condition == null) {
                exact = false;
            } else {
                parts.add(condition);
                parameters.addAll(own);
            }
        }
        if (!intersected.isEmpty()) {
            // SQLite lists each IN subquery apart (a temporary B-tree per value list); the value
            // index's ranges are in object_id order, so an INTERSECT … ORDER BY merges them instead.
            String one = "SELECT object_id FROM attribute_values WHERE name = ? AND value_text = ?";
            parts.add(
                    0,
                    intersected.size() == 2
                            ? member("name = ? AND value_text = ?")
                            : "o.object_id IN ("
                                    + String.join(
                                            " INTERSECT ", java.util.Collections.nCopies(intersected.size() / 2, one))
                                    + " ORDER BY 1)");
            parameters.addAll(0, intersected);
        }
        this.where = parts.isEmpty() ? "" : " WHERE " + String.join(" AND ", parts);
    }

    /** A value equality that joins the merged intersection of value lists (SQLite, not probing). */
    private boolean intersectable(String attribute, Filter filter) {
        return dialect == SqlDialect.SQLITE
                && !probeEachObject
                && !attribute.equals("hostname")
                && !attribute.equals("servertype")
                && !attribute.equals("object_id")
                && filter instanceof Filter.Equals equals
                && (equals.expected() instanceof String
                        || equals.expected() instanceof Long
                        || equals.expected() instanceof Boolean);
    }

    /** {@code " WHERE …"}, or empty for no condition. */
    String where() {
        return where;
    }

    List<Object> parameters() {
        return parameters;
    }

    /** Whether the condition selects exactly the query's matches. */
    boolean exact() {
        return exact;
    }

    /** The exact condition for the filter on the attribute, or null when SQL cannot decide it exactly. */
    private String condition(String attribute, Filter filter, List<Object> p) {
        boolean column = attribute.equals("hostname") || attribute.equals("servertype");
        boolean id = attribute.equals("object_id");
        if (filter instanceof Filter.Equals equals) {
            Object expected = equals.expected();
            if (id) {
                if (!(expected instanceof Long l)) {
                    return null;
                }
                p.add(l);
                return "o.object_id = ?";
            }
            if (!(expected instanceof String || expected instanceof Long || expected instanceof Boolean)) {
                return null;
            }
            if (column) {
                p.add(expected.toString());
                return "o." + attribute + " = ?";
            }
            p.add(attribute);
            p.add(expected.toString());
            return member("name = ? AND value_text = ?");
        }
        if (filter instanceof Filter.Not not) {
            String inner = condition(attribute, not.filter(), p);
            return inner == null ? null : "NOT (" + inner + ")";
        }
        if (filter instanceof Filter.Any any) {
            return combine(attribute, any.filters(), " OR ", "1 = 0", p);
        }
        if (filter instanceof Filter.All all) {
            return combine(attribute, all.filters(), " AND ", "1 = 1", p);
        }
        if (filter instanceof Filter.Empty) {
            if (column || id) {
                return "1 = 0"; // never empty
            }
            // Empty text is never stored (it means "no value"), so empty = no row.
            p.add(attribute);
            return "NOT " + member("name = ?");
        }
        if (filter instanceof Filter.StartsWith startsWith) {
            String prefix = startsWith.prefix();
            if (prefix.isEmpty()) {
                return id ? null : column ? "1 = 1" : nonEmpty(attribute, p);
            }
            if (id) {
                return null;
            }
            if (column) {
                String upper = successor(prefix);
                if (upper == null) {
                    return null;
                }
                // A range the hostname index answers; code-point order on both databases.
                String collated =
                        dialect == SqlDialect.POSTGRESQL ? "o." + attribute + " COLLATE \"C\"" : "o." + attribute;
                p.add(prefix);
                p.add(upper);
                return "(" + collated + " >= ? AND " + collated + " < ?)";
            }
            p.add(attribute);
            p.add(prefix.length());
            p.add(prefix);
            return member("name = ? AND substr(value_text, 1, ?) = ?");
        }
        String operator = filter instanceof Filter.GreaterThan
                ? ">"
                : filter instanceof Filter.GreaterThanOrEquals
                        ? ">="
                        : filter instanceof Filter.LessThan
                                ? "<"
                                : filter instanceof Filter.LessThanOrEquals ? "<=" : null;
        if (operator != null) {
            Object bound = bound(filter);
            if (!(bound instanceof Long l)) {
                return null;
            }
            if (id) {
                p.add(l);
                return "o.object_id " + operator + " ?";
            }
            if (column || !integerEverywhere(attribute)) {
                return null;
            }
            p.add(attribute);
            p.add(l);
            return member("name = ? AND CAST(value_text AS BIGINT) " + operator + " ?");
        }
        return null; // Regexp, Contains: decided on the loaded values
    }

    private String nonEmpty(String attribute, List<Object> p) {
        p.add(attribute);
        return member("name = ?");
    }

    /**
     * The object has a value row meeting the condition (on name, value_text). SQLite plans the IN
     * form well (a list probed per object) and a correlated EXISTS badly; PostgreSQL the other
     * way round: its NOT IN over a large subquery runs the subquery per row, while NOT EXISTS is an
     * anti-join. object_id is never null, so both forms mean the same. SQLite gets the EXISTS form
     * too when it probes each object (see the constructor).
     */
    private String member(String condition) {
        return dialect == SqlDialect.POSTGRESQL || probeEachObject
                ? "EXISTS (SELECT 1 FROM attribute_values av WHERE av.object_id = o.object_id AND " + condition + ")"
                : "o.object_id IN (SELECT object_id FROM attribute_values WHERE " + condition + ")";
    }

    private String combine(String attribute, List<Filter> filters, String joiner, String none, List<Object> p) {
        if (filters.isEmpty()) {
            return none;
        }
        List<String> parts = new ArrayList<>();
        for (Filter f : filters) {
            String part = condition(attribute, f, p);
            if (part == null) {
                return null;
            }
            parts.add(part);
        }
        return "(" + String.join(joiner, parts) + ")";
    }

    private static Object bound(Filter filter) {
        if (filter instanceof Filter.GreaterThan f) {
            return f.bound();
        }
        if (filter instanceof Filter.GreaterThanOrEquals f) {
            return f.bound();
        }
        if (filter instanceof Filter.LessThan f) {
            return f.bound();
        }
        return ((Filter.LessThanOrEquals) filter).bound();
    }

    /** Whether every servertype that has the attribute stores integers in it. */
    private boolean integerEverywhere(String attribute) {
        boolean any = false;
        for (String servertype : schema.servertypes()) {
            AttributeDefinition d = schema.definition(servertype, attribute).orElse(null);
            if (d != null) {
                if (d.type() != AttributeType.INTEGER) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /** The smallest text greater than every text starting with the prefix; null when there is none here. */
    static String successor(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        if (Character.isSurrogate(last) || last >= '\uD7FF') {
            return null;
        }
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }
}
