package org.igvm.cli;

import java.io.PrintWriter;

/** Where output goes, with colour only when a person is looking at a terminal. */
final class Terminal {
    private final boolean colour;

    Terminal(boolean colour) {
        this.colour = colour;
    }

    boolean colour() {
        return colour;
    }

    static Terminal detect() {
        return new Terminal(System.console() != null && System.getenv("NO_COLOR") == null);
    }

    String red(String text) {
        return colour ? "\u001b[31m" + text + "\u001b[0m" : text;
    }

    String green(String text) {
        return colour ? "\u001b[32m" + text + "\u001b[0m" : text;
    }

    String bold(String text) {
        return colour ? "\u001b[1m" + text + "\u001b[0m" : text;
    }

    /** One error line; control characters the message echoes from user input are escaped. */
    void error(PrintWriter err, String message) {
        err.println(red("igvm: error: ") + PrintableText.of(message));
        err.flush();
    }
}
