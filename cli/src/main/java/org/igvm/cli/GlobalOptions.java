package org.igvm.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * The options every igvm command takes, read from the raw arguments before picocli parses them:
 * logging must be set up, and the configuration read, before the injector that creates the
 * commands exists.
 */
record GlobalOptions(int verbosity, Path config) {
    static GlobalOptions scan(List<String> args) {
        int verbosity = 0;
        Path config = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                break;
            }
            if (a.matches("-v+")) {
                verbosity += a.length() - 1;
            } else if (a.matches("-s+")) {
                verbosity -= a.length() - 1;
            } else if (a.equals("--verbose")) {
                verbosity++;
            } else if (a.equals("--silent")) {
                verbosity--;
            } else if (a.equals("--config") && i + 1 < args.size()) {
                config = Path.of(args.get(i + 1));
            } else if (a.startsWith("--config=")) {
                config = Path.of(a.substring("--config=".length()));
            }
        }
        return new GlobalOptions(verbosity, config);
    }

    /** Stack traces are shown from {@code -vv} on. */
    boolean showStackTraces() {
        return verbosity >= 2;
    }

    /** The slf4j-simple level for this verbosity. */
    String logLevel() {
        if (verbosity >= 2) {
            return "trace";
        }
        if (verbosity == 1) {
            return "debug";
        }
        if (verbosity == 0) {
            return "info";
        }
        return verbosity == -1 ? "warn" : "error";
    }
}
