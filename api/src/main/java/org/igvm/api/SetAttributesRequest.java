package org.igvm.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link Inventory#set} changes: attribute values as the operator writes them ({@code
 * memory=4096}, {@code mac=aa:..,bb:..} for a set), parsed by the attribute's type; an empty value
 * clears the attribute.
 *
 * @param host the object's hostname (a unique short name is enough)
 * @param values new values by attribute, in the order given
 */
public record SetAttributesRequest(String host, Map<String, String> values) {
    public SetAttributesRequest {
        Objects.requireNonNull(host, "host");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        if (values.isEmpty()) {
            throw new InvalidInputException("nothing to set on " + host + "; give at least one attr=value");
        }
    }

    public static Builder builder(String host) {
        return new Builder(host);
    }

    /** Builds a {@link SetAttributesRequest}; a later value for the same attribute wins. */
    public static final class Builder {
        private final String host;
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder(String host) {
            this.host = host;
        }

        public Builder set(String attribute, String value) {
            values.remove(attribute);
            values.put(Objects.requireNonNull(attribute, "attribute"), value == null ? "" : value);
            return this;
        }

        /** Clears the attribute. */
        public Builder clear(String attribute) {
            return set(attribute, "");
        }

        public SetAttributesRequest build() {
            return new SetAttributesRequest(host, values);
        }
    }
}
