package org.igvm.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import org.igvm.api.EvacuationProgress;
import org.igvm.api.MigrationProgress;
import org.igvm.api.VmEvacuation;

/**
 * Plain progress lines on stderr, one per event of each running migration, prefixed with its VM
 * (the migrations run at once, so their lines interleave). Nothing with {@code -s}.
 */
final class EvacuationLines implements EvacuationProgress {
    private final PrintWriter err;
    private final boolean silent;

    EvacuationLines(PrintWriter err, boolean silent) {
        this.err = err;
        this.silent = silent;
    }

    private void line(String text) {
        if (silent) {
            return;
        }
        synchronized (err) {
            err.println("evacuate: " + text);
            err.flush();
        }
    }

    @Override
    public MigrationProgress started(String vm, String target, String mode, String transport) {
        line(vm + " -> " + target + " (" + mode + ", " + transport + ") started");
        return new MigrationProgress() {
            private long shownTenth = -1;

            @Override
            public void phase(String phase) {
                line(vm + ": " + phase);
            }

            @Override
            public synchronized void bytes(long done, long total, long bytesPerSecond) {
                long tenth = total > 0 ? done * 10 / total : -1;
                if (tenth != shownTenth && tenth >= 0) {
                    shownTenth = tenth;
                    line(vm + ":   copied " + EvacuateCommand.gib(done) + " of " + EvacuateCommand.gib(total)
                            + (bytesPerSecond > 0
                                    ? String.format(Locale.ROOT, " at %.1f MiB/s", bytesPerSecond / 1048576.0)
                                    : ""));
                }
            }

            @Override
            public void downtime(Duration measured) {
                line(vm + ":   downtime " + EvacuateCommand.seconds(measured));
            }
        };
    }

    @Override
    public void finished(VmEvacuation outcome) {
        line(outcome.vm() + " "
                + outcome.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                + (outcome.moved() ? " to " + outcome.target() + " in " + EvacuateCommand.seconds(outcome.time()) : "")
                + (outcome.error() == null ? "" : ": " + PrintableText.of(outcome.error())));
    }

    @Override
    public void replanned(String vm, String before, String after) {
        line(vm + " planned again: " + after + " instead of " + before + ", whose migration failed");
    }
}
