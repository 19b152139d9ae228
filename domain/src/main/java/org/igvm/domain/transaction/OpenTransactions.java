package org.igvm.domain.transaction;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The transactions of operations still running in this process, so an interrupted igvm (Ctrl-C)
 * can undo what they did before it exits.
 */
public final class OpenTransactions {
    private final Set<Transaction> open = new LinkedHashSet<>();

    /** Starts a transaction that stays registered until it is closed. */
    public Transaction begin(String operation) {
        Transaction tx = new Transaction(operation, this::forget);
        synchronized (open) {
            open.add(tx);
        }
        return tx;
    }

    /** Rolls back every transaction still open, newest first. */
    public void rollbackAll() {
        List<Transaction> running;
        synchronized (open) {
            running = new ArrayList<>(open);
        }
        java.util.Collections.reverse(running);
        running.forEach(Transaction::close);
    }

    public int size() {
        synchronized (open) {
            return open.size();
        }
    }

    private void forget(Transaction tx) {
        synchronized (open) {
            open.remove(tx);
        }
    }
}
