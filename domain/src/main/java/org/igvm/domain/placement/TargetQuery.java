package org.igvm.domain.placement;

import java.util.LinkedHashMap;
import java.util.Map;
import org.igvm.api.InvalidInputException;
import org.igvm.domain.inventory.AttributeSchema;
import org.igvm.domain.inventory.Filter;
import org.igvm.domain.inventory.Query;
import org.igvm.domain.inventory.QueryParser;

/**
 * The operator's {@code HV_QUERY}: a single plain hostname pins that hypervisor; anything else is
 * a filter merged into placement's candidate filter.
 *
 * @param pinned the pinned hypervisor's name, null when the query is a filter (or absent)
 * @param filter the operator's conditions; empty when pinned or absent
 */
public record TargetQuery(String pinned, Query filter) {
    public static TargetQuery parse(String text) {
        if (text == null || text.isBlank()) {
            return new TargetQuery(null, new Query(Map.of()));
        }
        Query query = QueryParser.parse(text, AttributeSchema.standard());
        if (query.filters().size() == 1
                && query.filters().get("hostname") instanceof Filter.Equals equals
                && !text.trim().contains(" ")
                && !text.contains("=")) {
            return new TargetQuery(String.valueOf(equals.expected()), new Query(Map.of()));
        }
        return new TargetQuery(null, query);
    }

    public boolean isPinned() {
        return pinned != null;
    }

    /**
     * Placement's filter with the operator's conditions added; a key placement already fixes with
     * a different condition is an {@link InvalidInputException}.
     */
    public Query mergedInto(Query placement) {
        Map<String, Filter> merged = new LinkedHashMap<>(placement.filters());
        for (Map.Entry<String, Filter> e : filter.filters().entrySet()) {
            Filter fixed = merged.get(e.getKey());
            if (fixed != null && !fixed.equals(e.getValue())) {
                throw new InvalidInputException("the target query's " + e.getKey() + "=" + QueryText.of(e.getValue())
                        + " conflicts with placement's " + e.getKey() + "=" + QueryText.of(fixed)
                        + hint(e.getKey()));
            }
            merged.put(e.getKey(), e.getValue());
        }
        return new Query(merged);
    }

    private static String hint(String key) {
        return switch (key) {
            case "state" -> "; use --ignore-reserved to include online_reserved hypervisors";
            case "environment" -> "; leave out --enforce-vm-env to choose another environment";
            default -> "; remove " + key + " from the query";
        };
    }
}
