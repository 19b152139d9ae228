package org.igvm.domain.operation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.igvm.api.CancelledException;
import org.igvm.domain.inventory.ServerObject;
import org.igvm.domain.lock.HeldLock;
import org.igvm.domain.lock.ObjectLocks;
import org.igvm.domain.shell.SuggestedCommand;
import org.igvm.domain.spi.cancel.Cancellation;
import org.igvm.domain.transaction.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One igvm operation running in this process: the thread it runs on, its cancellation signal, its
 * transaction and the locks it holds. Made by {@link RunningOperations#run}; the command's code
 * takes its locks with {@link #lock}, registers undos in {@link #transaction()} and calls {@link
 * #checkpoint()} at every step boundary.
 *
 * <p>Cancelling ({@link #cancel}) marks the operation cancelled and interrupts its thread, so a
 * wait (a sleep, a shell command) ends at once and a step that cannot be interrupted (a libvirt
 * call) is noticed at the next checkpoint. The operation then rolls back on its own thread. While
 * it undoes, the operation does not count as cancelled: undo steps must run to their end.
 */
public final class RunningOperation implements Cancellation {
    private static final Logger log = LoggerFactory.getLogger(RunningOperation.class);

    /** Where an operation is in its life. */
    public enum Phase {
        /** Doing its steps. */
        RUNNING,
        /** Rolling back what its steps did. */
        UNDOING,
        /** Releasing its locks; nothing left to undo. */
        ENDING
    }

    private final String name;
    private final Thread thread;
    private final ObjectLocks locks;
    private final Transaction transaction;
    private final List<HeldLock> held = new CopyOnWriteArrayList<>();
    private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Phase phase = Phase.RUNNING;
    private volatile boolean cancelled;
    private volatile String reason;
    private volatile boolean interruptedFromOutside;

    RunningOperation(String name, Thread thread, ObjectLocks locks) {
        this.name = name;
        this.thread = thread;
        this.locks = locks;
        this.transaction = new Transaction(name);
    }

    /** What the operation does, e.g. {@code restart web01.example.net}. */
    public String name() {
        return name;
    }

    /** The thread the operation runs (and rolls back) on. */
    public Thread thread() {
        return thread;
    }

    public Phase phase() {
        return phase;
    }

    /** The operation's undo log: each completed step registers its undo here. */
    public Transaction transaction() {
        return transaction;
    }

    /**
     * Takes the object's lock for the rest of the operation. The lock is renewed while the operation
     * runs, released after its rollback, and if someone breaks it meanwhile the operation is
     * cancelled with that reason.
     */
    public HeldLock lock(ServerObject object) {
        checkpoint();
        HeldLock lock = locks.acquire(object, this::cancel);
        held.add(lock);
        return lock;
    }

    /** The hostnames whose locks the operation holds, in the order it took them. */
    public List<String> lockedObjects() {
        return held.stream().map(HeldLock::hostname).toList();
    }

    /**
     * A step boundary: fails with {@link CancelledException} when the operation has been cancelled
     * or its thread interrupted. Does nothing while the operation undoes.
     */
    public void checkpoint() {
        if (phase != Phase.RUNNING) {
            return;
        }
        if (Thread.currentThread() == thread && thread.isInterrupted() && !cancelled) {
            // Someone interrupted the thread running igvm (an embedding application): that cancels.
            interruptedFromOutside = true;
            cancel(null);
        }
        if (cancelled) {
            throw new CancelledException("cancelled " + name + reasonText());
        }
    }

    /**
     * Whether the operation has been cancelled (or its thread interrupted). False while it undoes, so
     * that undo steps which ask are not aborted.
     */
    @Override
    public boolean isCancelled() {
        return phase == Phase.RUNNING && (cancelled || thread.isInterrupted());
    }

    @Override
    public void throwIfCancelled() {
        if (Thread.currentThread() == thread) {
            checkpoint();
        } else if (isCancelled()) {
            throw new CancelledException("cancelled " + name + reasonText());
        }
    }

    @Override
    public Registration onCancel(Runnable action) {
        Runnable once = () -> action.run(); // its own identity, even for an action registered twice
        onCancel.add(once);
        if (cancelled) {
            if (onCancel.remove(once)) {
                runQuietly(once);
            }
        }
        return () -> onCancel.remove(once);
    }

    /**
     * Cancels the operation: marks it cancelled, runs the {@link #onCancel} actions on this thread
     * and interrupts the operation's thread. Returns false (and does nothing) when it was cancelled
     * already or is past its steps.
     *
     * @param why why, for the operator (e.g. "the lock on web01 was broken by someone else"); null
     *     when the operator asked for it (Ctrl-C)
     */
    public boolean cancel(String why) {
        synchronized (this) {
            if (cancelled || phase != Phase.RUNNING) {
                return false;
            }
            reason = why;
            cancelled = true;
            // Within the lock: the thread cannot have begun to undo, whose start clears the flag.
            if (Thread.currentThread() != thread) {
                thread.interrupt();
            }
        }
        log.info("cancelling {}{}", name, why == null ? "" : " (" + why + ")");
        for (Runnable action : onCancel) {
            if (onCancel.remove(action)) {
                runQuietly(action);
            }
        }
        return true;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Waits until the operation has rolled back and released its locks; false on timeout. */
    public boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }

    /**
     * One line for an operator who presses Ctrl-C again: what is still being undone, and how to
     * clean up when igvm is killed now.
     */
    public String stillRunning() {
        StringBuilder line = new StringBuilder();
        List<String> remaining = transaction.remainingUndos();
        if (phase == Phase.UNDOING && !remaining.isEmpty()) {
            line.append("still undoing ").append(name).append(": ").append(String.join(", ", remaining));
        } else if (phase == Phase.RUNNING) {
            line.append("still stopping ")
                    .append(name)
                    .append(" at its current step")
                    .append(remaining.isEmpty() ? "" : "; then to undo: " + String.join(", ", remaining));
        } else {
            line.append("still releasing the locks of ").append(name);
        }
        List<String> objects = lockedObjects();
        if (!objects.isEmpty()) {
            List<String> unlocks = new ArrayList<>();
            objects.forEach(o -> unlocks.add("`" + SuggestedCommand.igvm("unlock", o) + "`"));
            line.append("; if you kill igvm now, check ")
                    .append(objects.get(0))
                    .append(" with `")
                    .append(SuggestedCommand.igvm("info", objects.get(0)))
                    .append("` and break ")
                    .append(objects.size() == 1 ? "its lock" : "the locks")
                    .append(" with ")
                    .append(String.join(" and ", unlocks));
        }
        return line.toString();
    }

    /** Runs after the body failed: rolls back on this thread and says what became of it. */
    RuntimeException failed(RuntimeException failure) {
        boolean wasCancelled = cancelled
                || failure instanceof CancelledException
                || (Thread.currentThread().isInterrupted() && !cancelled);
        if (wasCancelled && !cancelled) {
            interruptedFromOutside = true;
            synchronized (this) {
                cancelled = true;
            }
        }
        undo();
        if (!wasCancelled) {
            return failure;
        }
        return new CancelledException("cancelled " + name + reasonText() + "; " + undoneText(), failure);
    }

    /** Runs after the body returned: a transaction the body did not commit is rolled back. */
    void succeeded() {
        if (!transaction.committed()) {
            undo();
        }
    }

    private void undo() {
        synchronized (this) {
            phase = Phase.UNDOING;
        }
        transaction.close();
    }

    /** Releases the locks, newest first, with the thread's interrupt flag cleared meanwhile. */
    void end() {
        phase = Phase.ENDING;
        boolean interrupted = Thread.interrupted();
        try {
            List<HeldLock> locksNewestFirst = new ArrayList<>(held);
            java.util.Collections.reverse(locksNewestFirst);
            for (HeldLock lock : locksNewestFirst) {
                try {
                    lock.close();
                } catch (RuntimeException e) {
                    log.warn("could not release the lock on {}: {}", lock.hostname(), e.getMessage());
                }
            }
        } finally {
            // Our own interrupt only delivered the cancellation, which the CancelledException now
            // reports; one from outside stays for its sender to see.
            if (interruptedFromOutside || (interrupted && !cancelled)) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The operation is over and no longer listed as running. */
    void markEnded() {
        ended.countDown();
    }

    private String reasonText() {
        String why = reason;
        return why == null ? "" : " (" + why + ")";
    }

    private String undoneText() {
        List<String> undone = transaction.undone();
        List<String> failed = transaction.failedUndos();
        if (undone.isEmpty() && failed.isEmpty()) {
            return "nothing needed undoing";
        }
        List<String> parts = new ArrayList<>();
        if (!undone.isEmpty()) {
            parts.add("undone: " + String.join(", ", undone));
        }
        if (!failed.isEmpty()) {
            parts.add("could not undo: " + String.join(", ", failed));
        }
        return String.join("; ", parts);
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("a cancellation action failed: {}", e.getMessage());
        }
    }
}
