package org.igvm.domain.transaction;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The undo log of one multi-step operation. Each completed step registers its undo; unless the
 * operation {@link #commit()}s, closing the transaction runs the undos newest-first. A failing undo
 * is logged and the rest still run, so the caller's original error is what the user sees.
 *
 * <p>Undos run on the thread that rolls back, with that thread's interrupt flag cleared while they
 * run (a cancelled operation must still be able to undo: a shell command of an undo is not killed
 * by the cancellation it is cleaning up after); the flag is restored afterwards.
 */
public final class Transaction implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Transaction.class);

    private final String operation;
    private final Deque<Step> undos = new ArrayDeque<>();
    private final List<String> undone = new ArrayList<>();
    private final List<String> failedUndos = new ArrayList<>();
    private volatile String undoing;
    private boolean committed;
    private boolean closed;

    private record Step(String description, Undo undo) {}

    public Transaction(String operation) {
        this.operation = operation;
    }

    /** Registers how to reverse a step that has just completed. */
    public synchronized void onRollback(String description, Undo undo) {
        if (closed) {
            throw new IllegalStateException("transaction of " + operation + " is already closed");
        }
        synchronized (undos) {
            undos.push(new Step(description, undo));
        }
    }

    /** The operation succeeded: forget the undos. */
    public synchronized void commit() {
        committed = true;
        synchronized (undos) {
            undos.clear();
        }
    }

    public synchronized boolean committed() {
        return committed;
    }

    /** Runs the undos newest-first, unless committed. Safe to call more than once. */
    public synchronized void rollback() {
        if (committed) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                Step step;
                synchronized (undos) {
                    step = undos.peek();
                }
                if (step == null) {
                    break;
                }
                undoing = step.description();
                log.info("{}: rolling back: {}", operation, step.description());
                try {
                    step.undo().run();
                    undone.add(step.description());
                } catch (Exception | Error e) {
                    log.warn("{}: could not {}: {}", operation, step.description(), e.getMessage());
                    log.debug("undo failure", e);
                    failedUndos.add(step.description() + " (" + e.getMessage() + ")");
                } finally {
                    synchronized (undos) {
                        undos.pop();
                    }
                    // An undo must not leave the next one interrupted either.
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            undoing = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Number of steps registered and not yet undone. */
    public int pendingUndos() {
        synchronized (undos) {
            return undos.size();
        }
    }

    /**
     * What is still to be undone, the step being undone now first; readable from any thread while
     * the rollback runs (for "still undoing: ..." on a second Ctrl-C).
     */
    public List<String> remainingUndos() {
        List<String> remaining = new ArrayList<>();
        synchronized (undos) {
            undos.forEach(s -> remaining.add(s.description()));
        }
        return remaining;
    }

    /** The undo running right now, or null. */
    public String undoInProgress() {
        return undoing;
    }

    /** The undos that ran and succeeded, in the order they ran. */
    public synchronized List<String> undone() {
        return List.copyOf(undone);
    }

    /** The undos that failed, each with its error, in the order they ran. */
    public synchronized List<String> failedUndos() {
        return List.copyOf(failedUndos);
    }

    @Override
    public synchronized void close() {
        try {
            rollback();
        } finally {
            closed = true;
        }
    }
}
