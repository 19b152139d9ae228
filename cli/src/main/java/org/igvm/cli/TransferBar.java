package org.igvm.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The bytes of a long transfer (an image download, a disk copy) on stderr: a progress bar from
 * the progressbar library (percent, rate, ETA) on a terminal; otherwise {@link #update} says when
 * a plain line is due, at most every tenth of the total (or every {@code plainStepBytes} when the
 * total is unknown).
 */
final class TransferBar implements AutoCloseable {
    private static final long MIB = 1024 * 1024;

    private final String task;
    private final boolean bar;
    private final long plainStepBytes;
    private ProgressBar progressBar;
    private long lastStep = -1;

    TransferBar(String task, boolean bar, long plainStepBytes) {
        this.task = task;
        this.bar = bar;
        this.plainStepBytes = plainStepBytes;
    }

    /** Moves the bar; true when, without a bar, the caller should print a plain line now. */
    boolean update(long done, long total) {
        if (bar && total > 0) {
            if (progressBar == null) {
                progressBar = new ProgressBarBuilder()
                        .setTaskName(task)
                        .setInitialMax(total)
                        .setUnit("MiB", MIB)
                        .setStyle(ProgressBarStyle.ASCII)
                        .showSpeed()
                        .setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .build();
            }
            progressBar.stepTo(done);
            return false;
        }
        long step = total > 0 ? done * 10 / total : done / plainStepBytes;
        if (step == lastStep) {
            return false;
        }
        lastStep = step;
        return true;
    }

    /** Whether a terminal bar is drawn (plain lines are then left out). */
    boolean drawsBar() {
        return bar;
    }

    /** Ends the bar, so that the next line starts on its own. */
    @Override
    public void close() {
        if (progressBar != null) {
            progressBar.close();
            progressBar = null;
        }
    }
}
