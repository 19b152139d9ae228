package org.igvm.domain.transaction;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The undo log of one multi-step operation. Each completed step registers its undo; unless the
 * operation {@link #commit()}s, closing the transaction runs the undos newest-first. A failing undo
 * is logged and the rest still run, so the caller's original error is what the user sees.
 */
public final class Transaction implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Transaction.class);

    private final String operation;
    private final Deque<Step> undos = new ArrayDeque<>();
    private boolean committed;
    private boolean closed;

    private record Step(String description, Undo undo) {}

    private final java.util.function.Consumer<Transaction> onClose;

    public Transaction(String operation) {
        this(operation, tx -> {});
    }

    Transaction(String operation, java.util.function.Consumer<Transaction> onClose) {
        this.operation = operation;
        this.onClose = onClose;
    }

    /** Registers how to reverse a step that has just completed. */
    public synchronized void onRollback(String description, Undo undo) {
        if (closed) {
            throw new IllegalStateException("transaction of " + operation + " is already closed");
        }
        undos.push(new Step(description, undo));
    }

    /** The operation succeeded: forget the undos. */
    public synchronized void commit() {
        committed = true;
        undos.clear();
    }

    /** Runs the undos newest-first, unless committed. Safe to call more than once. */
    public synchronized void rollback() {
        if (committed) {
            return;
        }
        while (!undos.isEmpty()) {
            Step step = undos.pop();
            log.info("{}: rolling back: {}", operation, step.description());
            try {
                step.undo().run();
            } catch (Exception | Error e) {
                log.warn("{}: could not {}: {}", operation, step.description(), e.getMessage());
                log.debug("undo failure", e);
            }
        }
    }

    /** Number of steps registered and not yet undone. */
    public synchronized int pendingUndos() {
        return undos.size();
    }

    @Override
    public synchronized void close() {
        try {
            rollback();
        } finally {
            closed = true;
            onClose.accept(this);
        }
    }
}
