package org.igvm.domain.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.igvm.api.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Queries checked against the attribute schema: unknown keys and wrong-typed values name the token. */
class TestCheckedQuery {
    private static final AttributeSchema SCHEMA = AttributeSchema.standard();

    private static Query parse(String text) {
        return QueryParser.parse(text, SCHEMA);
    }

    @Test
    void unknownAttributePointsAtItsKey() {
        assertThatThrownBy(() -> parse("servertype=vm nosuchattr=foo"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("malformed query at token 3 'nosuchattr=': unknown attribute 'nosuchattr'"
                        + " of servertype vm; known: ")
                .hasMessageContaining("num_cpu")
                .hasMessageNotContaining("libvirt_memory_total_gib");
    }

    @Test
    void withoutServertypeAnAttributeOfAnyServertypeIsKnown() {
        assertThat(parse("libvirt_memory_total_gib=GreaterThan(100) route_network=net-a")
                        .filters())
                .containsOnlyKeys("libvirt_memory_total_gib", "route_network");
        assertThatThrownBy(() -> parse("servertype=vm libvirt_memory_total_gib=1"))
                .hasMessageStartingWith("malformed query at token 3 'libvirt_memory_total_gib=': unknown attribute");
    }

    @Test
    void unknownServertypeIsNamed() {
        assertThatThrownBy(() -> parse("servertype=vmm"))
                .hasMessage("malformed query at token 2 'vmm': unknown servertype 'vmm'; known: hypervisor,"
                        + " route_network, vm");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "num_cpu=abc|2|abc|num_cpu takes an integer, e.g. num_cpu=4, not 'abc'",
                "num_cpu=GreaterThan(abc)|3|abc|num_cpu takes an integer, e.g. num_cpu=4, not 'abc'",
                "num_cpu=Not(Any(1 x))|5|x|num_cpu takes an integer, e.g. num_cpu=4, not 'x'",
                "num_cpu=1.5|2|1.5|num_cpu takes an integer, e.g. num_cpu=4, not '1.5'",
                "puppet_disabled=yes|2|yes|puppet_disabled takes true or false, not 'yes'",
                "intern_ip=10.0.0.300|2|10.0.0.300|intern_ip takes an ip address, e.g. 10.0.0.1 or 10.0.0.0/24,"
                        + " not '10.0.0.300'",
                "object_id=web01|2|web01|object_id takes an integer, e.g. object_id=4, not 'web01'",
            })
    void wrongTypedValuePointsAtTheValue(String query, int token, String text, String reason) {
        assertThatThrownBy(() -> parse(query))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("malformed query at token " + token + " '" + text + "': " + reason);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "servertype=vm num_cpu=4",
                "num_cpu='4'",
                "num_cpu=GreaterThan(1.5)",
                "num_cpu=Regexp(^1)",
                "hostname=Contains('*')",
                "web.* state=Any(online maintenance)",
                "4242",
                "environment=123",
                "puppet_disabled=true",
                "intern_ip=10.0.0.1",
                "igvm_locked=LessThan('2024-05-01 12:00:00+0000')",
                "igvm_locked=Empty()",
                "hypervisor=Not(Empty())",
            })
    void wellTypedQueriesParseAsWithoutTheSchema(String query) {
        assertThat(parse(query)).isEqualTo(QueryParser.parse(query));
    }

    @Test
    void repeatedKeyIsAnError() {
        assertThatThrownBy(() -> parse("num_cpu=1 num_cpu=2"))
                .hasMessageStartingWith("malformed query at token 3 'num_cpu=': repeated key num_cpu");
    }

    @Test
    void aQuotedLiteralComesBackAsItsText() {
        for (String value : new String[] {"*", "x' ; touch /tmp/p ; echo '", "a\\b", "(", "k=v", "\"", " "}) {
            assertThat(parse("hostname=Contains(" + QueryLiteral.quote(value) + ")")
                            .filters())
                    .isEqualTo(Map.of("hostname", new Filter.Contains(value)));
        }
    }
}
