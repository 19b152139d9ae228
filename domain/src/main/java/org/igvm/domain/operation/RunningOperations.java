package org.igvm.domain.operation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.igvm.domain.lock.ObjectLocks;

/**
 * The operations running in this process. Each runs on its caller's thread; cancelling one (Ctrl-C,
 * a cancel handle, a broken lock, the interruption of its thread) makes that thread notice at its
 * next step or wait, roll back and release its locks itself. Nobody else ever runs an operation's
 * undos.
 */
public final class RunningOperations {
    private final ObjectLocks locks;
    private final Set<RunningOperation> running = new LinkedHashSet<>();
    private final ThreadLocal<RunningOperation> current = new ThreadLocal<>();

    public RunningOperations(ObjectLocks locks) {
        this.locks = locks;
    }

    /**
     * Runs {@code body} as the operation {@code name} on this thread. When it fails, or is
     * cancelled, its transaction rolls back here before this returns; then its locks are released.
     * A cancelled operation ends with {@link org.igvm.api.CancelledException} saying what was
     * undone.
     */
    public <T> T run(String name, Function<RunningOperation, T> body) {
        RunningOperation outer = current.get();
        if (outer != null) {
            // A command run from within another shares its cancellation, transaction and locks.
            return body.apply(outer);
        }
        RunningOperation op = new RunningOperation(name, Thread.currentThread(), locks);
        synchronized (running) {
            running.add(op);
        }
        current.set(op);
        try {
            T result;
            try {
                op.checkpoint();
                result = body.apply(op);
            } catch (RuntimeException e) {
                throw op.failed(e);
            } catch (Error e) {
                op.failed(new RuntimeException(e));
                throw e;
            }
            op.succeeded();
            return result;
        } finally {
            op.end();
            current.remove();
            synchronized (running) {
                running.remove(op);
            }
            op.markEnded();
        }
    }

    /** {@link #run(String, Function)} for a body without result. */
    public void run(String name, Consumer<RunningOperation> body) {
        run(name, op -> {
            body.accept(op);
            return null;
        });
    }

    /** The operation running on this thread, if any. */
    public Optional<RunningOperation> onThisThread() {
        return Optional.ofNullable(current.get());
    }

    /** The operations running now, oldest first. */
    public List<RunningOperation> running() {
        synchronized (running) {
            return List.copyOf(running);
        }
    }

    /**
     * Cancels every running operation and returns those that were cancelled by this call (not
     * already cancelled, not already undoing). Does not wait.
     */
    public List<RunningOperation> cancelAll(String reason) {
        List<RunningOperation> cancelled = new ArrayList<>();
        for (RunningOperation op : running()) {
            if (op.cancel(reason)) {
                cancelled.add(op);
            }
        }
        return cancelled;
    }

    /**
     * Waits until no operation runs any more (each has rolled back and released its locks), at
     * most {@code timeout}; returns whether none runs.
     */
    public boolean awaitNoneRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (RunningOperation op : running()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !op.awaitEnd(left, TimeUnit.NANOSECONDS)) {
                return running().isEmpty();
            }
        }
        return running().isEmpty();
    }
}
