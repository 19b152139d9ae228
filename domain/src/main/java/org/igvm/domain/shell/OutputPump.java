package org.igvm.domain.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.igvm.domain.spi.shell.OutputSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one output stream of a started command to its end on its own thread and hands it to an
 * {@link OutputSink} (lines, collected, discarded), for the shell adapters.
 */
public final class OutputPump {
    private static final Logger log = LoggerFactory.getLogger(OutputPump.class);

    private final InputStream in;
    private final OutputSink sink;
    private final ByteArrayOutputStream collected = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Thread thread;
    private boolean afterCarriageReturn;

    private OutputPump(InputStream in, OutputSink sink, String threadName) {
        if (sink instanceof OutputSink.Stream) {
            throw new IllegalArgumentException("a streamed output is read by the caller, not pumped");
        }
        this.in = in;
        this.sink = sink;
        this.thread = new Thread(this::pump, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts reading {@code in} into the sink (which must not be {@link OutputSink#stream()}). */
    public static OutputPump start(InputStream in, OutputSink sink, String threadName) {
        OutputPump pump = new OutputPump(in, sink, threadName);
        pump.thread.start();
        return pump;
    }

    /** Waits up to the time for the stream's end to be reached and delivered. */
    public boolean await(long nanos) throws InterruptedException {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        return !thread.isAlive();
    }

    /** The collected output as UTF-8 text; empty for sinks that do not collect. */
    public String collected() {
        synchronized (collected) {
            return collected.toString(StandardCharsets.UTF_8);
        }
    }

    private void pump() {
        byte[] buffer = new byte[32 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                deliver(buffer, n);
            }
        } catch (IOException e) {
            log.debug("{}: output ended with {}", thread.getName(), e.toString());
        } finally {
            if (sink instanceof OutputSink.Lines lines && line.size() > 0) {
                hand(lines.each());
            }
        }
    }

    private void deliver(byte[] buffer, int n) {
        if (sink instanceof OutputSink.Collect) {
            synchronized (collected) {
                collected.write(buffer, 0, n);
            }
        } else if (sink instanceof OutputSink.Lines lines) {
            split(buffer, n, lines.each());
        } // OutputSink.Discard: dropped
    }

    private void split(byte[] buffer, int n, Consumer<String> each) {
        for (int i = 0; i < n; i++) {
            byte b = buffer[i];
            if (b == '\n' && afterCarriageReturn) {
                afterCarriageReturn = false; // the \n of a \r\n, whose line went out at the \r
            } else if (b == '\n' || b == '\r') {
                afterCarriageReturn = b == '\r';
                hand(each);
            } else {
                afterCarriageReturn = false;
                line.write(b);
            }
        }
    }

    private void hand(Consumer<String> each) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        try {
            each.accept(text);
        } catch (RuntimeException e) {
            log.warn("{}: the line listener failed on a line ({}); the output is still read", thread.getName(), e);
        }
    }
}
