package org.igvm.domain.shell;

import org.igvm.domain.inventory.QueryLiteral;
import org.igvm.domain.spi.shell.ShellCommand;

/**
 * The igvm command lines that messages suggest to the operator. Each is built by {@link
 * ShellCommand}, the quoting igvm uses for the commands it runs, so pasting one runs exactly that
 * igvm command whatever the names in it hold.
 */
public final class SuggestedCommand {
    private SuggestedCommand() {}

    /** {@code igvm ARGUMENTS…}, every argument quoted for a POSIX shell. */
    public static String igvm(String... arguments) {
        return ShellCommand.of("igvm", arguments).text();
    }

    /**
     * A query for the hostnames containing {@code name}, valid whatever the name holds (a {@code *}
     * is no regular expression here, a quote is escaped twice: for the query language and the shell).
     */
    public static String queryHostnamesContaining(String name) {
        return igvm("inventory", "query", "hostname=Contains(" + QueryLiteral.quote(name) + ")");
    }
}
