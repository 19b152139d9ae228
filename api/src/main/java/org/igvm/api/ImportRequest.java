package org.igvm.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link Inventory#importFleet(ImportRequest)} reads.
 *
 * @param file the YAML fleet file
 * @param replace replace objects that already exist instead of failing
 */
public record ImportRequest(Path file, boolean replace) {
    public ImportRequest {
        Objects.requireNonNull(file, "file");
    }

    public static Builder builder(Path file) {
        return new Builder(file);
    }

    /** Builds an {@link ImportRequest}; existing objects make it fail unless {@link #replace}. */
    public static final class Builder {
        private final Path file;
        private boolean replace;

        private Builder(Path file) {
            this.file = file;
        }

        public Builder replace(boolean replace) {
            this.replace = replace;
            return this;
        }

        public ImportRequest build() {
            return new ImportRequest(file, replace);
        }
    }
}
