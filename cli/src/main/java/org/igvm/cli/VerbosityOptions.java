package org.igvm.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Declares the global options so picocli accepts and documents them on every command; their
 * effect comes from {@link GlobalOptions}, read before parsing.
 */
final class VerbosityOptions {
    @Option(
            names = {"-v", "--verbose"},
            description = "More detail; repeat for more (-vv also shows stack traces).",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    boolean[] verbose = new boolean[0];

    @Option(
            names = {"-s", "--silent"},
            description = "Less detail; repeat for less.",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    boolean[] silent = new boolean[0];

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Configuration file (default: $IGVM_CONFIG, else ~/.config/igvm/config.yaml).",
            scope = picocli.CommandLine.ScopeType.INHERIT)
    Path config;
}
