package org.igvm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.igvm.api.PlacementResult;
import org.junit.jupiter.api.Test;

/** Every --json document: valid JSON whatever the numbers, keys sorted, lists in order. */
class TestJsonOutput {
    @Test
    void numbersThatJsonCannotHoldAreWrittenAsNull() throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("nan", Double.NaN);
        doc.put("infinity", Double.POSITIVE_INFINITY);
        doc.put("minus_infinity", Double.NEGATIVE_INFINITY);
        doc.put("float_nan", Float.NaN);
        doc.put("scores", Arrays.asList(1.5, Double.NaN, null));
        doc.put("fine", 0.25);

        String json = JsonOutput.write(doc);

        assertThat(json)
                .isEqualTo("{\"fine\":0.25,\"float_nan\":null,\"infinity\":null,\"minus_infinity\":null,"
                        + "\"nan\":null,\"scores\":[1.5,null,null]}");
        assertThat(new ObjectMapper().readTree(json).size()).isEqualTo(6);
    }

    @Test
    void aRecordWithANonFiniteTotalIsValidJson() throws Exception {
        var ranked = new PlacementResult.RankedHypervisor("hv01", Double.NaN, Arrays.asList(Double.NaN, 2.0));
        String json = JsonOutput.write(ranked);
        assertThat(json).isEqualTo("{\"hostname\":\"hv01\",\"scores\":[null,2.0],\"total\":null}");
        assertThat(new ObjectMapper().readTree(json).get("total").isNull()).isTrue();
    }

    @Test
    void keysAreSortedAtEveryDepthWhateverTheMapAndListsKeepTheirOrder() {
        Map<String, Object> inner = new HashMap<>();
        inner.put("zeta", 1);
        inner.put("alpha", 2);
        Map<String, Object> insertionOrder = new LinkedHashMap<>();
        insertionOrder.put("vm", "web01");
        insertionOrder.put("chosen", "hv02");
        insertionOrder.put("inner", inner);
        insertionOrder.put("ranked", List.of("hv02", "hv01", "hv03"));

        Map<String, Object> otherOrder = new TreeMap<>(java.util.Comparator.reverseOrder());
        otherOrder.putAll(insertionOrder);

        String json = JsonOutput.write(insertionOrder);
        assertThat(json)
                .isEqualTo("{\"chosen\":\"hv02\",\"inner\":{\"alpha\":2,\"zeta\":1},\"ranked\":[\"hv02\",\"hv01\","
                        + "\"hv03\"],\"vm\":\"web01\"}");
        assertThat(JsonOutput.write(otherOrder)).isEqualTo(json);
        assertThat(JsonOutput.write(new ArrayList<>(List.of(insertionOrder, otherOrder))))
                .isEqualTo("[" + json + "," + json + "]");
    }

    @Test
    void textIsEscaped() {
        assertThat(JsonOutput.write(Map.of("say", "a \"b\"\n\u0001"))).isEqualTo("{\"say\":\"a \\\"b\\\"\\n\\u0001\"}");
    }
}
