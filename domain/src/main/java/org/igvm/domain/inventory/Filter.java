package org.igvm.domain.inventory;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A condition on one attribute's value, as in Serveradmin's query language. On a multi-valued
 * attribute a value condition holds when it holds for any element; {@link Empty} holds when there
 * is none.
 */
public sealed interface Filter {
    boolean matches(Object value);

    /** Equality with a typed literal; numbers compare by value, everything else by its text. */
    record Equals(Object expected) implements Filter {
        @Override
        public boolean matches(Object value) {
            return anyElement(value, v -> Values.equal(v, expected));
        }
    }

    record Any(List<Filter> filters) implements Filter {
        public Any {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean matches(Object value) {
            return filters.stream().anyMatch(f -> f.matches(value));
        }
    }

    record All(List<Filter> filters) implements Filter {
        public All {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean matches(Object value) {
            return filters.stream().allMatch(f -> f.matches(value));
        }
    }

    record Not(Filter filter) implements Filter {
        @Override
        public boolean matches(Object value) {
            return !filter.matches(value);
        }
    }

    /** An unanchored regular expression on the value's text. */
    record Regexp(Pattern pattern) implements Filter {
        @Override
        public boolean matches(Object value) {
            return anyElement(value, v -> pattern.matcher(v.toString()).find());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Regexp r && r.pattern.pattern().equals(pattern.pattern());
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode();
        }
    }

    record StartsWith(String prefix) implements Filter {
        @Override
        public boolean matches(Object value) {
            return anyElement(value, v -> v.toString().startsWith(prefix));
        }
    }

    /** Substring on text; on an IP network, the network contains the address. */
    record Contains(Object part) implements Filter {
        @Override
        public boolean matches(Object value) {
            return anyElement(value, v -> Values.contains(v, part));
        }
    }

    record GreaterThan(Object bound) implements Filter {
        @Override
        public boolean matches(Object value) {
            return anyElement(value, v -> Values.compare(v, bound) > 0);
        }
    }

    record GreaterThanOrEquals(Object bound) implements Filter {
        @Override
        public boolean matches(Object value) {
            return anyElement(value, v -> Values.compare(v, bound) >= 0);
        }
    }

    record LessThan(Object bound) implements Filter {
        @Override
        public boolean matches(Object value) {
            return anyElement(value, v -> Values.compare(v, bound) < 0);
        }
    }

    record LessThanOrEquals(Object bound) implements Filter {
        @Override
        public boolean matches(Object value) {
            return anyElement(value, v -> Values.compare(v, bound) <= 0);
        }
    }

    /** No value (null, empty text or an empty set). */
    record Empty() implements Filter {
        @Override
        public boolean matches(Object value) {
            return value == null || "".equals(value) || (value instanceof List<?> l && l.isEmpty());
        }
    }

    private static boolean anyElement(Object value, java.util.function.Predicate<Object> test) {
        if (value == null) {
            return false;
        }
        if (value instanceof List<?> list) {
            return list.stream().filter(java.util.Objects::nonNull).anyMatch(test);
        }
        return test.test(value);
    }

    /** Comparison rules shared by the filters. */
    final class Values {
        private Values() {}

        static boolean equal(Object a, Object b) {
            BigDecimal na = number(a);
            BigDecimal nb = number(b);
            if (na != null && nb != null) {
                return na.compareTo(nb) == 0;
            }
            return String.valueOf(a).equals(String.valueOf(b));
        }

        static int compare(Object a, Object b) {
            BigDecimal na = number(a);
            BigDecimal nb = number(b);
            if (na != null && nb != null) {
                return na.compareTo(nb);
            }
            return String.valueOf(a).compareTo(String.valueOf(b));
        }

        static boolean contains(Object value, Object part) {
            IpNetwork network = IpNetwork.parseOrNull(value.toString());
            if (network != null && network.isNetwork()) {
                IpNetwork address = IpNetwork.parseOrNull(part.toString());
                if (address != null) {
                    return network.contains(address);
                }
            }
            return value.toString().contains(part.toString());
        }

        private static BigDecimal number(Object o) {
            if (o instanceof Long || o instanceof Integer) {
                return BigDecimal.valueOf(((Number) o).longValue());
            }
            if (o instanceof Double d) {
                return BigDecimal.valueOf(d);
            }
            if (o instanceof BigDecimal b) {
                return b;
            }
            return null;
        }
    }
}
