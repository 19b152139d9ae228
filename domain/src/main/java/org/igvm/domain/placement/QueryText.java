package org.igvm.domain.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.igvm.domain.inventory.Filter;
import org.igvm.domain.inventory.Query;

/** A query written back in the inventory query language, for messages. */
final class QueryText {
    private QueryText() {}

    static String of(Query query) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Filter> e : query.filters().entrySet()) {
            parts.add(e.getKey() + "=" + of(e.getValue()));
        }
        return String.join(" ", parts);
    }

    static String of(Filter filter) {
        if (filter instanceof Filter.Equals f) {
            return String.valueOf(f.expected());
        } else if (filter instanceof Filter.Any f) {
            return "Any(" + join(f.filters()) + ")";
        } else if (filter instanceof Filter.All f) {
            return "All(" + join(f.filters()) + ")";
        } else if (filter instanceof Filter.Not f) {
            return "Not(" + of(f.filter()) + ")";
        } else if (filter instanceof Filter.Regexp f) {
            return "Regexp(" + f.pattern().pattern() + ")";
        } else if (filter instanceof Filter.StartsWith f) {
            return "StartsWith(" + f.prefix() + ")";
        } else if (filter instanceof Filter.Contains f) {
            return "Contains(" + f.part() + ")";
        } else if (filter instanceof Filter.GreaterThan f) {
            return "GreaterThan(" + f.bound() + ")";
        } else if (filter instanceof Filter.GreaterThanOrEquals f) {
            return "GreaterThanOrEquals(" + f.bound() + ")";
        } else if (filter instanceof Filter.LessThan f) {
            return "LessThan(" + f.bound() + ")";
        } else if (filter instanceof Filter.LessThanOrEquals f) {
            return "LessThanOrEquals(" + f.bound() + ")";
        } else {
            return "Empty()";
        }
    }

    private static String join(List<Filter> filters) {
        return String.join(" ", filters.stream().map(QueryText::of).toList());
    }
}
