package org.igvm.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.igvm.api.EvacuationProgress;
import org.igvm.api.MigrationProgress;
import org.igvm.api.VmEvacuation;

/**
 * An evacuation's progress on a terminal: one bar per running migration, drawn together by the
 * progressbar library's interactive consumer (each on its own line, redrawn in place), with the
 * migration's phase as the bar's message and its outcome when it ends.
 */
final class EvacuationBars implements EvacuationProgress, AutoCloseable {
    private static final long MIB = 1024 * 1024;

    private final Map<String, ProgressBar> bars = new ConcurrentHashMap<>();

    @Override
    public MigrationProgress started(String vm, String target, String mode, String transport) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(vm + " -> " + target)
                .setInitialMax(-1)
                .setUnit("MiB", MIB)
                .setStyle(ProgressBarStyle.ASCII)
                .showSpeed()
                .setConsumer(new InteractiveConsoleProgressBarConsumer(System.err))
                .build();
        bar.setExtraMessage(" " + mode + ", " + transport);
        bars.put(vm, bar);
        return new MigrationProgress() {
            @Override
            public void phase(String phase) {
                bar.setExtraMessage(" " + phase);
            }

            @Override
            public void bytes(long done, long total, long bytesPerSecond) {
                if (total > 0) {
                    bar.maxHint(total);
                }
                bar.stepTo(done);
            }

            @Override
            public void downtime(Duration measured) {
                bar.setExtraMessage(" downtime " + EvacuateCommand.seconds(measured));
            }
        };
    }

    /** Ends a migration's bar with its outcome. */
    @Override
    public void finished(VmEvacuation outcome) {
        // The bar stays on screen, stopped, with the outcome as its message.
        ProgressBar bar = bars.remove(outcome.vm());
        if (bar != null) {
            bar.setExtraMessage(
                    outcome.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            bar.close();
        }
    }

    @Override
    public void close() {
        bars.values().forEach(ProgressBar::close);
        bars.clear();
    }
}
