package org.igvm.domain.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.igvm.api.InvalidInputException;

/**
 * Parses Serveradmin's text query language into a {@link Query}, e.g. {@code web.* state=online} or
 * {@code hostname=Regexp(^hv\d+) state=Any(online online_reserved)}. A malformed query is an {@link
 * InvalidInputException} whose one line names the offending token and how to fix it.
 */
public final class QueryParser {
    /** Text that makes a leading hostname a regular expression instead of an exact name. */
    private static final List<String> REGEXP_TRIGGERS = List.of(".*", ".+", "[", "]", "|", "\\", "$", "^", "<");

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private static final Map<String, Function<Object, Filter>> VALUE_FUNCTIONS = Map.of(
            "Contains", Filter.Contains::new,
            "GreaterThan", Filter.GreaterThan::new,
            "GreaterThanOrEquals", Filter.GreaterThanOrEquals::new,
            "LessThan", Filter.LessThan::new,
            "LessThanOrEquals", Filter.LessThanOrEquals::new);

    static final List<String> FUNCTIONS = List.of(
            "Any",
            "All",
            "Not",
            "Regexp",
            "StartsWith",
            "Contains",
            "GreaterThan",
            "GreaterThanOrEquals",
            "LessThan",
            "LessThanOrEquals",
            "Empty");

    private final List<QueryToken> tokens;
    /** The attributes and their types the query is checked against; null for no check. */
    private final QueryCheck check;

    private int next;
    /** The attribute whose condition is being parsed, for typing its literals. */
    private String attribute;

    private QueryParser(List<QueryToken> tokens, AttributeSchema schema) {
        this.tokens = tokens;
        this.check = schema == null ? null : QueryCheck.of(schema, tokens);
    }

    /**
     * Parses a whole query without knowing the attributes (any key, any value); a blank query
     * matches everything. A repeated key is an error.
     */
    public static Query parse(String text) {
        return parse(text, null);
    }

    /**
     * Parses a whole query and checks it against the schema: every key an attribute of the
     * servertype the query names ({@code servertype=vm}, else of any servertype), every value of the
     * attribute's type. An error names the token.
     */
    public static Query parse(String text, AttributeSchema schema) {
        if (text == null) {
            return new Query(Map.of());
        }
        List<QueryToken> tokens = QueryTokenizer.tokenize(text);
        return new QueryParser(tokens, schema).query();
    }

    static InvalidInputException malformed(int tokenNumber, String tokenText, String reason) {
        return new InvalidInputException("malformed query at token " + tokenNumber + " '" + tokenText + "': " + reason);
    }

    private static InvalidInputException malformed(QueryToken token, String reason) {
        return malformed(token.number(), token.text(), reason);
    }

    private Query query() {
        Map<String, Filter> filters = new LinkedHashMap<>();
        if (next < tokens.size() && tokens.get(next).kind() != QueryToken.Kind.KEY) {
            attribute = "hostname";
            filters.put("hostname", hostname());
        }
        while (next < tokens.size()) {
            QueryToken token = tokens.get(next++);
            switch (token.kind()) {
                case KEY -> {
                    if (next >= tokens.size()) {
                        throw malformed(token, "key without a value; write " + token.value() + "=VALUE or remove it");
                    }
                    if (filters.containsKey(token.value())) {
                        throw malformed(
                                token,
                                "repeated key " + token.value() + "; give each attribute once (combine"
                                        + " conditions with " + token.value() + "=All(…) or Any(…))");
                    }
                    if (check != null) {
                        check.attribute(token);
                    }
                    attribute = token.value();
                    filters.put(token.value(), expression(token));
                }
                case LITERAL -> throw malformed(
                        token,
                        "a bare value is only allowed first (as hostname); write KEY=" + token.text()
                                + " or quote it together with its key");
                case CLOSE -> throw malformed(token, "')' without an open function; remove it");
                case FUNCTION -> throw malformed(
                        token, "a function needs a key in front of it, e.g. state=" + token.text() + "…)");
            }
        }
        return new Query(filters);
    }

    /** The leading bare token: a hostname, a regexp on hostnames, or a function on hostnames. */
    private Filter hostname() {
        QueryToken token = tokens.get(next);
        if (token.kind() == QueryToken.Kind.CLOSE) {
            throw malformed(token, "')' without an open function; remove it");
        }
        if (token.kind() == QueryToken.Kind.FUNCTION) {
            return expression(token);
        }
        next++;
        String name = token.value();
        if (REGEXP_TRIGGERS.stream().anyMatch(name::contains)) {
            return new Filter.Regexp(compile(token, name));
        }
        return new Filter.Equals(name);
    }

