package org.igvm.domain.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Filters on attributes, all of which an object must match. Parsed by {@link QueryParser}. */
public record Query(Map<String, Filter> filters) {
    public Query {
        filters = Collections.unmodifiableMap(new LinkedHashMap<>(filters));
    }

    public static Query of(String attribute, Filter filter) {
        return new Query(Map.of(attribute, filter));
    }

    /** Equality on one attribute. */
    public static Query where(String attribute, Object value) {
        return of(attribute, new Filter.Equals(value));
    }

    /** This query and one more condition; a key already present is replaced. */
    public Query and(String attribute, Filter filter) {
        Map<String, Filter> m = new LinkedHashMap<>(filters);
        m.put(attribute, filter);
        return new Query(m);
    }

    public Query and(String attribute, Object value) {
        return and(attribute, new Filter.Equals(value));
    }

    public boolean matches(ServerObject object) {
        for (Map.Entry<String, Filter> e : filters.entrySet()) {
            Object value = "object_id".equals(e.getKey()) ? (Object) object.objectId() : object.get(e.getKey());
            if (!e.getValue().matches(value)) {
                return false;
            }
        }
        return true;
    }
}
