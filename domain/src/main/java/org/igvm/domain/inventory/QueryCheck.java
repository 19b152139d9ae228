package org.igvm.domain.inventory;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a query's keys and values against the attribute schema while {@link QueryParser} reads
 * it: a key must be an attribute of the servertype the query names (of any servertype when it
 * names none), and a value must be of that attribute's type. Errors point at the token.
 */
final class QueryCheck {
    private final AttributeSchema schema;
    /** The servertypes whose attributes the keys may name. */
    private final List<String> servertypes;

    private QueryCheck(AttributeSchema schema, List<String> servertypes) {
        this.schema = schema;
        this.servertypes = servertypes;
    }

    /** The check for these tokens: a plain {@code servertype=X} narrows the attributes to X's. */
    static QueryCheck of(AttributeSchema schema, List<QueryToken> tokens) {
        for (int i = 0; i + 1 < tokens.size(); i++) {
            QueryToken key = tokens.get(i);
            QueryToken value = tokens.get(i + 1);
            if (key.kind() == QueryToken.Kind.KEY
                    && key.value().equals("servertype")
                    && value.kind() == QueryToken.Kind.LITERAL) {
                if (!schema.servertypes().contains(value.value())) {
                    throw QueryParser.malformed(
                            value.number(),
                            value.text(),
                            "unknown servertype '" + value.value() + "'; known: "
                                    + String.join(", ", schema.servertypes()));
                }
                return new QueryCheck(schema, List.of(value.value()));
            }
        }
        return new QueryCheck(schema, List.copyOf(schema.servertypes()));
    }

    /** Fails unless the key token names an attribute. */
    void attribute(QueryToken key) {
        if (definition(key.value()).isPresent()) {
            return;
        }
        Set<String> known = new TreeSet<>();
        servertypes.forEach(t -> schema.attributes(t).forEach(d -> known.add(d.name())));
        String of = servertypes.size() == 1 ? " of servertype " + servertypes.get(0) : "";
        throw QueryParser.malformed(
                key.number(),
                key.text(),
                "unknown attribute '" + key.value() + "'" + of + "; known: " + String.join(", ", known));
    }

    /**
     * Fails unless the literal is a value of the attribute's type; {@code bound} for a comparison's
     * bound, which may be a decimal on an integer attribute.
     */
    void value(String attribute, QueryToken token, Object value, boolean bound) {
        Optional<AttributeDefinition> found = definition(attribute);
        if (found.isEmpty()) {
            return;
        }
        AttributeDefinition definition = found.get();
        String expected =
                switch (definition.type()) {
                    case STRING, RELATION -> null;
                    case INTEGER -> value instanceof Long
                                    || (bound && value instanceof Double)
                                    || (value instanceof String text && isInteger(text))
                            ? null
                            : "an integer, e.g. " + attribute + "=4";
                    case BOOLEAN -> value instanceof Boolean || "true".equals(value) || "false".equals(value)
                            ? null
                            : "true or false";
                    case IP, NETWORK -> IpNetwork.parseOrNull(String.valueOf(value)) != null
                            ? null
                            : "an " + definition.type().description() + ", e.g. 10.0.0.1 or 10.0.0.0/24";
                    case DATETIME -> isDatetime(definition, value)
                            ? null
                            : "a " + definition.type().description() + " (quote it: it holds a space)";
                };
        if (expected != null) {
            throw QueryParser.malformed(
                    token.number(), token.text(), attribute + " takes " + expected + ", not '" + token.value() + "'");
        }
    }

    private Optional<AttributeDefinition> definition(String attribute) {
        for (String servertype : servertypes) {
            Optional<AttributeDefinition> definition = schema.definition(servertype, attribute);
            if (definition.isPresent()) {
                return definition;
            }
        }
        return Optional.empty();
    }

    private static boolean isInteger(String text) {
        try {
            Long.parseLong(text.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private boolean isDatetime(AttributeDefinition definition, Object value) {
        try {
            schema.element(servertypes.get(0), definition, value);
            return true;
        } catch (org.igvm.api.InvalidInputException e) {
            return false;
        }
    }
}
