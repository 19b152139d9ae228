package org.igvm.domain.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.igvm.api.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestQueryParser {
    private static Filter regexp(String p) {
        return new Filter.Regexp(Pattern.compile(p));
    }

    private static Filter eq(Object v) {
        return new Filter.Equals(v);
    }

    private static ServerObject object(Map<String, Object> attributes) {
        return new ServerObject(1, attributes);
    }

    @Test
    void blankQueryMatchesEverything() {
        assertThat(QueryParser.parse("").filters()).isEmpty();
        assertThat(QueryParser.parse("   ").filters()).isEmpty();
        assertThat(QueryParser.parse(null).filters()).isEmpty();
    }

    @Test
    void specExampleHostnameRegexpAndState() {
        Query q = QueryParser.parse("web.* state=online");
        assertThat(q.filters())
                .containsExactly(Map.entry("hostname", regexp("web.*")), Map.entry("state", eq("online")));
        assertThat(q.matches(object(Map.of("hostname", "web01", "state", "online"))))
                .isTrue();
        assertThat(q.matches(object(Map.of("hostname", "db01", "state", "online"))))
                .isFalse();
    }

    @Test
    void specExampleRegexpFunctionAndAny() {
        Query q = QueryParser.parse("hostname=Regexp(^hv\\d+) state=Any(online online_reserved)");
        assertThat(q.filters())
                .containsExactly(
                        Map.entry("hostname", regexp("^hv\\d+")),
                        Map.entry("state", new Filter.Any(List.of(eq("online"), eq("online_reserved")))));
        assertThat(q.matches(object(Map.of("hostname", "hv12", "state", "online_reserved"))))
                .isTrue();
        assertThat(q.matches(object(Map.of("hostname", "xhv12", "state", "online"))))
                .isFalse();
    }

    @Test
    void specExampleGreaterThanAndNotEmpty() {
        Query q = QueryParser.parse("num_cpu=GreaterThan(8) hypervisor=Not(Empty())");
        assertThat(q.filters())
                .containsExactly(
                        Map.entry("num_cpu", new Filter.GreaterThan(8L)),
                        Map.entry("hypervisor", new Filter.Not(new Filter.Empty())));
        assertThat(q.matches(object(Map.of("num_cpu", 16L, "hypervisor", "hv01"))))
                .isTrue();
        assertThat(q.matches(object(Map.of("num_cpu", 16L)))).isFalse();
        assertThat(q.matches(object(Map.of("num_cpu", 8L, "hypervisor", "hv01"))))
                .isFalse();
    }

    @Test
    void behaviourSpecTargetQueryExamples() {
        assertThat(QueryParser.parse("hv01").filters()).containsExactly(Map.entry("hostname", eq("hv01")));
        assertThat(QueryParser.parse("hv.* state=online").filters())
                .containsExactly(Map.entry("hostname", regexp("hv.*")), Map.entry("state", eq("online")));
        assertThat(QueryParser.parse("hostname=Regexp(^hv\\d+) num_cpu=GreaterThan(16)")
                        .filters())
                .containsExactly(
                        Map.entry("hostname", regexp("^hv\\d+")), Map.entry("num_cpu", new Filter.GreaterThan(16L)));
        assertThat(QueryParser.parse("environment=Not(production)").filters())
                .containsExactly(Map.entry("environment", new Filter.Not(eq("production"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"web.*", "web.+", "web[0-9]", "a|b", "web\\d", "web01$", "^web", "a<b"})
    void leadingHostnameWithRegexpCharactersIsARegexp(String hostname) {
        assertThat(QueryParser.parse(hostname).filters().get("hostname")).isInstanceOf(Filter.Regexp.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"web01", "web01.example.net", "hv-01", "web01.example.net."})
    void leadingPlainHostnameIsEquality(String hostname) {
        assertThat(QueryParser.parse(hostname).filters()).containsExactly(Map.entry("hostname", eq(hostname)));
    }

    @Test
    void leadingHostnameStaysTextEvenWhenNumeric() {
        assertThat(QueryParser.parse("4242").filters()).containsExactly(Map.entry("hostname", eq("4242")));
    }

    @Test
    void leadingFunctionAppliesToHostname() {
        assertThat(QueryParser.parse("Any(hv01 hv02) state=online").filters())
                .containsExactly(
                        Map.entry("hostname", new Filter.Any(List.of(eq("hv01"), eq("hv02")))),
                        Map.entry("state", eq("online")));
    }

    @Test
    void everyFunctionParses() {
        Query q = QueryParser.parse("a=Any(1 2) b=All(Not(x) Not(y)) c=Not(z) d=Regexp(^d) e=StartsWith(pre)"
                + " f=Contains(10.0.0.1) g=GreaterThan(1) h=GreaterThanOrEquals(2) i=LessThan(3)"
                + " j=LessThanOrEquals(4.5) k=Empty()");
        assertThat(q.filters())
                .containsExactly(
                        Map.entry("a", new Filter.Any(List.of(eq(1L), eq(2L)))),
                        Map.entry("b", new Filter.All(List.of(new Filter.Not(eq("x")), new Filter.Not(eq("y"))))),
                        Map.entry("c", new Filter.Not(eq("z"))),
                        Map.entry("d", regexp("^d")),
                        Map.entry("e", new Filter.StartsWith("pre")),
                        Map.entry("f", new Filter.Contains("10.0.0.1")),
                        Map.entry("g", new Filter.GreaterThan(1L)),
                        Map.entry("h", new Filter.GreaterThanOrEquals(2L)),
                        Map.entry("i", new Filter.LessThan(3L)),
                        Map.entry("j", new Filter.LessThanOrEquals(4.5)),
                        Map.entry("k", new Filter.Empty()));
    }

    @Test
    void functionsNestDeeply() {
        Query q = QueryParser.parse("state=Not(Any(retired All(Regexp(^main) Not(maintenance_x))))");
        Filter state = q.filters().get("state");
        assertThat(state.matches("online")).isTrue();
        assertThat(state.matches("retired")).isFalse();
        assertThat(state.matches("maintenance")).isFalse();
        assertThat(state.matches("maintenance_x")).isTrue();
    }

    @Test
    void containsOnNetworkMatchesAddress() {
        Filter f = QueryParser.parse("ipv4=Contains(10.20.30.40)").filters().get("ipv4");
        assertThat(f.matches("10.20.30.0/24")).isTrue();
        assertThat(f.matches("10.20.31.0/24")).isFalse();
    }

    @Test
    void keyMayBeFollowedBySpaceBeforeValue() {
        assertThat(QueryParser.parse("state= online").filters()).containsExactly(Map.entry("state", eq("online")));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "x=true|java.lang.Boolean|true",
                "x=false|java.lang.Boolean|false",
                "x=42|java.lang.Long|42",
                "x=-7|java.lang.Long|-7",
                "x=1.5|java.lang.Double|1.5",
                "x=10.0.0.1|java.lang.String|10.0.0.1",
                "x=10.0.0.0/24|java.lang.String|10.0.0.0/24",
                "x=ca:fe:01:00:10:92|java.lang.String|ca:fe:01:00:10:92",
                "x=2024-01-01|java.lang.String|2024-01-01",
                "x=True|java.lang.String|True",
                "x=online|java.lang.String|online",
                "x=99999999999999999999999|java.lang.String|99999999999999999999999",
            })
    void unquotedLiteralsAreTyped(String query, String type, String text) {
        Object value = ((Filter.Equals) QueryParser.parse(query).filters().get("x")).expected();
        assertThat(value.getClass().getName()).isEqualTo(type);
        assertThat(value.toString()).isEqualTo(text);
    }

    @Test
    void quotedLiteralsStayText() {
        assertThat(QueryParser.parse("x='42' y=\"true\"").filters())
                .containsExactly(Map.entry("x", eq("42")), Map.entry("y", eq("true")));
    }

    @Test
    void quotingKeepsWhitespaceParenthesesAndEquals() {
        assertThat(QueryParser.parse("x='a b (c) d=e' y=Regexp(\"(a|b) c\")").filters())
                .containsExactly(Map.entry("x", eq("a b (c) d=e")), Map.entry("y", regexp("(a|b) c")));
    }

    @Test
    void quotedEscapes() {
        assertThat(QueryParser.parse("x='it\\'s' y=\"say \\\"hi\\\"\" z='back\\\\slash' r='^hv\\d+'")
                        .filters())
                .containsExactly(
                        Map.entry("x", eq("it's")),
                        Map.entry("y", eq("say \"hi\"")),
                        Map.entry("z", eq("back\\slash")),
                        Map.entry("r", eq("^hv\\d+")));
    }

    @Test
    void quotedEmptyString() {
        assertThat(QueryParser.parse("x=''").filters()).containsExactly(Map.entry("x", eq("")));
    }

    @Test
    void quotedLeadingHostnameWithRegexpCharacters() {
        assertThat(QueryParser.parse("'web 0[12]'").filters())
                .containsExactly(Map.entry("hostname", regexp("web 0[12]")));
    }

    @Test
    void repeatedKeyIsAnErrorAtItsSecondToken() {
        assertMalformed(
                "state=online num_cpu=2 state=maintenance",
                "malformed query at token 5 'state=': repeated key state; give each attribute once (combine"
                        + " conditions with state=All(…) or Any(…))");
    }

    @Test
    void explicitHostnameAfterLeadingHostnameIsARepeatedKey() {
        assertMalformed(
                "web01 hostname=web02",
                "malformed query at token 2 'hostname=': repeated key hostname; give each attribute once"
                        + " (combine conditions with hostname=All(…) or Any(…))");
    }

    private static void assertMalformed(String query, String message) {
        assertThatThrownBy(() -> QueryParser.parse(query))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void unclosedFunctionPointsAtTheFunction() {
        assertMalformed(
                "web.* state=Any(online", "malformed query at token 3 'Any(': unclosed function; close it with ')'");
        assertMalformed("state=Any(", "malformed query at token 2 'Any(': unclosed function; close it with ')'");
        assertMalformed("x=Not(Any(a b)", "malformed query at token 2 'Not(': unclosed function; close it with ')'");
    }

    @Test
    void bareLiteralAfterTheFirstIsAnError() {
        assertThatThrownBy(() -> QueryParser.parse("web01 online"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("malformed query at token 2 'online': a bare value is only allowed first");
        assertThatThrownBy(() -> QueryParser.parse("state=online maintenance"))
                .hasMessageStartingWith("malformed query at token 3 'maintenance':");
    }

    @Test
    void strayCloseIsAnError() {
        assertMalformed("state=online )", "malformed query at token 3 ')': ')' without an open function; remove it");
        assertMalformed(") x=1", "malformed query at token 1 ')': ')' without an open function; remove it");
        assertThatThrownBy(() -> QueryParser.parse("state=)"))
                .hasMessageStartingWith("malformed query at token 2 ')':");
    }

    @Test
    void keyWithoutValueIsAnError() {
        assertMalformed(
                "web01 state=",
                "malformed query at token 2 'state=': key without a value; write state=VALUE or remove it");
        assertThatThrownBy(() -> QueryParser.parse("state= num_cpu=2"))
                .hasMessageStartingWith("malformed query at token 2 'num_cpu=': a key where a value was expected");
    }

    @Test
    void unknownFunctionIsAnErrorListingKnownOnes() {
        assertThatThrownBy(() -> QueryParser.parse("state=Anyy(online)"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("malformed query at token 2 'Anyy(': unknown function 'Anyy'; known: Any, All");
    }

    @Test
    void unclosedQuoteIsAnError() {
        assertThatThrownBy(() -> QueryParser.parse("x='abc def"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("malformed query at token 2 ''abc def': unclosed quote; close it with '");
    }

    @Test
    void quoteInsideAWordIsAnError() {
        assertThatThrownBy(() -> QueryParser.parse("x=ab'c'"))
                .hasMessageStartingWith("malformed query at token 2 'ab'': a quote inside a word");
    }

    @Test
    void functionArityErrors() {
        assertThatThrownBy(() -> QueryParser.parse("x=Not(a b)"))
                .hasMessage(
                        "malformed query at token 2 'Not(': Not takes exactly one argument, got 2; write Not(VALUE)");
        assertThatThrownBy(() -> QueryParser.parse("x=Not()")).hasMessageContaining("got 0");
        assertThatThrownBy(() -> QueryParser.parse("x=GreaterThan(1 2)"))
                .hasMessageStartingWith(
                        "malformed query at token 2 'GreaterThan(': GreaterThan takes exactly one plain value");
        assertThatThrownBy(() -> QueryParser.parse("x=Regexp(Any(a))"))
                .hasMessageContaining("Regexp takes exactly one plain value, got a function");
        assertThatThrownBy(() -> QueryParser.parse("x=Empty(a)"))
                .hasMessage("malformed query at token 3 'a': Empty() takes no argument; write Empty()");
    }

    @Test
    void invalidRegexpIsAnError() {
        assertThatThrownBy(() -> QueryParser.parse("x=Regexp('(unclosed')"))
                .hasMessageStartingWith("malformed query at token 3 ''(unclosed'': invalid regular expression");
        assertThatThrownBy(() -> QueryParser.parse("web["))
                .hasMessageStartingWith("malformed query at token 1 'web[':");
    }

    @Test
    void functionWithoutKeyAfterTheFirstIsAnError() {
        assertThatThrownBy(() -> QueryParser.parse("web01 Any(a)"))
                .hasMessageStartingWith("malformed query at token 2 'Any(': a function needs a key");
    }

    @Test
    void emptyNamesAreErrors() {
        assertThatThrownBy(() -> QueryParser.parse("x=(a)")).hasMessageStartingWith("malformed query at token 2 '(':");
        assertThatThrownBy(() -> QueryParser.parse("=a")).hasMessageStartingWith("malformed query at token 1 '=':");
    }
}
