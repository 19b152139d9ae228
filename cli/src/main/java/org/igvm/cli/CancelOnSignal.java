package org.igvm.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.igvm.api.ExitCodes;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM while igvm runs a command on the main thread. The first signal
 * cancels the running operation: its own thread notices at its next step or wait, rolls back,
 * releases its locks and igvm exits with 130 and a line saying what was undone. A further signal
 * prints what is still being undone and how to clean up should igvm be killed now. With no
 * operation running (start-up, a read-only command) igvm exits at once with 130.
 *
 * <p>A JVM shutdown hook runs only once, so the signals are handled with {@code sun.misc.Signal}
 * (jdk.unsupported). The hook that stays (for SIGHUP or an exit from elsewhere) closes the
 * runtime, which cancels what still runs and waits for it instead of rolling back itself.
 */
final class CancelOnSignal implements AutoCloseable {
    private static final List<String> SIGNALS = List.of("INT", "TERM");

    private final LazyRuntime runtime;
    private final PrintWriter err;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final Thread closeOnExit;

    private CancelOnSignal(LazyRuntime runtime, PrintWriter err) {
        this.runtime = runtime;
        this.err = err;
        this.closeOnExit = new Thread(runtime::close, "igvm-close-on-exit");
    }

    /** Handles SIGINT and SIGTERM until closed. */
    static CancelOnSignal install(LazyRuntime runtime, PrintWriter err) {
        CancelOnSignal handler = new CancelOnSignal(runtime, err);
        for (String name : SIGNALS) {
            Signal signal = new Signal(name);
            try {
                handler.previous.put(signal, Signal.handle(signal, handler::handle));
            } catch (IllegalArgumentException inUse) {
                // The JVM keeps this signal (e.g. run with -Xrs): its default action stays.
            }
        }
        Runtime.getRuntime().addShutdownHook(handler.closeOnExit);
        return handler;
    }

    /** Runs on a thread of its own for each signal. */
    void handle(Signal signal) {
        String reason = signal.getName().equals("TERM") ? "SIGTERM" : null;
        List<String> cancelled = runtime.cancelAllNow(reason);
        if (!cancelled.isEmpty()) {
            cancelled.forEach(
                    name -> print("cancelling " + name + "; undoing what it did (Ctrl-C again shows what is left)"));
            return;
        }
        List<String> left = runtime.stillRunning();
        if (left.isEmpty()) {
            print("interrupted");
            System.exit(ExitCodes.CANCELLED);
        }
        left.forEach(this::print);
    }

    private void print(String line) {
        synchronized (err) {
            err.println("igvm: " + line);
            err.flush();
        }
    }

    /** Gives the signals back to their previous handlers and removes the shutdown hook. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
        try {
            Runtime.getRuntime().removeShutdownHook(closeOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting: the hook is running already.
        }
    }
}
