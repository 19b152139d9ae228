package org.igvm.transport.drbd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.igvm.api.OperationFailedException;
import org.igvm.domain.spi.transport.ThrowingRunnable;
import org.igvm.domain.spi.transport.UndoRegistry;

/**
 * What the session has set up, as steps that take it down again, each run until it has once succeeded: by the
 * session's own teardown ({@link #runAll()}: {@code finish}, {@code abort}) or by the migration's
 * rollback, whichever comes first (both run on the operation's thread); a step that failed is
 * tried again by the other. A step is registered before the change it undoes is made, so a
 * command that half-succeeded is undone too; so every step checks what is there before it acts.
 *
 * <p>A step marked {@code critical} is one whose failure leaves the VM's disk in a state the
 * operator must repair (a device-mapper table still on DRBD): its failure names the repair.
 */
final class TeardownSteps {
    private record Step(
            String description, ThrowingRunnable action, boolean critical, String repair, AtomicBoolean done) {}

    private final UndoRegistry undo;
    private final List<Step> steps = new ArrayList<>();

    TeardownSteps(UndoRegistry undo) {
        this.undo = undo;
    }

    /** Registers a step that undoes what is about to be done; the handle runs it ahead of the rest. */
    Runnable add(String description, ThrowingRunnable action) {
        return add(description, action, false, "");
    }

    /** Registers a step whose failure the operator must repair; {@code repair} says how. */
    void addCritical(String description, String repair, ThrowingRunnable action) {
        add(description, action, true, repair);
    }

    private synchronized Runnable add(String description, ThrowingRunnable action, boolean critical, String repair) {
        Step step = new Step(description, action, critical, repair, new AtomicBoolean());
        steps.add(step);
        undo.onRollback(description, () -> runOnce(step));
        return () -> run(step);
    }

    /**
     * Runs the steps not yet done, newest first, and stops at the first that fails: the steps
     * before it in this order depend on it (DRBD cannot go down while the table still points at
     * it, and its file must stay until it is down), so they are left for the rollback, which tries
     * the failed step again first.
     *
     * @throws OperationFailedException naming the step that failed, and for a critical one the
     *     repair by hand
     */
    void runAll() {
        List<Step> pending;
        synchronized (this) {
            pending = new ArrayList<>(steps);
        }
        for (int i = pending.size() - 1; i >= 0; i--) {
            run(pending.get(i));
        }
    }

    private static void run(Step step) {
        try {
            runOnce(step);
        } catch (Exception e) {
            throw new OperationFailedException("could not " + step.description() + ": " + e.getMessage()
                    + (step.critical() ? "; repair by hand: " + step.repair() : ""));
        }
    }

    /** Whether the step that failed last, if any, was critical: then the operator must act. */
    static boolean critical(OperationFailedException e) {
        return e.getMessage().contains("; repair by hand: ");
    }

    /** What is not yet undone, in the order it would run. */
    synchronized List<String> pending() {
        List<String> left = new ArrayList<>();
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (!steps.get(i).done().get()) {
                left.add(steps.get(i).description());
            }
        }
        return left;
    }

    /** Whether every registered step has run. */
    synchronized boolean allDone() {
        return steps.stream().allMatch(s -> s.done().get());
    }

    /** Runs the step unless it has succeeded before; a failed step is tried again by the next caller. */
    private static void runOnce(Step step) throws Exception {
        if (step.done().get()) {
            return;
        }
        step.action().run();
        step.done().set(true);
    }
}