    /** The value expression after {@code owner} (a key or a function): a literal or a function call. */
    private Filter expression(QueryToken owner) {
        if (next >= tokens.size()) {
            throw malformed(owner, "unclosed function; close it with ')'");
        }
        QueryToken token = tokens.get(next++);
        return switch (token.kind()) {
            case LITERAL -> new Filter.Equals(argument(owner, token));
            case FUNCTION -> function(token);
            case KEY -> throw malformed(
                    token,
                    "a key where a value was expected; give " + owner.text() + " a value first, or quote '"
                            + token.text() + "'");
            case CLOSE -> throw malformed(
                    token,
                    owner.kind() == QueryToken.Kind.KEY
                            ? "')' where a value for " + owner.text() + " was expected"
                            : "')' where a value was expected");
        };
    }

    private Filter function(QueryToken function) {
        String name = function.value();
        if (!FUNCTIONS.contains(name)) {
            throw malformed(function, "unknown function '" + name + "'; known: " + String.join(", ", FUNCTIONS));
        }
        List<QueryToken> firstTokens = new ArrayList<>();
        List<Filter> arguments = new ArrayList<>();
        List<Object> literals = new ArrayList<>();
        while (true) {
            if (next >= tokens.size()) {
                throw malformed(function, "unclosed function; close it with ')'");
            }
            QueryToken token = tokens.get(next);
            if (token.kind() == QueryToken.Kind.CLOSE) {
                next++;
                break;
            }
            firstTokens.add(token);
            if (token.kind() == QueryToken.Kind.LITERAL) {
                literals.add(literal(token));
            } else {
                literals.add(null);
            }
            arguments.add(expression(function));
        }
        return switch (name) {
            case "Any" -> new Filter.Any(arguments);
            case "All" -> new Filter.All(arguments);
            case "Not" -> new Filter.Not(single(function, arguments));
            case "Empty" -> {
                if (!arguments.isEmpty()) {
                    throw malformed(firstTokens.get(0), "Empty() takes no argument; write Empty()");
                }
                yield new Filter.Empty();
            }
            case "Regexp" -> {
                QueryToken argument = singleLiteral(function, firstTokens, literals);
                yield new Filter.Regexp(compile(argument, argument.value()));
            }
            case "StartsWith" -> new Filter.StartsWith(
                    singleLiteral(function, firstTokens, literals).value());
            default -> {
                singleLiteral(function, firstTokens, literals);
                yield VALUE_FUNCTIONS.get(name).apply(literals.get(0));
            }
        };
    }

    private static Filter single(QueryToken function, List<Filter> arguments) {
        if (arguments.size() != 1) {
            throw malformed(
                    function,
                    function.value() + " takes exactly one argument, got " + arguments.size() + "; write "
                            + function.value() + "(VALUE)");
        }
        return arguments.get(0);
    }

    private static QueryToken singleLiteral(QueryToken function, List<QueryToken> firstTokens, List<Object> literals) {
        if (literals.size() != 1 || literals.get(0) == null) {
            throw malformed(
                    function,
                    function.value() + " takes exactly one plain value, got "
                            + (literals.size() == 1 ? "a function" : literals.size() + " arguments") + "; write "
                            + function.value() + "(VALUE)");
        }
        return firstTokens.get(0);
    }

    private static Pattern compile(QueryToken token, String regexp) {
        try {
            return Pattern.compile(regexp);
        } catch (PatternSyntaxException e) {
            throw malformed(token, "invalid regular expression: " + e.getDescription());
        }
    }

    /**
     * A literal inside {@code owner}'s parentheses (or after its key), typed and checked: patterns
     * and parts (Regexp, StartsWith, Contains) are text, comparison bounds may be decimals.
     */
    private Object argument(QueryToken owner, QueryToken token) {
        if (owner.kind() != QueryToken.Kind.FUNCTION) {
            return typed(token, false);
        }
        return switch (owner.value()) {
            case "Regexp", "StartsWith", "Contains" -> literal(token);
            case "GreaterThan", "GreaterThanOrEquals", "LessThan", "LessThanOrEquals" -> typed(token, true);
            default -> typed(token, false);
        };
    }

    /** The literal's value, checked against the current attribute's type when the query is checked. */
    private Object typed(QueryToken token, boolean bound) {
        Object value = literal(token);
        if (check != null && attribute != null) {
            check.value(attribute, token, value, bound);
        }
        return value;
    }

    /** An unquoted literal's typed value; quoted literals stay text. */
    static Object literal(QueryToken token) {
        String text = token.value();
        if (token.quoted()) {
            return text;
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        if (INTEGER.matcher(text).matches()) {
            try {
                return Long.valueOf(text.startsWith("+") ? text.substring(1) : text);
            } catch (NumberFormatException tooBig) {
                return text;
            }
        }
        if (DECIMAL.matcher(text).matches()) {
            return Double.valueOf(text);
        }
        return text;
    }
}
