package org.igvm.cli;

import java.util.List;
import java.util.function.Supplier;
import org.igvm.api.Igvm;
import org.igvm.bootstrap.IgvmRuntime;

/**
 * The igvm runtime, created when a command first asks for the API: {@code --help}, {@code
 * --version} and argument errors never read the config nor build the injector.
 */
final class LazyRuntime implements AutoCloseable {
    private final Supplier<IgvmRuntime> start;
    private IgvmRuntime runtime;
    private boolean closed;

    LazyRuntime(Supplier<IgvmRuntime> start) {
        this.start = start;
    }

    /** The API, starting the runtime on first use; config errors surface here. */
    synchronized Igvm igvm() {
        if (closed) {
            throw new IllegalStateException("igvm is shutting down");
        }
        if (runtime == null) {
            runtime = start.get();
        }
        return runtime.igvm();
    }

    /** Whether the runtime was started (it has something to release). */
    synchronized boolean started() {
        return runtime != null;
    }

    /** Cancels the running operations (none before the runtime starts); their names. */
    List<String> cancelAllNow(String reason) {
        IgvmRuntime started = current();
        return started == null ? List.of() : started.cancelAllNow(reason);
    }

    /** What the cancelled operations still have to undo, as lines for the operator. */
    List<String> stillRunning() {
        IgvmRuntime started = current();
        return started == null ? List.of() : started.stillRunning();
    }

    private synchronized IgvmRuntime current() {
        return runtime;
    }

    /** Releases what the runtime holds, if it was started; may run on the shutdown hook's thread. */
    @Override
    public void close() {
        IgvmRuntime toClose;
        synchronized (this) {
            closed = true;
            toClose = runtime;
        }
        if (toClose != null) {
            toClose.close();
        }
    }
}
