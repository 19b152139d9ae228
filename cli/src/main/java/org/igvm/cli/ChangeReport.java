package org.igvm.cli;

import java.io.PrintWriter;
import org.igvm.api.ChangeResult;

/** How the change commands report: warnings on stderr, one line on stdout when something changed. */
final class ChangeReport {
    private ChangeReport() {}

    static void print(ChangeResult result, String unit, PrintWriter out, PrintWriter err) {
        for (String warning : result.warnings()) {
            err.println("igvm: warning: " + warning);
        }
        err.flush();
        if (result.changed()) {
            out.println(result.vm() + ": " + result.attribute() + " " + result.before() + unit + " -> " + result.after()
                    + unit + " (" + result.how() + ")");
        }
    }
}
