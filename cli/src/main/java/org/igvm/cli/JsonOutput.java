package org.igvm.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Every {@code --json} document igvm prints, written by Jackson. Always valid JSON: a number that
 * is not finite (NaN, ±Infinity) is written as {@code null}. Stable: object keys are sorted (map
 * keys and record or bean properties alike), lists keep their order, so the same result gives the
 * same bytes; one document per line.
 */
final class JsonOutput {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            // A SortedMap keeps its own order under ORDER_MAP_ENTRIES_BY_KEYS; the tree sorts every object.
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .addModule(new SimpleModule("igvm-finite-numbers")
                    .addSerializer(Double.class, new FiniteDouble())
                    .addSerializer(double.class, new FiniteDouble())
                    .addSerializer(Float.class, new FiniteFloat())
                    .addSerializer(float.class, new FiniteFloat()))
            .build();

    private JsonOutput() {}

    /** The value as one line of JSON. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(MAPPER.valueToTree(value));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private static final class FiniteDouble extends JsonSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (Double.isFinite(value)) {
                out.writeNumber(value);
            } else {
                out.writeNull();
            }
        }
    }

    private static final class FiniteFloat extends JsonSerializer<Float> {
        @Override
        public void serialize(Float value, JsonGenerator out, SerializerProvider provider) throws IOException {
            if (Float.isFinite(value)) {
                out.writeNumber(value);
            } else {
                out.writeNull();
            }
        }
    }
}
