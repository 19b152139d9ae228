package org.igvm.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The {@code igvm} executable. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        configureLogging(GlobalOptions.scan(List.of(args)));
        Terminal terminal = Terminal.detect();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(new IgvmCli(out, err, terminal.colour()).execute(args));
    }

    /** slf4j-simple reads these once, so they are set before the first logger exists. */
    private static void configureLogging(GlobalOptions options) {
        // -v and -vv are about igvm's own steps; libraries stay at info so their tracing does not drown them.
        System.setProperty(
                "org.slf4j.simpleLogger.defaultLogLevel", options.verbosity() > 0 ? "info" : options.logLevel());
        System.setProperty("org.slf4j.simpleLogger.log.org.igvm", options.logLevel());
        // sshj reports a refused host key or a dropped link itself, in several lines; igvm's own
        // message already names host and cause, so sshj speaks only from -vv on.
        String sshj = options.verbosity() >= 2 ? "info" : "off";
        System.setProperty("org.slf4j.simpleLogger.log.net.schmizz", sshj);
        System.setProperty("org.slf4j.simpleLogger.log.com.hierynomus", sshj);
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", Boolean.toString(options.verbosity() >= 1));
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }
}
